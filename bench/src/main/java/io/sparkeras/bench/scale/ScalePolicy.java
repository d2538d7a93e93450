package io.sparkeras.bench.scale;

import io.sparkeras.ps.protocol.Protocol;

/**
 * Picks the model-size scale of a run (see {@link SimJob}): large enough that the traffic of
 * all simulated links together stays within what this machine's cores move through Aeron, the
 * veth pairs and the bridge without becoming the bottleneck themselves
 * ({@code -Dsparkeras.scale.budgetMBps}, default 30 MB/s each way: on the 2-core development
 * machine at a load of 20-40, a ResNet-50-sized run of 8 workers on 10 Gbit/s took 2.4 s a step
 * at 120 MB/s and 1.4 s at 30), and small enough that every shard still gets
 * at least 16 chunks per step, so that pipelining inside a push keeps its shape.
 *
 * <p>The busiest point of a step is where the server links meet: at most
 * {@code min(workers, server nodes)} links run at full rate in each direction at once.
 */
public final class ScalePolicy {
  /** Traffic the machine carries each way, bytes/s. */
  static final double BUDGET = Double.parseDouble(System.getProperty("sparkeras.scale.budgetMBps",
      "30")) * 1e6;

  private ScalePolicy() {}

  /** The scale for {@code job} on links of {@code linkGbps}. */
  public static long scaleFor(SimJob job, double linkGbps) {
    double busiest = Math.min(job.workers, job.serverNodes) * linkGbps * 1e9 / 8;
    long wanted = (long) Math.ceil(busiest / BUDGET);
    long chunkFloats = Protocol.chunkFloats(SimCluster.MTU);
    long cap = Math.max(1, job.model.parameters() / ((long) job.shards() * 16 * chunkFloats));
    return Math.max(1, Math.min(wanted, cap));
  }
}
