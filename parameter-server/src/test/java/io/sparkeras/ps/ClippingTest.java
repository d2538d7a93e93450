package io.sparkeras.ps;

import static io.sparkeras.ps.PsTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import io.sparkeras.core.constraints.RangeConstraint;
import io.sparkeras.core.optim.FlatOptimizer;
import io.sparkeras.ps.client.ParameterServerClient;
import io.sparkeras.ps.server.ShardCounter;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keras gradient clipping and weight constraints on the shards: N = 2 workers push known
 * gradients; the parameters equal core's {@link FlatOptimizer} (local training) stepping with the
 * same config on the averaged gradient, then the same constraints, bit for bit in sync mode (the
 * shard averages as sum / N in float, as the reference does).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClippingTest extends ServerTestFixture {
  static final int SIZE = 5003; // several 8 KiB chunks per shard, ragged last chunk
  static final int STEPS = 3;
  static final int WORKERS = 2;
  /** Kernel, tiny bias (norm below the limit: left alone), big kernel, bias. */
  static final int[] VARIABLES = {0, 1000, 1000, 1003, 1003, 3500, 3500, 5003};

  static float initial(int i) {
    return value(7, i);
  }

  static float gradient(int worker, long step, int i) {
    return value(1000 * worker + step, i);
  }

  void launch(int shards, TrainingMode mode, String optimizer, Map<String, ?> config, int[] variables) {
    launch(shards, mode, optimizer, config, variables, List.of());
  }

  void launch(int shards, TrainingMode mode, String optimizer, Map<String, ?> config, int[] variables,
      List<RangeConstraint> constraints) {
    FloatBuffer init = floats(SIZE);
    for (int i = 0; i < SIZE; i++) {
      init.put(i, initial(i));
    }
    server = ParameterServer.launch(serverContext(dir, freeUdpPort()).shards(shards).workers(WORKERS)
        .mode(mode).staleness(STEPS).optimizer(optimizer, config).variableRanges(variables)
        .initialParameters(init).syncTimeout(30, TimeUnit.SECONDS).constraints(constraints));
  }

  /** Every worker pushes STEPS gradients (pulling version t + 1 after step t in sync mode). */
  void train(boolean sync) throws Exception {
    String aeronDir = clientDriver.aeronDirectoryName();
    List<Future<?>> results = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      int worker = w;
      results.add(pool.submit(() -> {
        try (ParameterServerClient c = ParameterServerClient.connect(clientContext(aeronDir, port(), worker))) {
          FloatBuffer params = floats(SIZE);
          FloatBuffer grads = floats(SIZE);
          for (long step = 0; step < STEPS; step++) {
            for (int i = 0; i < SIZE; i++) {
              grads.put(i, gradient(worker, step, i));
            }
            c.pushGradient(0, step, grads);
            if (sync) {
              assertEquals(step + 1, c.pull(step + 1, params));
            }
          }
        }
        return null;
      }));
    }
    for (Future<?> f : results) {
      f.get();
    }
  }

  /** Local training: FlatOptimizer over the whole vector on the averaged gradient of each step. */
  static float[] localSync(String optimizer, Map<String, ?> config, int[] variables) {
    return localSync(optimizer, config, variables, List.of());
  }

  /** Local training with weight constraints applied after each step, as Keras's optimizer does. */
  static float[] localSync(String optimizer, Map<String, ?> config, int[] variables,
      List<RangeConstraint> constraints) {
    FlatOptimizer opt = FlatOptimizer.fromKerasConfig(optimizer, config, SIZE, variables);
    FloatBuffer params = floats(SIZE);
    FloatBuffer grads = floats(SIZE);
    for (int i = 0; i < SIZE; i++) {
      params.put(i, initial(i));
    }
    for (long step = 0; step < STEPS; step++) {
      for (int i = 0; i < SIZE; i++) {
        float sum = 0;
        for (int w = 0; w < WORKERS; w++) {
          sum += gradient(w, step, i);
        }
        grads.put(i, sum / WORKERS);
      }
      opt.step(params, grads);
      for (RangeConstraint c : constraints) {
        c.applyOnce(params);
      }
    }
    assertEquals(STEPS, opt.iterations());
    float[] out = new float[SIZE];
    params.get(0, out);
    return out;
  }

  float[] serverParameters(long expectedVersion) {
    FloatBuffer onServer = floats(SIZE);
    assertEquals(expectedVersion, server.readParameters(onServer));
    float[] out = new float[SIZE];
    onServer.get(0, out);
    return out;
  }

  static void assertClose(float[] expected, float[] actual, double tol) {
    for (int i = 0; i < expected.length; i++) {
      if (Math.abs(expected[i] - actual[i]) > tol) {
        fail("parameter " + i + ": expected " + expected[i] + " but was " + actual[i]);
      }
    }
  }

  /** Bitwise equal to local training; also checks that clipping changed the result. */
  void checkSync(String optimizer, Map<String, ?> config, int[] variables) {
    float[] expected = localSync(optimizer, config, variables);
    float[] got = serverParameters(STEPS);
    assertClose(expected, got, 0);
    Map<String, Object> unclipped = new java.util.HashMap<>(config);
    unclipped.keySet().removeAll(List.of("clipnorm", "clipvalue", "global_clipnorm"));
    float[] withoutClipping = localSync(optimizer, unclipped, variables);
    double maxDiff = 0;
    for (int i = 0; i < SIZE; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(withoutClipping[i] - got[i]));
    }
    assertTrue(maxDiff > 1e-4, "clipping made no visible difference: " + maxDiff);
  }

  @Test
  void clipValueOnTwoShardsMatchesLocalTraining() throws Exception {
    Map<String, Object> config = Map.of("learning_rate", 0.01, "clipvalue", 0.3);
    launch(2, TrainingMode.SYNC, "adam", config, null);
    train(true);
    checkSync("adam", config, null);
    assertEquals(2L * STEPS, server.counter(ShardCounter.STEPS));
  }

  @Test
  void clipNormPerVariableAcrossTwoShardsMatchesLocalTraining() throws Exception {
    Map<String, Object> config = Map.of("learning_rate", 0.1, "clipnorm", 5.0);
    launch(2, TrainingMode.SYNC, "sgd", config, VARIABLES);
    // the variables {1000, 3, 2497} | {1503}: the second shard starts on a variable boundary
    assertEquals(3500, server.context().shardOffset(1));
    train(true);
    checkSync("sgd", config, VARIABLES);
  }

  @Test
  void clipNormWithAdamMatchesLocalTraining() throws Exception {
    Map<String, Object> config = Map.of("learning_rate", 0.01, "clipnorm", 5.0);
    launch(2, TrainingMode.SYNC, "adam", config, VARIABLES);
    train(true);
    // Adam normalises the step, so only the bitwise comparison with local training is made
    assertClose(localSync("adam", config, VARIABLES), serverParameters(STEPS), 0);
  }

  @Test
  void globalClipNormOnOneShardMatchesLocalTraining() throws Exception {
    Map<String, Object> config = Map.of("learning_rate", 0.1, "global_clipnorm", 10.0);
    launch(1, TrainingMode.SYNC, "sgd", config, VARIABLES);
    train(true);
    checkSync("sgd", config, VARIABLES);
  }

  @Test
  void globalClipNormAcrossTwoShardsMatchesLocalTraining() throws Exception {
    // the shards exchange their per-variable sums of squares each step (GlobalNormExchange)
    Map<String, Object> config = Map.of("learning_rate", 0.1, "global_clipnorm", 10.0);
    launch(2, TrainingMode.SYNC, "sgd", config, VARIABLES);
    train(true);
    checkSync("sgd", config, VARIABLES);
    assertEquals(2L * STEPS, server.counter(ShardCounter.STEPS));
  }

  @Test
  void globalClipNormWithAdamAndDefaultVariablesAcrossThreeShards() throws Exception {
    // no variableRanges: one variable, split evenly; the partial sums add up in another order
    // than one pass over the vector, so equal within 1e-6 rather than bitwise
    Map<String, Object> config = Map.of("learning_rate", 0.01, "global_clipnorm", 10.0);
    launch(3, TrainingMode.SYNC, "adam", config, null);
    train(true);
    assertClose(localSync("adam", config, null), serverParameters(STEPS), 1e-6);
  }

  @Test
  void globalClipNormOnSeveralShardsInAsyncModeIsRefusedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> launch(2, TrainingMode.ASYNC, "sgd", Map.of("global_clipnorm", 10.0), VARIABLES));
    assertTrue(e.getMessage().contains("'optimizer.global_clipnorm'"), e.getMessage());
    assertTrue(e.getMessage().contains("SYNC"), e.getMessage());
  }

  @Test
  void asyncClipsEachArrivingGradient() throws Exception {
    // Plain SGD: every push is applied on arrival; local training would clip each step's gradient,
    // so the result is the initial value minus lr times the sum of the clipped pushes (any order).
    Map<String, Object> config = Map.of("learning_rate", 0.1, "clipnorm", 5.0);
    launch(2, TrainingMode.ASYNC, "sgd", config, VARIABLES);
    train(false);
    await(() -> server.counter(ShardCounter.STEPS) == 2L * WORKERS * STEPS, 30_000, "all pushes applied");
    FlatOptimizer opt = FlatOptimizer.fromKerasConfig("sgd", config, SIZE, VARIABLES);
    FloatBuffer params = floats(SIZE);
    FloatBuffer grads = floats(SIZE);
    for (int i = 0; i < SIZE; i++) {
      params.put(i, initial(i));
    }
    for (int w = 0; w < WORKERS; w++) {
      for (long step = 0; step < STEPS; step++) {
        for (int i = 0; i < SIZE; i++) {
          grads.put(i, gradient(w, step, i));
        }
        opt.step(params, grads);
      }
    }
    float[] expected = new float[SIZE];
    params.get(0, expected);
    assertClose(expected, serverParameters(WORKERS * STEPS), 1e-5);
  }

  static final List<RangeConstraint> CONSTRAINTS = List.of(
      RangeConstraint.parse("0:100x10:max_norm:max_value=0.5,axis=0"),
      RangeConstraint.parse("1000:3:non_neg"),
      RangeConstraint.parse("1003:11x227:min_max_norm:min_value=0.2,max_value=0.5,rate=0.7,axis=1"));

  @Test
  void constraintsOnTwoShardsMatchLocalTraining() throws Exception {
    Map<String, Object> config = Map.of("learning_rate", 0.1, "momentum", 0.9);
    launch(2, TrainingMode.SYNC, "sgd", config, VARIABLES, CONSTRAINTS);
    train(true);
    float[] got = serverParameters(STEPS);
    assertClose(localSync("sgd", config, VARIABLES, CONSTRAINTS), got, 0);
    float[] unconstrained = localSync("sgd", config, VARIABLES);
    double maxDiff = 0;
    for (int i = 0; i < 3500; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(unconstrained[i] - got[i]));
    }
    assertTrue(maxDiff > 1e-3, "the constraints made no visible difference: " + maxDiff);
    for (int i = 3500; i < SIZE; i++) {
      assertEquals(unconstrained[i], got[i], "unconstrained variable " + i);
    }
  }

  @Test
  void aConstraintAcrossTwoShardsIsRefusedByName() {
    // without variable ranges the split is even: [0, 1000) fits, [2000, 3000) straddles 2502
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> launch(2, TrainingMode.SYNC, "sgd", Map.of(), null,
            List.of(RangeConstraint.parse("2000:1000:non_neg"))));
    assertTrue(e.getMessage().contains("'constraints'") && e.getMessage().contains("two shards"),
        e.getMessage());
  }
}
