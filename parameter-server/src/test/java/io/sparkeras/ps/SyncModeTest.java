package io.sparkeras.ps;

import static io.sparkeras.ps.PsTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import io.sparkeras.ps.client.ParameterServerClient;
import io.sparkeras.ps.server.ShardCounter;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Sync (bulk synchronous) mode over real media drivers on 127.0.0.1. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SyncModeTest extends ServerTestFixture {
  static final int SIZE = 5003; // 2 shards, several 8 KiB chunks each, ragged last chunk
  static final int STEPS = 3;




  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (OptimizerCase opt : OptimizerCase.supported()) {
      for (int workers = 1; workers <= 4; workers++) {
        all.add(Arguments.of(opt, workers));
      }
    }
    return all.stream();
  }

  static float[] initial() {
    float[] p = new float[SIZE];
    for (int i = 0; i < SIZE; i++) {
      p[i] = value(7, i);
    }
    return p;
  }

  static float gradient(int worker, long step, int i) {
    return value(1000 * worker + step, i);
  }

  ParameterServer launch(int workers, OptimizerCase opt, TrainingMode mode, long timeoutMs) {
    int port = freeUdpPort();
    FloatBuffer init = floats(SIZE);
    init.put(initial()).flip();
    server = ParameterServer.launch(serverContext(dir, port).shards(2).workers(workers).mode(mode)
        .optimizer(opt.name, opt.config).initialParameters(init)
        .syncTimeout(timeoutMs, TimeUnit.MILLISECONDS));
    return server;
  }


  @ParameterizedTest(name = "{0}, {1} worker(s)")
  @MethodSource("cases")
  void averagedThenUpdatedMatchesHandComputed(OptimizerCase opt, int workers) throws Exception {
    launch(workers, opt, TrainingMode.SYNC, 30_000);
    String aeronDir = clientDriver.aeronDirectoryName();
    trainAndCheck(opt, workers, w -> clientContext(aeronDir, port(), w));
  }

  /**
   * Clients on the server's own media driver talk over shared memory (aeron:ipc), here next to
   * a UDP client: the result is the same.
   */
  @Test
  void ipcAndUdpClientsTogetherMatchHandComputed() throws Exception {
    OptimizerCase adam = OptimizerCase.supported().stream().filter(o -> o.name.equals("adam"))
        .findFirst().orElseThrow();
    launch(3, adam, TrainingMode.SYNC, 30_000);
    String serverDir = server.context().aeronDirectoryName();
    String udpDir = clientDriver.aeronDirectoryName();
    trainAndCheck(adam, 3, w -> w < 2
        ? clientContext(serverDir, port(), w).ipc(true)
        : clientContext(udpDir, port(), w));
  }

  private void trainAndCheck(OptimizerCase opt, int workers,
      java.util.function.IntFunction<ParameterServerClient.Context> contexts) throws Exception {
    List<Future<float[]>> results = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      int worker = w;
      results.add(pool.submit(() -> {
        try (ParameterServerClient c = ParameterServerClient.connect(contexts.apply(worker))) {
          assertEquals(SIZE, c.parameterCount());
          assertEquals(2, c.shardCount());
          FloatBuffer params = floats(SIZE);
          FloatBuffer grads = floats(SIZE);
          c.pull(0, params);
          for (long step = 0; step < STEPS; step++) {
            for (int i = 0; i < SIZE; i++) {
              grads.put(i, gradient(worker, step, i));
            }
            c.pushGradient(0, step, grads);
            assertEquals(step + 1, c.pull(step + 1, params));
          }
          float[] out = new float[SIZE];
          params.get(0, out);
          return out;
        }
      }));
    }
    double[] expected = new double[SIZE];
    float[] init = initial();
    for (int i = 0; i < SIZE; i++) {
      expected[i] = init[i];
    }
    OptimizerCase.Reference ref = opt.reference(SIZE);
    for (long step = 0; step < STEPS; step++) {
      double[] mean = new double[SIZE];
      for (int i = 0; i < SIZE; i++) {
        for (int w = 0; w < workers; w++) {
          mean[i] += gradient(w, step, i);
        }
        mean[i] /= workers;
      }
      ref.step(expected, mean, step + 1);
    }
    for (Future<float[]> f : results) {
      assertClose(expected, f.get());
    }
    FloatBuffer onServer = floats(SIZE);
    assertEquals(STEPS, server.readParameters(onServer));
    float[] serverParams = new float[SIZE];
    onServer.get(0, serverParams);
    assertClose(expected, serverParams);
    assertEquals(2L * STEPS, server.counter(ShardCounter.STEPS));
  }

  static void assertClose(double[] expected, float[] actual) {
    for (int i = 0; i < expected.length; i++) {
      double tol = 1e-5 * Math.max(1.0, Math.abs(expected[i]));
      if (Math.abs(expected[i] - actual[i]) > tol) {
        fail("parameter " + i + ": expected " + expected[i] + " but was " + actual[i]);
      }
    }
  }

  /** The losses pushed with the gradients add up, sample-weighted, once per applied push. */
  @Test
  void pushedLossesAreSummedOncePerAppliedPush() throws Exception {
    launch(2, OptimizerCase.supported().get(0), TrainingMode.SYNC, 30_000);
    String aeronDir = clientDriver.aeronDirectoryName();
    FloatBuffer g = floats(SIZE);
    try (ParameterServerClient a = ParameterServerClient.connect(clientContext(aeronDir, port(), 0));
         ParameterServerClient b = ParameterServerClient.connect(clientContext(aeronDir, port(), 1))) {
      for (long step = 0; step < 2; step++) {
        a.pushGradient(0, step, g, 1.0f, 10);
        b.pushGradient(0, step, g, 3.0f, 30);
        assertEquals(step + 1, a.pull(step + 1, floats(SIZE)));
        assertEquals(step + 1, b.pull(step + 1, floats(SIZE)));
      }
      b.pushGradient(0, 1, g, 3.0f, 30); // a duplicate: acknowledged, not counted
      a.pushGradient(0, 2, g); // no loss given: not counted
      await(() -> server.counter(ShardCounter.PUSH_DUPLICATE) >= chunksPerShard(), 10_000,
          "duplicate counted");
      double[] loss = server.trainingLoss();
      assertEquals(2 * (10 * 1.0 + 30 * 3.0), loss[0], 1e-9);
      assertEquals(80, loss[1], 0);
    }
  }

  @Test
  void duplicatePushesAreAcknowledgedAndNeverAppliedTwice() throws Exception {
    OptimizerCase opt = OptimizerCase.supported().get(0);
    launch(2, opt, TrainingMode.SYNC, 30_000);
    String aeronDir = clientDriver.aeronDirectoryName();
    FloatBuffer g0 = floats(SIZE);
    FloatBuffer g1 = floats(SIZE);
    for (int i = 0; i < SIZE; i++) {
      g0.put(i, gradient(0, 0, i));
      g1.put(i, gradient(1, 0, i));
    }
    try (ParameterServerClient a = ParameterServerClient.connect(clientContext(aeronDir, port(), 0));
         ParameterServerClient b = ParameterServerClient.connect(clientContext(aeronDir, port(), 1))) {
      a.pushGradient(0, 0, g0);
      a.pushGradient(0, 0, g0); // repeat before the step completes: chunk-level duplicates
      b.pushGradient(0, 0, g1);
      FloatBuffer params = floats(SIZE);
      assertEquals(1, a.pull(1, params));
      // A retried task of partition 1 (new process, new worker id) repeats step 0 after it applied.
      try (ParameterServerClient retried = ParameterServerClient.connect(clientContext(aeronDir, port(), 1))) {
        retried.pushGradient(0, 0, g1);
        await(() -> server.counter(ShardCounter.PUSH_DUPLICATE) >= 2L * 2 * chunksPerShard(), 10_000,
            "duplicates counted");
        assertEquals(1, retried.pull(1, floats(SIZE)));
        await(() -> { retried.pull(1, floats(SIZE)); return retried.duplicateAcks() == 2; }, 10_000,
            "duplicate acks of the retried push");
      }
      double[] expected = new double[SIZE];
      float[] init = initial();
      double[] mean = new double[SIZE];
      for (int i = 0; i < SIZE; i++) {
        expected[i] = init[i];
        mean[i] = (g0.get(i) + (double) g1.get(i)) / 2;
      }
      opt.reference(SIZE).step(expected, mean, 1);
      float[] got = new float[SIZE];
      assertEquals(1, server.readParameters(params));
      params.get(0, got);
      assertClose(expected, got);
      assertEquals(2, server.counter(ShardCounter.STEPS));
    }
  }

  @Test
  void learningRateScheduleIsEvaluatedAtEachStep() throws Exception {
    int port = freeUdpPort();
    FloatBuffer init = floats(SIZE);
    init.put(initial()).flip();
    server = ParameterServer.launch(serverContext(dir, port).shards(2).workers(1)
        .optimizer("adam", adamConfig(false)).initialParameters(init)
        .learningRateSchedule(iterations -> 0.05 * Math.pow(0.5, iterations)));
    FloatBuffer params = floats(SIZE);
    FloatBuffer grads = floats(SIZE);
    try (ParameterServerClient c = ParameterServerClient.connect(
        clientContext(clientDriver.aeronDirectoryName(), port, 0))) {
      for (long step = 0; step < STEPS; step++) {
        for (int i = 0; i < SIZE; i++) {
          grads.put(i, gradient(0, step, i));
        }
        c.pushGradient(0, step, grads);
        c.pull(step + 1, params);
      }
    }
    double[] expected = new double[SIZE];
    float[] init0 = initial();
    for (int i = 0; i < SIZE; i++) {
      expected[i] = init0[i];
    }
    PsTestSupport.RefAdam adam = new PsTestSupport.RefAdam(SIZE, 0.01, 0.8, 0.99, 1e-7, false);
    for (long step = 0; step < STEPS; step++) {
      double[] g = new double[SIZE];
      for (int i = 0; i < SIZE; i++) {
        g[i] = gradient(0, step, i);
      }
      adam.step(expected, g, step + 1, (float) (0.05 * Math.pow(0.5, step)));
    }
    float[] got = new float[SIZE];
    params.get(0, got);
    assertClose(expected, got);
  }

  static int chunksPerShard() {
    int chunk = io.sparkeras.ps.protocol.Protocol.chunkFloats(MTU);
    return io.sparkeras.ps.protocol.Protocol.chunkCount((SIZE + 1) / 2, chunk);
  }

  @Test
  void missingWorkerGivesClearErrorToEveryoneWithinTimeout() throws Exception {
    launch(3, OptimizerCase.supported().get(0), TrainingMode.SYNC, 1_000);
    String aeronDir = clientDriver.aeronDirectoryName();
    FloatBuffer g = floats(SIZE);
    try (ParameterServerClient a = ParameterServerClient.connect(clientContext(aeronDir, port(), 0));
         ParameterServerClient b = ParameterServerClient.connect(clientContext(aeronDir, port(), 1))) {
      a.pushGradient(0, 0, g);
      b.pushGradient(0, 0, g);
      Future<String> other = pool.submit(() -> assertThrows(ParameterServerException.class,
          () -> b.pull(1, floats(SIZE))).getMessage());
      ParameterServerException e = assertThrows(ParameterServerException.class, () -> a.pull(1, floats(SIZE)));
      assertTrue(e.getMessage().contains("timed out after 1000 ms"), e.getMessage());
      assertTrue(e.getMessage().contains("partition(s) [2] of 3 workers"), e.getMessage());
      assertTrue(other.get().contains("partition(s) [2] of 3 workers"), other.get());
      assertNotNull(server.failure());
      // Later calls fail fast with the same reason instead of hanging.
      assertThrows(ParameterServerException.class, () -> a.pushGradient(0, 1, g));
    }
  }
}
