package io.sparkeras.ps;

import io.aeron.driver.MediaDriver;
import io.sparkeras.ps.client.ParameterServerClient;
import io.sparkeras.ps.protocol.MediaDrivers;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Shared set-up of the parameter-server tests: small terms, an 8 KiB MTU so vectors span chunks. */
public final class PsTestSupport {
  public static final byte[] SECRET = "test-secret-of-job-42-0123456789".getBytes(StandardCharsets.US_ASCII);
  public static final long JOB = 42;
  public static final int MTU = 8192;
  public static final int TERM = 1024 * 1024;
  public static final int SOCKET_BUFFER = 1024 * 1024;
  public static final int WINDOW = 256 * 1024;

  private PsTestSupport() {}

  /** A UDP port free on 127.0.0.1 right now. */
  public static int freeUdpPort() {
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Server settings for tests; the driver directory lives under {@code dir}. */
  public static ParameterServerContext serverContext(File dir, int port) {
    return new ParameterServerContext()
        .bind("127.0.0.1:" + port)
        .jobId(JOB)
        .jobSecret(SECRET)
        .mtuLength(MTU)
        .termLength(TERM)
        .socketBufferLength(SOCKET_BUFFER)
        .receiverWindowLength(WINDOW)
        .driverDirectoryParent(dir.getAbsolutePath())
        .optimizer("adam", Map.of("learning_rate", 0.01));
  }

  /** Client settings for tests, using the shared client-side driver in {@code aeronDir}. */
  public static ParameterServerClient.Context clientContext(String aeronDir, int port, int partition) {
    return new ParameterServerClient.Context()
        .server("127.0.0.1:" + port)
        .jobId(JOB)
        .secret(SECRET)
        .partition(partition)
        .mtuLength(MTU)
        .termLength(TERM)
        .socketBufferLength(SOCKET_BUFFER)
        .receiverWindowLength(WINDOW)
        .launchEmbeddedDriver(false)
        .aeronDirectoryName(aeronDir)
        .timeout(30, TimeUnit.SECONDS);
  }

  /** The client-side media driver of a test (one per test JVM test, like one per worker host). */
  public static MediaDriver clientDriver(File dir) {
    return MediaDrivers.launch(MediaDrivers.newDirectoryName(dir.getAbsolutePath(), "client"),
        MTU, TERM, SOCKET_BUFFER, WINDOW, false);
  }

  public static FloatBuffer floats(int n) {
    return ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  /** Deterministic test values in [-1, 1). */
  public static float value(long seed, int i) {
    long z = seed * 0x9E3779B97F4A7C15L + i * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 31)) * 0x94D049BB133111EBL;
    z ^= z >>> 29;
    return ((z >>> 40) / (float) (1L << 24)) * 2f - 1f;
  }

  /** Polls {@code condition} until true or the deadline passes (then fails). */
  public static void await(BooleanSupplier condition, long timeoutMs, String what) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(1); // polling interval, not a readiness wait
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** Reference Keras 3 Adam in double precision, independent of the core implementation. */
  public static final class RefAdam {
    final double lr;
    final double b1;
    final double b2;
    final double eps;
    final boolean amsgrad;
    final double[] m;
    final double[] v;
    final double[] vhat;

    public RefAdam(int n, double lr, double b1, double b2, double eps, boolean amsgrad) {
      this.lr = lr;
      this.b1 = b1;
      this.b2 = b2;
      this.eps = eps;
      this.amsgrad = amsgrad;
      m = new double[n];
      v = new double[n];
      vhat = new double[n];
    }

    /** One step t (1-based) on p with gradient g. */
    public void step(double[] p, double[] g, long t) {
      step(p, g, t, lr);
    }

