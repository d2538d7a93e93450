package io.sparkeras.backend.tensorflow;

import io.sparkeras.api.backend.Backend;
import io.sparkeras.api.backend.InferenceFunction;
import io.sparkeras.api.backend.Ops;
import io.sparkeras.api.backend.ParameterBlock;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.backend.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.TensorFlow;

/**
 * The {@code tensorflow} backend: TensorFlow Java ({@code org.tensorflow:tensorflow-core-api}),
 * selected with {@code SPARKERAS_BACKEND=tensorflow} or {@code -Dsparkeras.backend=tensorflow}.
 * TensorFlow Java has no eager gradients, so every scope is traced into one graph (see
 * {@link TfGraph}): the first step of a model builds its nodes, later steps with the same
 * operations and shapes reuse them, and each train step is one session run whose gradients come
 * from TensorFlow's C++ gradient registry. CPU only for now; threads as the torch backend's
 * ({@code -Dsparkeras.threads} / {@code SPARKERAS_THREADS}).
 *
 * <pre>{@code
 * // java -Dsparkeras.backend=tensorflow ... (with the tensorflow profile's jar on the classpath)
 * Backends.current().name();     // "tensorflow"
 * model.fit(x, y, 10, 128);      // the same model code as on torch
 * }</pre>
 */
public final class TensorFlowBackend implements Backend {
  private static final Logger LOG = LoggerFactory.getLogger(TensorFlowBackend.class);
  /** System property: intra-op threads (shared with the torch backend). */
  public static final String THREADS_PROP_NAME = "sparkeras.threads";
  /** Environment variable for the same, read when the property is not set. */
  public static final String THREADS_ENV_NAME = "SPARKERAS_THREADS";

  /**
   * TensorFlow's switch for its oneDNN kernels, read by its native code at start-up (a JVM cannot
   * set it for itself): start the JVM with {@code TF_ENABLE_ONEDNN_OPTS=0}.
   */
  public static final String ONEDNN_ENV_NAME = "TF_ENABLE_ONEDNN_OPTS";

  /**
   * System property: XLA compilation of the traced steps, {@code off} (default) or {@code on}
   * ({@link Xla}). On a CPU TensorFlow also needs {@code TF_XLA_FLAGS=--tf_xla_cpu_global_jit}
   * at JVM start ({@link #XLA_FLAGS_ENV_NAME}); {@code bin/sparkeras} sets it from
   * {@link #XLA_ENV_NAME}.
   */
  public static final String XLA_PROP_NAME = "sparkeras.tensorflow.xla";
  /** Environment variable for the same, read when the property is not set. */
  public static final String XLA_ENV_NAME = "SPARKERAS_TF_XLA";
  /** TensorFlow's own XLA flags, read by its native code when it first compiles. */
  public static final String XLA_FLAGS_ENV_NAME = "TF_XLA_FLAGS";

  private volatile boolean initialised;
  private Throwable loadFailure;
  private volatile TfGraph graph;
  private int threads;
  private Xla xla = Xla.OFF;
  private final ThreadLocal<Step> current = new ThreadLocal<>();
  private final TfOps ops = new TfOps(this);
  private SplittableRandom random = new SplittableRandom();

  @Override
  public String name() {
    return "tensorflow";
  }

  @Override
  public synchronized boolean isAvailable() {
    init();
    return loadFailure == null;
  }

  private synchronized void init() {
    if (initialised) {
      return;
    }
    initialised = true;
    try {
      String version = TensorFlow.version();
      MissingGradients.register();
      if (!"0".equals(System.getenv(ONEDNN_ENV_NAME))) {
        LOG.warn("tensorflow backend: {} is not 0; TensorFlow's oneDNN kernels compute wrong "
            + "gradients for strided transposed and depthwise convolutions on some CPUs "
            + "(docs/backends.md); bin/sparkeras sets {}=0", ONEDNN_ENV_NAME, ONEDNN_ENV_NAME);
      }
      threads = configuredThreads();
      xla = Xla.configured();
      xla.checkFlags(System.getenv(XLA_FLAGS_ENV_NAME), LOG);
      graph = new TfGraph(threads, xla);
      LOG.info("tensorflow backend: TensorFlow {}, {}", version, device());
    } catch (Throwable e) {
      loadFailure = e;
      LOG.error("tensorflow backend unavailable: {}", e.toString(), e);
    }
  }

  static int configuredThreads() {
    String v = System.getProperty(THREADS_PROP_NAME);
    String from = "-D" + THREADS_PROP_NAME;
    if (v == null) {
      v = System.getenv(THREADS_ENV_NAME);
      from = THREADS_ENV_NAME;
    }
    if (v == null || v.isBlank()) {
      return Runtime.getRuntime().availableProcessors();
    }
    try {
      int t = Integer.parseInt(v.trim());
      if (t > 0) {
        return t;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(from + ": expected a positive number of threads, found '"
        + v + "'");
  }

  private void ensure() {
    if (!initialised) {
      init();
    }
    if (loadFailure != null) {
      throw new IllegalStateException("tensorflow backend unavailable: " + loadFailure,
          loadFailure);
    }
  }

  @Override
  public Ops ops() {
    ensure();
    return ops;
  }

  @Override
  public String device() {
    return "cpu (" + threads + " threads" + (xla == Xla.OFF ? "" : ", xla " + xla.value) + ")";
  }

  @Override
  public int threads() {
    ensure();
    return threads;
  }

  /**
   * Sets the session's intra-op threads. The session is made with them, so a change starts a new
   * graph (traced again on the next step); call it before training, as Spark tasks do.
   */
  @Override
  public synchronized void setThreads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException(THREADS_PROP_NAME + ": expected >= 1, found " + n);
    }
    ensure();
    if (n != threads) {
      if (current.get() != null) {
        throw new IllegalStateException("setThreads inside a scope");
      }
      TfGraph old = graph;
      graph = new TfGraph(n, xla);
      threads = n;
      old.retire();
    }
  }

