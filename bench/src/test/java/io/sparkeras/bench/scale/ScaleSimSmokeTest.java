package io.sparkeras.bench.scale;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scale simulator end to end, small: two simulated worker hosts and one server host (three
 * network namespaces behind a bridge, links shaped by tc), each a JVM speaking real Aeron UDP to
 * the real parameter server, a few sync steps of the MLP with compute replaced by a wait. Needs
 * root and a kernel with network namespaces, veth, bridges and tbf: where one is missing the test
 * is skipped with what is missing. The full measurements are {@code bin/sparkeras bench scale}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ScaleSimSmokeTest {
  @Test
  void twoSimulatedHostsTrainInSyncOverShapedLinksAndLeaveNothingBehind() {
    String missing = SimNet.missing(false);
    Assumptions.assumeTrue(missing == null, () -> "the scale simulator cannot run on this"
        + " machine; missing: " + missing);
    double gbps = 0.5;
    SimJob job = SimJob.of(ModelShape.mlp(), ComputeProfile.fixed("mlp", 128, 1, 2).entry("mlp"))
        .withWorkers(2).withSteps(6, 2);
    String run;
    List<Process> processes;
    SimCluster cluster = SimCluster.start(2, 1, 9000, 0);
    try {
      run = cluster.net().run();
      processes = cluster.processes();
      assertFalse(SimNet.leftovers(run).isEmpty(), "the run's namespaces exist while it runs");
      SimResult r = cluster.run(job, gbps);
      assertEquals(6, r.serverSteps, "the server applied every sync step once");
      // every step moves each worker's 535,818-float gradient into the server host and the new
      // parameters back out, both workers' through the server's one shaped link
      double bytesEachWay = 2.0 * 4 * ModelShape.mlp().parameters();
      double linkSeconds = 2 * bytesEachWay / (gbps * 1e9 / 8);
      assertTrue(r.stepSeconds >= r.computeSeconds + 0.8 * linkSeconds, "a step of "
          + r.stepSeconds + " s is faster than the shaped link allows (" + linkSeconds
          + " s of transfer + " + r.computeSeconds + " s of compute): " + r);
      assertTrue(r.stepSeconds < 20 * (r.computeSeconds + linkSeconds), "implausibly slow: " + r);
      assertTrue(r.samplesPerSecond > 0 && r.scalingEfficiency > 0 && r.scalingEfficiency < 1,
          r.toString());
      // a job that fails (a server refuses 4 shards for 2 parameters) says why, and the
      // cluster still tears down completely below
      IllegalStateException bad = assertThrows(IllegalStateException.class,
          () -> cluster.run(job.withScale(1_000_000).withShardsPerNode(4), gbps));
      assertTrue(bad.getMessage().contains("parameterCount"), bad.getMessage());
    } finally {
      cluster.close();
    }
    assertEquals(List.of(), SimNet.leftovers(run), "namespaces or /dev/shm directories left");
    for (Process p : processes) {
      assertFalse(p.isAlive(), "a simulated host's JVM outlived the cluster");
    }
  }
}
