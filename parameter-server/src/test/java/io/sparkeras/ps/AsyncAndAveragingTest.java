package io.sparkeras.ps;

import static io.sparkeras.ps.PsTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import io.sparkeras.ps.client.ParameterServerClient;
import io.sparkeras.ps.server.ShardCounter;
import java.nio.FloatBuffer;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Async (SSP) and averaging (local SGD) modes over real media drivers on 127.0.0.1. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AsyncAndAveragingTest extends ServerTestFixture {
  static final int SIZE = 4099;





  static FloatBuffer vector(long seed) {
    FloatBuffer b = floats(SIZE);
    for (int i = 0; i < SIZE; i++) {
      b.put(i, value(seed, i));
    }
    return b;
  }

  @Test
  void asyncAppliesOnArrivalAndHoldsTheStalenessBound() throws Exception {
    FloatBuffer init = vector(3);
    server = ParameterServer.launch(serverContext(dir, freeUdpPort()).shards(2).workers(2)
        .mode(TrainingMode.ASYNC).staleness(1).initialParameters(init)
        .optimizer("adam", adamConfig(false)));
    String aeronDir = clientDriver.aeronDirectoryName();
    try (ParameterServerClient fast = ParameterServerClient.connect(clientContext(aeronDir, port(), 0));
         ParameterServerClient slow = ParameterServerClient.connect(clientContext(aeronDir, port(), 1))) {
      assertEquals(TrainingMode.ASYNC, fast.mode());
      assertEquals(1, fast.staleness());
      FloatBuffer params = floats(SIZE);
      // Push 0: clock 1; the slowest worker (clock 0) is within s = 1: no wait.
      fast.pushGradient(0, 0, vector(100));
      assertEquals(1, fast.pull(1 - fast.staleness(), params));
      // Push 1: clock 2; the slowest is at 0 < 2 - 1: the pull must wait for it.
      fast.pushGradient(0, 1, vector(101));
      Future<Long> waiting = pool.submit(() -> fast.pull(2 - fast.staleness(), params));
      await(() -> server.counter(ShardCounter.PULLS_PARKED) == 2, 10_000, "pull parked on both shards");
      assertFalse(waiting.isDone(), "a worker more than s pushes ahead must wait");
      assertEquals(2, server.counter(ShardCounter.STEPS) / 2, "both pushes applied on arrival");
      slow.pushGradient(0, 0, vector(200));
      assertEquals(3, waiting.get(20, TimeUnit.SECONDS));
      // A repeated push of the slow worker's step 0 is not applied again.
      slow.pushGradient(0, 0, vector(200));
      assertEquals(3, slow.pull(0, floats(SIZE)));

      double[] expected = new double[SIZE];
      for (int i = 0; i < SIZE; i++) {
        expected[i] = init.get(i);
      }
      PsTestSupport.RefAdam adam = new PsTestSupport.RefAdam(SIZE, 0.01, 0.8, 0.99, 1e-7, false);
      long t = 1;
      for (long seed : new long[] {100, 101, 200}) {
        FloatBuffer g = vector(seed);
        double[] gd = new double[SIZE];
        for (int i = 0; i < SIZE; i++) {
          gd[i] = g.get(i);
        }
        adam.step(expected, gd, t++);
      }
      float[] got = new float[SIZE];
      params.get(0, got);
      SyncModeTest.assertClose(expected, got);
      assertEquals(6, server.counter(ShardCounter.STEPS));
    }
  }

  @Test
  void averagingReplacesParametersByTheMeanOfPushedWeights() throws Exception {
    server = ParameterServer.launch(serverContext(dir, freeUdpPort()).shards(3).workers(3)
        .mode(TrainingMode.AVERAGING).initialParameters(vector(5)));
    String aeronDir = clientDriver.aeronDirectoryName();
    Future<?>[] workers = new Future<?>[3];
    float[][] pulled = new float[3][SIZE];
    for (int w = 0; w < 3; w++) {
      int worker = w;
      workers[w] = pool.submit(() -> {
        try (ParameterServerClient c = ParameterServerClient.connect(clientContext(aeronDir, port(), worker))) {
          // Heap buffers here: the client's element-by-element path (direct ones are memcpy'd).
          FloatBuffer params = FloatBuffer.allocate(SIZE);
          for (int round = 0; round < 2; round++) {
            FloatBuffer weights = FloatBuffer.allocate(SIZE);
            weights.put(vector(10 * worker + round)).flip();
            c.pushWeights(0, round, weights);
            assertEquals(round + 1, c.pull(round + 1, params));
          }
          params.get(0, pulled[worker]);
        }
        return null;
      });
    }
    for (Future<?> f : workers) {
      f.get();
    }
    double[] expected = new double[SIZE];
    for (int i = 0; i < SIZE; i++) {
      for (int w = 0; w < 3; w++) {
        expected[i] += value(10 * w + 1, i);
      }
      expected[i] /= 3;
    }
    for (float[] p : pulled) {
      SyncModeTest.assertClose(expected, p);
    }
    assertEquals(2 * 3, server.counter(ShardCounter.STEPS));
  }

  @Test
  void gradientsAreRejectedInAveragingMode() throws Exception {
    server = ParameterServer.launch(serverContext(dir, freeUdpPort()).shards(1).workers(1)
        .mode(TrainingMode.AVERAGING).initialParameters(vector(5)));
    try (ParameterServerClient c = ParameterServerClient.connect(
        clientContext(clientDriver.aeronDirectoryName(), port(), 0))) {
      c.pushGradient(0, 0, vector(1));
      int chunks = io.sparkeras.ps.protocol.Protocol.chunkCount(SIZE,
          io.sparkeras.ps.protocol.Protocol.chunkFloats(MTU));
      await(() -> server.counter(ShardCounter.BAD_REQUEST) == chunks, 10_000,
          "every chunk counted as a bad request");
      assertEquals(chunks, server.counter(ShardCounter.RECEIVED) - 2, "hello + auth + chunks");
      assertEquals(0, server.counter(ShardCounter.STEPS));
    }
  }
}