  /**
   * Sets XLA compilation of the steps traced from now on ({@link #XLA_PROP_NAME}); like
   * {@link #setThreads}, a change starts a new graph.
   */
  public synchronized void setXla(Xla mode) {
    ensure();
    if (mode != xla) {
      if (current.get() != null) {
        throw new IllegalStateException("setXla inside a scope");
      }
      mode.checkFlags(System.getenv(XLA_FLAGS_ENV_NAME), LOG);
      TfGraph old = graph;
      graph = new TfGraph(threads, mode);
      xla = mode;
      old.retire();
    }
  }

  /** The XLA mode of the steps traced now. */
  public Xla xla() {
    ensure();
    return xla;
  }

  @Override
  public synchronized void setSeed(long seed) {
    random = new SplittableRandom(seed);
  }

  /** A seed for one dropout mask. */
  synchronized long nextSeed() {
    return random.nextLong();
  }

  @Override
  public Tensor variable(float[] initial, int[] shape, boolean trainable) {
    ensure();
    Slab s = new Slab(new int[][] {shape.clone()}, new boolean[] {trainable});
    if (initial.length < s.size) {
      s.close();
      throw new IllegalArgumentException("variable: shape " + java.util.Arrays.toString(shape)
          + " needs " + s.size + " values, found " + initial.length);
    }
    s.values.put(0, initial, 0, s.size);
    return new TfVariable(s, 0, shape, trainable);
  }

  @Override
  public void assign(Tensor variable, float[] values, int offset) {
    TfVariable v = TfRecorder.variableOf(variable, "assign");
    int n = v.size();
    if (offset < 0 || offset + n > values.length) {
      throw new IllegalArgumentException("assign: variable of " + n + " values, array of "
          + values.length + " from offset " + offset);
    }
    v.slab.values.put(v.offset, values, offset, n);
  }

  @Override
  public ParameterBlock pack(List<Tensor> variables) {
    ensure();
    return new TfParameterBlock(variables);
  }

  @Override
  public Scope scope(boolean grad) {
    ensure();
    Step outer = current.get();
    if (outer != null && outer.ambient && outer.graph.size() > TfGraph.MAX_NODES) {
      outer.close();   // operations run outside any scope end here, with their graph
      outer = null;
    }
    Step s = new Step(this, outer == null ? freshGraph() : outer.graph, outer);
    current.set(s);
    return s;
  }

  /**
   * The graph for a new outermost scope: the current one, or a new one once it holds more than
   * {@value TfGraph#MAX_NODES} traced operations (models and shapes come and go in a long-lived
   * JVM; the old graph closes when its last scope does).
   */
  private synchronized TfGraph freshGraph() {
    if (graph.size() > TfGraph.MAX_NODES) {
      TfGraph old = graph;
      graph = new TfGraph(threads, xla);
      old.retire();
    }
    return graph;
  }

  /** Operations traced into the current graph so far (tests: later steps add none). */
  int tracedOperations() {
    ensure();
    return graph.size();
  }

  void closed(Step s) {
    if (current.get() == s) {
      current.set(s.outer);
    }
  }

  /** The innermost open scope of this thread, or a new one for operations outside any scope. */
  Step step() {
    Step s = current.get();
    if (s == null) {
      ensure();
      s = new Step(this, freshGraph(), null);
      s.ambient = true;
      current.set(s);
    }
    return s;
  }

  @Override
  public void backward(Tensor loss) {
    TfTensor t = TfRecorder.tensorOf(loss, "backward");
    if (t.node.shape.length != 0 && t.node.shape.length != 1) {
      throw new IllegalArgumentException("backward: expected a scalar loss, found shape "
          + java.util.Arrays.toString(t.node.shape));
    }
    step().backward(t.node);
  }

  /**
   * Writes a TensorFlow SavedModel ({@link SavedModelWriter}): the function traced once into a
   * frozen graph run per sample of the batch, under a {@code serving_default} signature.
   */
  @Override
  public void exportSavedModel(InferenceFunction function, Path dir) throws IOException {
    ensure();
    SavedModelWriter.write(this, function, dir, threads);
  }

  /**
   * Runs {@code body} with this thread's operations traced into {@code g} (a frozen graph), then
   * restores the thread's scopes.
   */
  <T> T traceInto(TfGraph g, Function<Step, T> body) {
    Step previous = current.get();
    Step s = new Step(this, g, null);
    current.set(s);
    try {
      return body.apply(s);
    } finally {
      try {
        s.close();
      } finally {
        current.set(previous);
      }
    }
  }

  @Override
  public String toString() {
    return "tensorflow backend on " + (initialised && loadFailure == null ? device() : "?");
  }
}
