package io.sparkeras.ps;

import static io.sparkeras.ps.PsTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import io.sparkeras.ps.client.ParameterServerClient;
import io.sparkeras.ps.protocol.Protocol;
import io.sparkeras.ps.server.ShardCounter;
import java.nio.FloatBuffer;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Gradients pushed in parts while backward still runs ({@code pushGradientFrom}) and pulls that
 * start before the push is complete ({@code beginPull} / {@code awaitPull}): the server applies
 * exactly what one whole push gives, no chunk travels twice, and a shard whose part is in
 * streams its new parameters back while the rest is still being pushed.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PartialPushTest extends ServerTestFixture {
  static final int SIZE = 9001; // 2 shards of ~4500 floats: 3 chunks each at an 8 KiB MTU

  void launch(int workers) {
    server = ParameterServer.launch(serverContext(dir, freeUdpPort()).shards(2).workers(workers)
        .optimizer("adam", adamConfig(false)).initialParameters(initialParameters(SIZE)));
  }

  ParameterServerClient.Context context(int partition) {
    return clientContext(clientDriver.aeronDirectoryName(), port(), partition);
  }

  ParameterServerClient connect(int partition) {
    return ParameterServerClient.connect(context(partition));
  }

  static FloatBuffer gradients(int worker, long step) {
    return PsTestSupport.gradients(worker, step, SIZE);
  }

  int chunks(int shard) {
    return Protocol.chunkCount(server.context().shardLength(shard), server.context().chunkFloats());
  }

  @Test
  void pushesInPartsEqualWholePushesAndSendNoChunkTwice() throws Exception {
    launch(2);
    int steps = 3;
    ParameterServerClient.Context other = context(1);
    Future<float[]> whole = pool.submit(() -> syncWorker(other, 1, steps, SIZE));
    float[] out = new float[SIZE];
    try (ParameterServerClient c = connect(0)) {
      FloatBuffer params = floats(SIZE);
      for (long step = 0; step < steps; step++) {
        FloatBuffer g = gradients(0, step);
        c.beginPull(step + 1, params);
        // as backward finishes layer groups from the last to the first; 5000 and 2500 fall
        // inside chunks, which go out only once they are whole
        for (int from : new int[] {7000, 5000, 2500, 0}) {
          c.pushGradientFrom(0, step, g, from, 0.5f, 8);
        }
        assertEquals(step + 1, c.awaitPull());
      }
      params.get(0, out);
    }
    whole.get();
    SyncModeTest.assertClose(expectedAdam(steps, 2, SIZE), out);
    long chunksPerStep = 2L * (chunks(0) + chunks(1));
    assertEquals(steps * chunksPerStep, server.counter(ShardCounter.PUSH_ACCEPTED));
    assertEquals(0, server.counter(ShardCounter.PUSH_DUPLICATE), "a chunk was sent twice");
    assertEquals(steps * 0.5 * 8, server.trainingLoss()[0], 1e-9,
        "the loss of a push in parts counts once");
  }

  @Test
  void aShardPushedFirstStreamsBackWhileTheRestIsStillToBePushed() throws Exception {
    launch(2);
    int shard1 = server.context().shardOffset(1);
    Future<float[]> other = pool.submit(() -> {
      try (ParameterServerClient c = connect(1)) {
        FloatBuffer params = floats(SIZE);
        c.pushGradient(0, 0, gradients(1, 0));
        c.pull(1, params);
        float[] p = new float[SIZE];
        params.get(0, p);
        return p;
      }
    });
    float[] out = new float[SIZE];
    try (ParameterServerClient c = connect(0)) {
      FloatBuffer params = floats(SIZE);
      FloatBuffer g = gradients(0, 0);
      c.beginPull(1, params);
      c.pushGradientFrom(0, 0, g, shard1, Float.NaN, 0); // shard 1's part only
      // shard 1 completes its step and streams to both workers; shard 0 waits for the rest
      await(() -> server.counter(1, ShardCounter.CHUNKS_SENT) >= 2L * chunks(1), 20_000,
          "shard 1 streaming its new parameters to both workers");
      assertEquals(0, server.counter(0, ShardCounter.STEPS), "shard 0 cannot have stepped yet");
      assertEquals(0, server.counter(0, ShardCounter.CHUNKS_SENT));
      c.pushGradientFrom(0, 0, g, 0, Float.NaN, 0);
      assertEquals(1, c.awaitPull());
      params.get(0, out);
    }
    double[] expected = expectedAdam(1, 2, SIZE);
    SyncModeTest.assertClose(expected, out);
    SyncModeTest.assertClose(expected, other.get());
  }

  @Test
  void awaitingAPullWhoseShardIsNotPushedYetIsRefused() {
    launch(1);
    try (ParameterServerClient c = connect(0)) {
      FloatBuffer params = floats(SIZE);
      c.beginPull(1, params);
      c.pushGradientFrom(0, 0, gradients(0, 0), server.context().shardOffset(1), Float.NaN, 0);
      IllegalStateException e = assertThrows(IllegalStateException.class, c::awaitPull);
      assertTrue(e.getMessage().contains("shard 0 still waits for its part of the push of step 0"),
          e.getMessage());
      IllegalStateException twice = assertThrows(IllegalStateException.class, c::awaitPull);
      assertTrue(twice.getMessage().contains("no pull was begun"), twice.getMessage());
    }
  }

  /** A retried task repeats a step that its first attempt pushed only in part. */
  @Test
  void aPartlyPushedStepRepeatedByARetriedTaskIsAppliedOnce() throws Exception {
    launch(1);
    try (ParameterServerClient first = connect(0)) {
      first.pushGradientFrom(0, 0, gradients(0, 0), 4000, Float.NaN, 0);
      await(() -> server.counter(ShardCounter.PUSH_ACCEPTED) >= chunks(1), 10_000,
          "the first attempt's part received");
    }
    float[] out = new float[SIZE];
    try (ParameterServerClient retry = connect(0)) {
      FloatBuffer params = floats(SIZE);
      retry.pushGradient(0, 0, gradients(0, 0));
      assertEquals(1, retry.pull(1, params));
      params.get(0, out);
    }
    assertEquals(1, server.counter(0, ShardCounter.STEPS));
    assertTrue(server.counter(ShardCounter.PUSH_DUPLICATE) >= chunks(1),
        "the chunks the first attempt sent are recognised as repeats");
    SyncModeTest.assertClose(expectedAdam(1, 1, SIZE), out);
  }
}
