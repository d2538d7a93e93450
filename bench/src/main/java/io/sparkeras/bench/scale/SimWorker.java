package io.sparkeras.bench.scale;

import io.sparkeras.ps.TrainingMode;
import io.sparkeras.ps.client.ParameterServerClient;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.BackoffIdleStrategy;

/**
 * One simulated worker: the real parameter-server client over real Aeron UDP, with the forward
 * and backward pass replaced by a calibrated wait. Per step: the forward time, then the backward
 * time of each layer group from the last to the first; without overlap the whole gradient is
 * pushed after backward and the parameters pulled after the push, with overlap each group's
 * gradient is pushed as soon as its backward time has passed ({@code pushGradientFrom}) while
 * the pull was begun before ({@code beginPull}), as a worker whose engine runs backward on an
 * accelerator while its CPU pushes. The wait sleeps ({@code compute=sleep}: many simulated
 * workers share a few cores) or spins on one core ({@code compute=spin}: a real worker's CPU use,
 * for comparisons with real runs on the same machine).
 *
 * <p>Sync: push step t, pull version t + 1. Async: push, pull what the staleness bound allows.
 * Averaging: {@code every} local steps (compute only), then push the weights and pull the mean.
 * Timestamps ({@link System#nanoTime()}, one clock for every process of the machine) of the
 * steps after the warm-up go back as one JSON line.
 */
final class SimWorker {
  private final SimSettings s;
  private final String aeronDir;
  private final boolean spin;
  private final long forwardNs;
  private final long[] groupStarts;
  private final long[] backwardNs;

  private final long parkNs;

  SimWorker(SimSettings settings, String aeronDir, long parkNs) {
    this.s = settings;
    this.parkNs = parkNs;
    this.aeronDir = aeronDir;
    String compute = s.string("compute");
    if (!compute.equals("sleep") && !compute.equals("spin")) {
      throw new IllegalArgumentException("simulated host setting 'compute': expected sleep or"
          + " spin, found '" + compute + "'");
    }
    this.spin = compute.equals("spin");
    this.forwardNs = s.number("fwd");
    this.groupStarts = s.numbers("starts");
    this.backwardNs = s.numbers("bwd");
    if (groupStarts.length != backwardNs.length || groupStarts[groupStarts.length - 1] != 0) {
      throw new IllegalArgumentException("simulated host settings 'starts' and 'bwd': one"
          + " backward time per layer group, groups from the last to the first (ending at 0)");
    }
  }

  /** Runs the job; returns its JSON result line. */
  String run() {
    int partition = s.integer("partition");
    int params = s.integer("params");
    TrainingMode mode = TrainingMode.valueOf(s.string("mode").toUpperCase(java.util.Locale.ROOT));
    int staleness = s.integer("staleness");
    int every = s.integer("every");
    int steps = s.integer("steps");
    int warmup = s.integer("warmup");
    int batch = s.integer("batch");
    boolean overlap = s.flag("overlap");
    ParameterServerClient.Context ctx = new ParameterServerClient.Context()
        .servers(s.string("servers").split(","))
        .replyHost(s.string("reply"))
        .jobId(s.number("job"))
        .secret(HexFormat.of().parseHex(s.string("secret")))
        .partition(partition)
        .workerId(partition)
        .mtuLength(s.integer("mtu"))
        .termLength(s.integer("term"))
        .socketBufferLength(s.integer("sockbuf"))
        .receiverWindowLength(s.integer("window"))
        .launchEmbeddedDriver(false)
        .idleStrategySupplier(() -> new BackoffIdleStrategy(100, 10, 1_000, parkNs))
        .aeronDirectoryName(aeronDir)
        .timeout(s.number("timeoutMs"), TimeUnit.MILLISECONDS);
    FloatBuffer weights = direct(params);
    FloatBuffer grads = direct(params);
    fillGradients(grads, params, s.real("density"), s.real("threshold"), partition);
    long[] start = new long[steps - warmup];
    long[] computed = new long[steps - warmup];
    long[] pushed = new long[steps - warmup];
    long[] end = new long[steps - warmup];
    try (ParameterServerClient c = ParameterServerClient.connect(ctx)) {
      c.pull(0, weights);
      long round = 0;
      for (int step = 0; step < steps; step++) {
        long t0 = System.nanoTime();
        long done;
        long pushEnd;
        boolean exchange = mode != TrainingMode.AVERAGING || (step + 1) % every == 0;
        long waitFor = mode == TrainingMode.SYNC ? step + 1
            : mode == TrainingMode.ASYNC ? Math.max(0, step + 1 - staleness) : round + 1;
        if (overlap && exchange && mode != TrainingMode.AVERAGING) {
          computeUntil(t0 + forwardNs);
          c.beginPull(waitFor, weights);
          long deadline = t0 + forwardNs;
          for (int g = 0; g < groupStarts.length; g++) {
            deadline += backwardNs[g];
            computeUntil(deadline);
            c.pushGradientFrom(0, step, grads, (int) groupStarts[g], 0.5f, batch);
          }
          done = deadline;
          pushEnd = System.nanoTime();
          c.awaitPull();
        } else {
          done = t0 + forwardNs + sum(backwardNs);
          computeUntil(done);
          if (!exchange) {
            pushEnd = System.nanoTime();
          } else if (mode == TrainingMode.AVERAGING) {
            c.pushWeights(0, round, weights, 0.5f, batch * every);
            pushEnd = System.nanoTime();
            c.pull(waitFor, weights);
            round++;
          } else {
            c.pushGradient(0, step, grads, 0.5f, batch);
            pushEnd = System.nanoTime();
            c.pull(waitFor, weights);
          }
        }
        long t1 = System.nanoTime();
        if (step >= warmup) {
          int i = step - warmup;
          start[i] = t0;
          computed[i] = Math.max(done, t0);
          pushed[i] = pushEnd;
          end[i] = t1;
        }
      }
    }
    return "{\"partition\":" + partition + ",\"batch\":" + batch + ",\"start\":" + json(start)
        + ",\"computed\":" + json(computed) + ",\"pushed\":" + json(pushed) + ",\"end\":"
        + json(end) + "}";
  }

  /** Waits until {@code deadline} (nanoTime): sleeping, or spinning on this core. */
  private void computeUntil(long deadline) {
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      if (spin) {
        Thread.onSpinWait();
      } else {
        LockSupport.parkNanos(left);
      }
    }
  }

  private static long sum(long[] v) {
    long t = 0;
    for (long x : v) {
      t += x;
    }
    return t;
  }

  /**
   * Gradient values: for threshold compression, magnitudes uniform in (0, 2 x density x
   * threshold) with random signs, so that with the client's residual each element is sent about
   * {@code density} of the steps (the fraction measured on real gradients); the other encodings
   * send every value whatever it is.
   */
  static void fillGradients(FloatBuffer g, int n, double density, double threshold, int seed) {
    SplittableRandom r = new SplittableRandom(seed * 31L + 7);
    double scale = 2 * density * threshold;
    for (int i = 0; i < n; i++) {
      double v = r.nextDouble() * scale;
      g.put(i, (float) (r.nextBoolean() ? v : -v));
    }
  }

  private static FloatBuffer direct(int n) {
    return ByteBuffer.allocateDirect(4 * n).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
  }

  private static String json(long[] v) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) {
      sb.append(i == 0 ? "" : ",").append(v[i]);
    }
    return sb.append(']').toString();
  }
}
