package io.sparkeras.bench.scale;

import io.sparkeras.core.optim.FlatMath;
import io.sparkeras.core.optim.FlatOptimizer;
import io.sparkeras.ps.protocol.Protocol;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bin/sparkeras bench scale server-cpu}: the CPU a parameter-server shard spends per sync
 * step at real model size, which the simulator's scaled-down models do not carry (see
 * {@link SimJob}). A shard's agent, on its one thread, copies each worker's fp32 chunk out of
 * the log buffer and adds it into the step's sum ({@link FlatMath#add}, chunk by chunk as the
 * pushes arrive), then divides by the workers and applies Adam ({@link FlatOptimizer#step}).
 * Timed in the thread's CPU time (a shard's agent has a core of its own on a server node; this
 * machine's other work must not count) on {@code --floats} values (default 8M: the share of a
 * ResNet-50-sized model on three nodes) with the same calls, medians of {@code --repeats}: the
 * cost per float of one worker's push ({@code add_ns_per_float}) and of the step's update
 * ({@code update_ns_per_float}).
 * A node's update time per step is then {@code P/K x (N x add + update)}, which
 * {@link ScaleModel} adds to the simulated step.
 *
 * <pre>
 * bin/sparkeras bench scale server-cpu [--floats 8000000] [--repeats 5]
 *     [--out bench/results/scale-server-cpu.csv]
 * </pre>
 */
public final class ServerCpuBench {
  /** Where {@code server-cpu} writes and {@link ScaleModel} reads. */
  static final String RESULTS = "bench/results/scale-server-cpu.csv";
  static final String HEADER = "floats,add_ns_per_float,update_ns_per_float,date,load";

  /** CPU time of the measuring thread: what one dedicated core needs, whatever else runs. */
  private static final ThreadMXBean THREAD = ManagementFactory.getThreadMXBean();

  private ServerCpuBench() {}

  static void run(Map<String, String> o) throws IOException {
    int floats = Integer.parseInt(o.getOrDefault("floats", "8000000"));
    int repeats = Integer.parseInt(o.getOrDefault("repeats", "5"));
    double load = SimCluster.loadAverage();
    double[] ns = measure(floats, repeats);
    String line = String.format(Locale.ROOT, "%d,%.3f,%.3f,%s,%.1f", floats, ns[0], ns[1],
        LocalDate.now(ZoneOffset.UTC), load);
    Path out = ScaleBench.home().resolve(o.getOrDefault("out", RESULTS));
    Files.write(out, List.of(HEADER, line), StandardCharsets.UTF_8);
    System.out.println(HEADER);
    System.out.println(line);
    System.out.println("wrote " + out);
  }

  /** {add ns per float, update ns per float}, medians of {@code repeats} after one warm-up. */
  static double[] measure(int floats, int repeats) {
    FloatBuffer params = direct(floats);
    FloatBuffer sum = direct(floats);
    FloatBuffer log = direct(floats);
    FloatBuffer incoming = direct(Protocol.chunkFloats(SimCluster.MTU));
    for (int i = 0; i < floats; i++) {
      log.put(i, (i % 17) * 1e-4f);
    }
    FlatOptimizer adam = FlatOptimizer.fromKerasConfig("adam", Map.of("learning_rate", 1e-3),
        floats, null);
    int chunk = incoming.capacity();
    double[] add = new double[repeats + 1];
    double[] update = new double[repeats + 1];
    for (int r = 0; r <= repeats; r++) {
      long t0 = THREAD.getCurrentThreadCpuTime();
      for (int at = 0; at < floats; at += chunk) {
        int k = Math.min(chunk, floats - at);
        incoming.put(0, log, at, k); // the agent's copy out of the log buffer
        FlatMath.add(sum, at, incoming, 0, k);
      }
      long t1 = THREAD.getCurrentThreadCpuTime();
      FlatMath.divide(sum, 0, floats, 2);
      adam.step(params, sum);
      long t2 = THREAD.getCurrentThreadCpuTime();
      add[r] = (double) (t1 - t0) / floats;
      update[r] = (double) (t2 - t1) / floats;
    }
    return new double[] {median(add), median(update)};
  }

  private static double median(double[] withWarmup) {
    double[] v = Arrays.copyOfRange(withWarmup, 1, withWarmup.length);
    Arrays.sort(v);
    return v[v.length / 2];
  }

  private static FloatBuffer direct(int n) {
    return ByteBuffer.allocateDirect(4 * n).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
  }

  /** {add, update} ns per float from {@code file} (written by {@link #run}). */
  static double[] read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.size() < 2 || !lines.get(0).equals(HEADER)) {
      throw new IllegalArgumentException(file + ": expected the header " + HEADER
          + " and one row; run bin/sparkeras bench scale server-cpu first");
    }
    String[] f = lines.get(1).split(",");
    return new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2])};
  }
}