    /** One step t with an explicit learning rate (schedules). */
    public void step(double[] p, double[] g, long t, double lr) {
      double alpha = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
      for (int i = 0; i < p.length; i++) {
        m[i] += (g[i] - m[i]) * (1 - b1);
        v[i] += (g[i] * g[i] - v[i]) * (1 - b2);
        double denom = v[i];
        if (amsgrad) {
          vhat[i] = Math.max(vhat[i], v[i]);
          denom = vhat[i];
        }
        p[i] -= alpha * m[i] / (Math.sqrt(denom) + eps);
      }
    }
  }

  /** Deletes a directory tree. */
  public static void deleteTree(File f) {
    File[] children = f.listFiles();
    if (children != null) {
      for (File c : children) {
        deleteTree(c);
      }
    }
    f.delete();
  }

  /** A per-test directory under /dev/shm (Aeron logs want memory-backed files). */
  public static File shmDir(String name) {
    File base = new File("/dev/shm").isDirectory() ? new File("/dev/shm") : new File(System.getProperty("java.io.tmpdir"));
    File dir = new File(base, "sparkeras-test-" + name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    if (!dir.mkdirs()) {
      throw new IllegalStateException("cannot create " + dir);
    }
    return dir;
  }

  public static Map<String, Object> adamConfig(boolean amsgrad) {
    return amsgrad ? Map.of("learning_rate", 0.01, "beta_1", 0.8, "beta_2", 0.99, "amsgrad", true)
        : Map.of("learning_rate", 0.01, "beta_1", 0.8, "beta_2", 0.99);
  }

  /** The test gradient of {@code worker} at {@code step}, element {@code i}. */
  public static float gradient(int worker, long step, int i) {
    return value(1000 * worker + step, i);
  }

  /** Initial parameters of the tests: {@code value(7, i)}. */
  public static FloatBuffer initialParameters(int size) {
    FloatBuffer p = floats(size);
    for (int i = 0; i < size; i++) {
      p.put(i, value(7, i));
    }
    return p;
  }

  /** {@code worker}'s gradient of {@code step} ({@link #gradient}) in a new buffer. */
  public static FloatBuffer gradients(int worker, long step, int size) {
    FloatBuffer g = floats(size);
    for (int i = 0; i < size; i++) {
      g.put(i, gradient(worker, step, i));
    }
    return g;
  }

  /**
   * One sync worker: connects, pulls, pushes {@link #gradient}s for {@code steps} steps, pulling
   * version step + 1 after each; returns its parameters at the end.
   */
  public static float[] syncWorker(ParameterServerClient.Context ctx, int worker, int steps,
      int size) {
    try (ParameterServerClient c = ParameterServerClient.connect(ctx)) {
      if (c.parameterCount() != size) {
        throw new AssertionError("parameterCount " + c.parameterCount() + ", expected " + size);
      }
      FloatBuffer params = floats(size);
      c.pull(0, params);
      for (long step = 0; step < steps; step++) {
        c.pushGradient(0, step, gradients(worker, step, size));
        if (c.pull(step + 1, params) != step + 1) {
          throw new AssertionError("pull after step " + step + " did not give " + (step + 1));
        }
      }
      float[] out = new float[size];
      params.get(0, out);
      return out;
    }
  }

  /**
   * The parameters after {@code steps} sync steps of {@code workers} workers ({@link #gradient}s
   * averaged) from {@link #initialParameters}, with {@code adamConfig(false)}'s Adam in double
   * precision.
   */
  public static double[] expectedAdam(int steps, int workers, int size) {
    double[] p = new double[size];
    for (int i = 0; i < size; i++) {
      p[i] = value(7, i);
    }
    RefAdam ref = new RefAdam(size, 0.01, 0.8, 0.99, 1e-7, false);
    for (long step = 0; step < steps; step++) {
      double[] mean = new double[size];
      for (int i = 0; i < size; i++) {
        for (int w = 0; w < workers; w++) {
          mean[i] += gradient(w, step, i);
        }
        mean[i] /= workers;
      }
      ref.step(p, mean, step + 1);
    }
    return p;
  }
}
