package io.sparkeras.bench.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One configuration of the simulator: model and compute profile, workers, server nodes, mode,
 * compression, overlap, and the model-size scale that lets two cores carry the traffic of many
 * simulated hosts (see {@link #scale}). Immutable; the {@code with*} methods return copies.
 *
 * <pre>{@code
 * SimJob job = SimJob.of(ModelShape.named("resnet50-size"), ComputeProfile.v100(), "resnet50-size")
 *     .withWorkers(8).withServerNodes(2).withMode("sync").withCompression("none")
 *     .withOverlap(true).withScale(16);
 * }</pre>
 *
 * <p><b>Scale.</b> With scale S the simulated model has P/S parameters and every link runs at
 * rate/S ({@link SimCluster} shapes it so), so each link needs as long per step as the real model
 * on the real link, while the machine moves S times fewer bytes; compute waits are not scaled.
 * What does not scale with it: the CPU work per byte (Aeron copies, the server's sum and
 * update, encodings) is S times smaller than for the real model, so the simulator measures the
 * network and the protocol, and the server's CPU is measured separately ({@code bench scale
 * server-cpu}) and added by the analytic model.
 */
public final class SimJob {
  final ModelShape model;
  final ComputeProfile.Entry compute;
  final int workers;
  final int serverNodes;
  final int shardsPerNode;
  final String mode;
  final int staleness;
  final int every;
  final String compression;
  final double threshold;
  final double density;
  final boolean overlap;
  final long scale;
  final int steps;
  final int warmup;
  final boolean spin;
  final long groupFloats;

  private SimJob(ModelShape model, ComputeProfile.Entry compute, int workers, int serverNodes,
      int shardsPerNode, String mode, int staleness, int every, String compression,
      double threshold, double density, boolean overlap, long scale, int steps, int warmup,
      boolean spin, long groupFloats) {
    this.model = model;
    this.compute = compute;
    this.workers = workers;
    this.serverNodes = serverNodes;
    this.shardsPerNode = shardsPerNode;
    this.mode = mode;
    this.staleness = staleness;
    this.every = every;
    this.compression = compression;
    this.threshold = threshold;
    this.density = density;
    this.overlap = overlap;
    this.scale = scale;
    this.steps = steps;
    this.warmup = warmup;
    this.spin = spin;
    this.groupFloats = groupFloats;
  }

  /** Sync, fp32, one server node, no overlap, scale 1, 8 steps of which 3 warm up. */
  public static SimJob of(ModelShape model, ComputeProfile.Entry compute) {
    return new SimJob(model, compute, 1, 1, 1, "sync", 2, 4, "none", 1e-3, 0.05, false, 1, 8, 3,
        false, 1L << 20);
  }

  public SimJob withWorkers(int n) {
    check(n >= 1, "workers", "must be >= 1, found " + n);
    return copy(n, serverNodes, shardsPerNode, mode, compression, overlap, scale, steps, warmup,
        spin);
  }

  /** Server nodes, each on a simulated host of its own; shards per node (default 1). */
  public SimJob withServerNodes(int k) {
    check(k >= 1, "serverNodes", "must be >= 1, found " + k);
    return copy(workers, k, shardsPerNode, mode, compression, overlap, scale, steps, warmup, spin);
  }

  public SimJob withShardsPerNode(int s) {
    check(s >= 1, "shardsPerNode", "must be >= 1, found " + s);
    return copy(workers, serverNodes, s, mode, compression, overlap, scale, steps, warmup, spin);
  }

  /** {@code sync}, {@code async} (staleness 2) or {@code averaging} (every 4 steps). */
  public SimJob withMode(String m) {
    check(m.equals("sync") || m.equals("async") || m.equals("averaging"), "mode",
        "expected sync, async or averaging, found '" + m + "'");
    return copy(workers, serverNodes, shardsPerNode, m, compression, overlap, scale, steps,
        warmup, spin);
  }

  /** {@code none}, {@code fp16}, {@code bf16} or {@code threshold}. */
  public SimJob withCompression(String c) {
    check(List.of("none", "fp16", "bf16", "threshold").contains(c), "compression",
        "expected none, fp16, bf16 or threshold, found '" + c + "'");
    return copy(workers, serverNodes, shardsPerNode, mode, c, overlap, scale, steps, warmup, spin);
  }

  public SimJob withOverlap(boolean o) {
    return copy(workers, serverNodes, shardsPerNode, mode, compression, o, scale, steps, warmup,
        spin);
  }

  public SimJob withScale(long s) {
    check(s >= 1, "scale", "must be >= 1, found " + s);
    return copy(workers, serverNodes, shardsPerNode, mode, compression, overlap, s, steps, warmup,
        spin);
  }

  /** Steps per worker, of which the first {@code warm} are not measured. */
  public SimJob withSteps(int total, int warm) {
    check(warm >= 0 && total > warm, "steps", "need more steps (" + total + ") than warm-up ("
        + warm + ")");
    return copy(workers, serverNodes, shardsPerNode, mode, compression, overlap, scale, total,
        warm, spin);
  }

  /** Spin on a core during compute (a real worker's CPU use) instead of sleeping. */
  public SimJob withSpin(boolean s) {
    return copy(workers, serverNodes, shardsPerNode, mode, compression, overlap, scale, steps,
        warmup, s);
  }

  private SimJob copy(int n, int k, int spn, String m, String c, boolean o, long s, int total,
      int warm, boolean sp) {
    return new SimJob(model, compute, n, k, spn, m, staleness, every, c, threshold, density, o, s,
        total, warm, sp, groupFloats);
  }

  private static void check(boolean ok, String key, String message) {
    if (!ok) {
      throw new IllegalArgumentException("scale simulator setting '" + key + "': " + message);
    }
  }

  /** Parameters of the simulated (scaled) model. */
  public int simulatedParameters() {
    return (int) Math.max(workers, Math.ceil((double) model.parameters() / scale));
  }

  /** Shards of the job: {@code serverNodes × shardsPerNode}. */
  public int shards() {
    return serverNodes * shardsPerNode;
  }

  /**
   * The layer groups of the scaled model, from the last to the first: {@code [i][0]} the
   * group's first float, {@code [i][1]} its backward nanoseconds. Groups that the scale makes
   * empty merge into the next.
   */
  long[][] groups() {
    long[] starts = model.groupStarts(groupFloats);
    long total = compute.backwardNs;
    List<long[]> out = new ArrayList<>();
    double doneShare = 0;
    long carried = 0;
    long previous = simulatedParameters();
    for (long start : starts) {
      double share = model.backwardShareFrom(start);
      long ns = Math.round((share - doneShare) * total) + carried;
      doneShare = share;
      long scaled = start == 0 ? 0 : Math.min(previous, start / scale);
      if (scaled >= previous && start != 0) {
        carried = ns;
        continue;
      }
      out.add(new long[] {scaled, ns});
      carried = 0;
      previous = scaled;
    }
    return out.toArray(new long[0][]);
  }

  /** The row key of the CSV: model,mode,compression,workers,... */
  String describe() {
    return String.format(Locale.ROOT, "%s %s %s workers=%d nodes=%d overlap=%s scale=%d",
        model.name(), mode, compression, workers, serverNodes, overlap, scale);
  }
}
