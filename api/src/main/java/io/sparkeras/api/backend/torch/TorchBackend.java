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

  /**
   * System property: OpenBLAS threads for libtorch's matrix products, a positive number or
   * {@code threads} (as many as the intra-op threads). Default 1: convolutions call BLAS from
   * inside libtorch's own parallel loops, where more BLAS threads oversubscribe the cores (a small
   * CNN on 2 cores: 1.4x slower); models made of Dense layers, whose products run outside those
   * loops, train up to 1.6x faster with {@code threads} (MLP 784-512-256-10, batch 256, 2 cores).
   */
  public static final String BLAS_THREADS_PROP_NAME = "sparkeras.blasThreads";
  /** Environment variable for the same (for executors), read when the property is not set. */
  public static final String BLAS_THREADS_ENV_NAME = "SPARKERAS_BLAS_THREADS";

  static int configuredThreads() {
    int t = setting(THREADS_PROP_NAME, THREADS_ENV_NAME, false);
    return t == 0 ? Runtime.getRuntime().availableProcessors() : t;
  }

  /** OpenBLAS threads for {@code threads} intra-op threads. */
  static int configuredBlasThreads(int threads) {
    int t = setting(BLAS_THREADS_PROP_NAME, BLAS_THREADS_ENV_NAME, true);
    return t == 0 ? 1 : t < 0 ? threads : t;
  }

  /** The property, else the variable: 0 when neither is set, -1 for "threads" where allowed. */
  private static int setting(String prop, String env, boolean followAllowed) {
    String v = System.getProperty(prop);
    String from = "-D" + prop;
    if (v == null) {
      v = System.getenv(env);
      from = env;
    }
    if (v == null || v.isBlank()) {
      return 0;
    }
    if (followAllowed && v.trim().equals("threads")) {
      return -1;
    }
    try {
      int t = Integer.parseInt(v.trim());
      if (t > 0) {
        return t;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(from + ": expected a positive number of threads"
        + (followAllowed ? " or 'threads'" : "") + ", found '" + v + "'");
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
      // NNPACK fails to initialise on many x86 CPUs and then warns on every convolution it is
      // considered for ("Could not initialize NNPACK! Reason: Unsupported hardware"); libtorch's
      // own kernels serve those convolutions either way.
      torch.globalContext().setUserEnabledNNPACK(false);
      // libtorch 2.10's oneDNN (mkldnn) convolutions compute wrong results or gradients for
      // grouped and depthwise convolutions, 1-D ones and some single-channel ones (Conv2D(2, 2)
      // on a 3x3x1 input: LayerTestHarness's finite differences; depthwise and transposed cases:
      // the Keras reference tests); 2.7.1 (JavaCPP 1.5.12) fails the same tests, 2.13 (1.5.14,
      // whose OpenBLAS is not on Maven Central) passes them. libtorch's own kernels (im2col +
      // OpenBLAS) are right (docs/platform.md, "The native stack").
      torch.globalContext().setUserEnabledMkldnn(false);
      device = new Device(cuda ? torch.DeviceType.CUDA : torch.DeviceType.CPU);
      setThreads(configuredThreads());
      NetlibBlas.shareOpenBlas();
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
    int blas = configuredBlasThreads(n);
    torch.set_num_threads(n);
    // OpenBLAS keeps its own pthreads besides libtorch's OpenMP pool: one thread by default so
    // the two never oversubscribe the cores (see BLAS_THREADS_PROP_NAME).
    try {
      org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(blas);
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
