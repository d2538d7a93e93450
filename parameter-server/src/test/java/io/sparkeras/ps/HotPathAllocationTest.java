package io.sparkeras.ps;

import static io.sparkeras.ps.PsTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import com.sun.management.ThreadMXBean;
import io.sparkeras.ps.client.ParameterServerClient;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Steady-state push + pull allocates nothing, on the worker's thread or on the shards' threads. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HotPathAllocationTest extends ServerTestFixture {
  static final int SIZE = 20_000;



  @Test
  void steadyStateSyncStepsDoNotAllocate() {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    int port = freeUdpPort();
    server = ParameterServer.launch(serverContext(dir, port).shards(2).workers(1).parameterCount(SIZE));
    try (ParameterServerClient c = ParameterServerClient.connect(
        clientContext(clientDriver.aeronDirectoryName(), port, 0))) {
      FloatBuffer params = floats(SIZE);
      FloatBuffer grads = floats(SIZE);
      FloatBuffer heapParams = FloatBuffer.allocate(SIZE);
      for (int i = 0; i < SIZE; i++) {
        grads.put(i, value(1, i));
      }
      long step = 0;
      for (; step < 300; step++) { // warm-up: JIT, first-touch of the terms
        step(c, step, grads, (step & 1) == 0 ? params : heapParams);
      }
      long self = Thread.currentThread().getId();
      long[] shardIds = {server.shardThread(0).getId(), server.shardThread(1).getId()};
      // the least of three rounds: a one-off JIT or GC event on a loaded machine can allocate a
      // few bytes once; a real per-message allocation shows in every round
      long clientBytes = Long.MAX_VALUE;
      long[] shardBytes = {Long.MAX_VALUE, Long.MAX_VALUE};
      for (int round = 0; round < 3; round++) {
        long clientBefore = threads.getThreadAllocatedBytes(self);
        long[] shardBefore = threads.getThreadAllocatedBytes(shardIds);
        for (long end = step + 200; step < end; step++) {
          step(c, step, grads, (step & 1) == 0 ? params : heapParams);
        }
        clientBytes = Math.min(clientBytes, threads.getThreadAllocatedBytes(self) - clientBefore);
        long[] shardAfter = threads.getThreadAllocatedBytes(shardIds);
        for (int k = 0; k < 2; k++) {
          shardBytes[k] = Math.min(shardBytes[k], shardAfter[k] - shardBefore[k]);
        }
      }
      // A little slack for the measurement itself (the MXBean call can allocate once).
      assertTrue(clientBytes < 1024, "client thread allocated " + clientBytes + " bytes in 200 steps");
      for (int s = 0; s < 2; s++) {
        long bytes = shardBytes[s];
        assertTrue(bytes < 1024, "shard " + s + " allocated " + bytes + " bytes in 200 steps");
      }
    }
  }

  /** One sync step: a whole push and pull, or (every third step) a push in parts and an early pull. */
  private static void step(ParameterServerClient c, long step, FloatBuffer grads, FloatBuffer to) {
    if (step % 3 == 2) {
      c.beginPull(step + 1, to);
      c.pushGradientFrom(0, step, grads, SIZE / 2, 0.5f, 1);
      c.pushGradientFrom(0, step, grads, 0, 0.5f, 1);
      c.awaitPull();
    } else {
      c.pushGradient(0, step, grads);
      c.pull(step + 1, to);
    }
  }
}
