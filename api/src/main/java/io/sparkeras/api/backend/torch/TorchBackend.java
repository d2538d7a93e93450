package io.sparkeras.api.backend.torch;

import io.sparkeras.api.backend.Backend;
import io.sparkeras.api.backend.Ops;
import io.sparkeras.api.backend.ParameterBlock;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.backend.Tensor;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.global.torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code torch} backend: libtorch through the JavaCPP presets ({@code org.bytedeco:pytorch}),
 * loaded offline from the Maven jars. CPU by default; CUDA when the machine has a GPU, the CUDA
 * build of the presets is on the classpath and {@value #DEVICE_PROP_NAME} is not {@code cpu}.
 *
 * <p>Threads: one intra-op pool of {@value #THREADS_PROP_NAME} (or environment variable
 * {@value #THREADS_ENV_NAME}) threads (default: the available processors); OpenBLAS is pinned to
 * one thread. Start the JVM with
 * {@code OMP_WAIT_POLICY=PASSIVE} ({@code bin/sparkeras} does), or idle OpenMP workers spin on
 * the cores the next step needs.
 */
public final class TorchBackend implements Backend {
  /** System property: "cpu", "cuda" or "auto" (default). */
  public static final String DEVICE_PROP_NAME = "sparkeras.device";
  /** System property: intra-op threads. */
  public static final String THREADS_PROP_NAME = "sparkeras.threads";
  /**
   * Environment variable for the same, read when the property is not set: Spark refuses
   * {@code -Dspark...} options in {@code spark.executor.extraJavaOptions}, and
   * {@code -Dsparkeras.threads} starts with that, so executors get
   * {@code spark.executorEnv.SPARKERAS_THREADS} instead.
   */
  public static final String THREADS_ENV_NAME = "SPARKERAS_THREADS";

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

  private static final Logger LOG = LoggerFactory.getLogger(TorchBackend.class);

  private volatile boolean initialised;
  private Throwable loadFailure;
  private boolean cuda;
  private Device device;
  private int threads;
  private final TorchOps ops = new TorchOps(this);

  @Override
  public String name() {
    return "torch";
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
      String wanted = System.getProperty(DEVICE_PROP_NAME, "auto");
      boolean cudaAvailable = false;
      if (!"cpu".equalsIgnoreCase(wanted)) {
        try {
          cudaAvailable = torch.cuda_is_available();
        } catch (Throwable e) {
          LOG.debug("CUDA probe failed", e);
        }
      }
      if ("cuda".equalsIgnoreCase(wanted) && !cudaAvailable) {
        throw new IllegalStateException(DEVICE_PROP_NAME + "=cuda but no CUDA device is usable "
            + "(is the linux-x86_64-gpu build of org.bytedeco:pytorch on the classpath?)");
      }
      cuda = cudaAvailable;
      device = new Device(cuda ? torch.DeviceType.CUDA : torch.DeviceType.CPU);
      setThreads(configuredThreads());
      LOG.info("torch backend: {}", device());
    } catch (Throwable e) {
      loadFailure = e;
      LOG.error("torch backend unavailable: {}", e.toString(), e);
    }
  }

  private void ensure() {
    if (!initialised) {
      init();
    }
    if (loadFailure != null) {
      throw new IllegalStateException("torch backend unavailable: " + loadFailure, loadFailure);
    }
  }

  @Override
  public Ops ops() {
    ensure();
    return ops;
  }

  @Override
  public String device() {
    ensure();
    return cuda ? "cuda:0" : "cpu (" + threads + " threads)";
  }

  @Override
  public int threads() {
    ensure();
    return threads;
  }

  @Override
  public synchronized void setThreads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException(THREADS_PROP_NAME + ": expected >= 1, found " + n);
    }
    torch.set_num_threads(n);
    // OpenBLAS keeps its own pthreads besides libtorch's OpenMP pool: pin it to one thread so
    // the two never oversubscribe the cores (the same as OPENBLAS_NUM_THREADS=1).
    try {
      org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(1);
    } catch (Throwable e) {
      LOG.debug("could not set OpenBLAS threads", e);
    }
    threads = n;
  }

  @Override
  public void setSeed(long seed) {
    ensure();
    torch.manual_seed(seed);
  }

  boolean isCuda() {
    return cuda;
  }

  org.bytedeco.pytorch.Tensor onDevice(org.bytedeco.pytorch.Tensor t) {
    return cuda ? t.to(device, t.scalar_type()) : t;
  }

  org.bytedeco.pytorch.Tensor fromFloats(float[] data, int offset, int[] shape) {
    long n = 1;
    long[] s = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] < 0) {
        throw new IllegalArgumentException("constant: negative dimension in shape "
            + java.util.Arrays.toString(shape));
      }
      s[i] = shape[i];
      n *= shape[i];
    }
    if (offset < 0 || offset + n > data.length) {
      throw new IllegalArgumentException("constant: shape " + java.util.Arrays.toString(shape)
          + " needs " + n + " values from offset " + offset + ", array has " + data.length);
    }
    org.bytedeco.pytorch.Tensor t = torch.empty(s);
    if (n > 0) {
      t.data_ptr_float().put(data, offset, (int) n);
    }
    return onDevice(t);
  }

  @Override
  public Tensor variable(float[] initial, int[] shape, boolean trainable) {
    ensure();
    org.bytedeco.pytorch.Tensor t = keep(fromFloats(initial, 0, shape));
    t.requires_grad_(trainable);
    return new TorchTensor(t);
  }

  /** Keeps a tensor alive past the enclosing {@link PointerScope} (variables, flat vectors). */
  static org.bytedeco.pytorch.Tensor keep(org.bytedeco.pytorch.Tensor t) {
    t.retainReference();
    PointerScope inner = PointerScope.getInnerScope();
    if (inner != null) {
      inner.detach(t);
    }
    return t;
  }

  @Override
  public void assign(Tensor variable, float[] values, int offset) {
    org.bytedeco.pytorch.Tensor v = TorchTensor.unwrap(variable);
    long n = v.numel();
    if (offset < 0 || offset + n > values.length) {
      throw new IllegalArgumentException("assign: variable of " + n + " values, array of "
          + values.length + " from offset " + offset);
    }
    try (PointerScope s = new PointerScope()) {
      org.bytedeco.pytorch.Tensor src = torch.empty(n);
      src.data_ptr_float().put(values, offset, (int) n);
      v.detach().view(-1).copy_(onDevice(src));
    }
  }

  @Override
  public ParameterBlock pack(List<Tensor> variables) {
    ensure();
    return new TorchParameterBlock(this, variables);
  }

  @Override
  public Scope scope(boolean grad) {
    ensure();
    PointerScope ps = new PointerScope();
    NoGradGuard guard = grad ? null : new NoGradGuard();
    return () -> {
      if (guard != null) {
        guard.close();
      }
      ps.close();
    };
  }

  @Override
  public void backward(Tensor loss) {
    TorchTensor.unwrap(loss).backward();
  }

  @Override
  public String toString() {
    return "torch backend on " + (initialised && loadFailure == null ? device() : "?");
  }
}
