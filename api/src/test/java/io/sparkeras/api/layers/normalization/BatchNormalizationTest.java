package io.sparkeras.api.layers.normalization;

import static io.sparkeras.api.layers.LayerTesting.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerTestHarness;
import io.sparkeras.api.layers.Variable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchNormalizationTest {
  private static final float[] X = {1, 2, 3, 4}; // batch of 4, one feature
  private static final double MEAN = 2.5;
  private static final double VAR = 1.25; // population variance; the sample variance is 5/3

  @Test
  void harnessInference() {
    LayerTestHarness.of(BatchNormalization::new).inputShape(3).batch(4).run();
    LayerTestHarness.of(() -> new BatchNormalization().axis(1).center(false)).inputShape(3, 2)
        .run();
  }

  @Test
  void harnessTraining() {
    LayerTestHarness.of(BatchNormalization::new).inputShape(3, 2).batch(3).training(true).run();
    LayerTestHarness.of(() -> new BatchNormalization().axis(-2)).inputShape(2, 3).batch(3)
        .training(true).run();
    LayerTestHarness.of(() -> new BatchNormalization().scale(false)).inputShape(2, 2, 2)
        .training(true).run();
  }

  private static float[] normalised(float[] x, double mean, double var, double gamma,
      double beta) {
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = (float) (gamma * (x[i] - mean) / Math.sqrt(var + 1e-3) + beta);
    }
    return y;
  }

  @Test
  void trainingUsesBatchStatisticsAndUpdatesMovingOnes() {
    BatchNormalization bn = new BatchNormalization();
    float[] y = run(bn, true, X, 4, 1);
    assertArrayEquals(normalised(X, MEAN, VAR, 1, 0), y, 1e-5f);
    // moving = moving * 0.99 + batch * 0.01, from the initial 0 and 1
    assertArrayEquals(new float[] {0.025f}, bn.movingMean().numpy(), 1e-7f);
    assertArrayEquals(new float[] {1.0025f}, bn.movingVariance().numpy(), 1e-7f);
    // a second call moves them again from there
    run(bn, true, X, 4, 1);
    assertArrayEquals(new float[] {(float) (0.025 * 0.99 + 2.5 * 0.01)},
        bn.movingMean().numpy(), 1e-7f);
  }

  @Test
  void inferenceUsesMovingStatisticsAndLeavesThem() {
    BatchNormalization bn = new BatchNormalization().momentum(0.5);
    run(bn, true, X, 4, 1);
    double mm = 0.5 * MEAN;
    double mv = 0.5 + 0.5 * VAR;
    assertArrayEquals(new float[] {(float) mm}, bn.movingMean().numpy(), 1e-6f);
    bn.setWeights(List.of(new float[] {2}, new float[] {1}, bn.movingMean().numpy(),
        bn.movingVariance().numpy()));
    float[] y = run(bn, false, X, 4, 1);
    assertArrayEquals(normalised(X, mm, mv, 2, 1), y, 1e-5f);
    assertArrayEquals(new float[] {(float) mm}, bn.movingMean().numpy(), 1e-7f);
    assertArrayEquals(new float[] {(float) mv}, bn.movingVariance().numpy(), 1e-7f);
  }

  @Test
  void frozenLayerUsesMovingStatisticsEvenInTraining() {
    BatchNormalization bn = new BatchNormalization();
    bn.trainable(false);
    float[] y = run(bn, true, X, 4, 1);
    assertArrayEquals(normalised(X, 0, 1, 1, 0), y, 1e-5f);
    assertArrayEquals(new float[] {0f}, bn.movingMean().numpy(), 0f);
  }

  @Test
  void normalisesAlongAnInnerAxis() {
    // shape (1, 2, 2), axis 1: feature 0 holds {1, 3}, feature 1 holds {10, 30}
    BatchNormalization bn = new BatchNormalization().axis(1);
    float[] y = run(bn, true, new float[] {1, 3, 10, 30}, 1, 2, 2);
    float a = (float) (1 / Math.sqrt(1 + 1e-3));
    float b = (float) (10 / Math.sqrt(100 + 1e-3));
    assertArrayEquals(new float[] {-a, a, -b, b}, y, 1e-5f);
    assertArrayEquals(new float[] {0.02f, 0.2f}, bn.movingMean().numpy(), 1e-6f);
  }

  @Test
  void weightsInKerasOrder() {
    BatchNormalization bn = new BatchNormalization();
    run(bn, false, new float[6], 2, 3);
    List<Variable> w = bn.weights();
    assertEquals(List.of("gamma", "beta", "moving_mean", "moving_variance"),
        w.stream().map(Variable::name).toList());
    assertEquals(2, bn.trainableWeights().size());
    assertFalse(bn.movingMean().trainable());
    assertArrayEquals(new int[] {3}, bn.gamma().shape());
    assertTrue(bn.getName().matches("batch_normalization(_\\d+)?"), bn.getName());
  }

  @Test
  void configUsesKerasKeysAndDefaults() {
    Map<String, Object> cfg = new BatchNormalization().getConfig();
    assertEquals(-1, cfg.get("axis"));
    assertEquals(0.99, cfg.get("momentum"));
    assertEquals(0.001, cfg.get("epsilon"));
    assertEquals(true, cfg.get("center"));
    assertEquals(true, cfg.get("scale"));
    assertEquals(false, cfg.get("synchronized"));
    assertTrue(cfg.containsKey("moving_variance_initializer"));
    Map<String, Object> keras2 = new HashMap<>();
    keras2.put("axis", List.of(3));
    keras2.put("momentum", 0.9);
    BatchNormalization b = (BatchNormalization) Layer.REGISTRY.create("BatchNormalization",
        keras2);
    assertEquals(3, b.getConfig().get("axis"));
    assertEquals(0.9, b.momentum());
  }

  @Test
  void rejectsBadAxisAndUnsupportedKeys() {
    BatchNormalization bn = new BatchNormalization().axis(3);
    bn.name("bn");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> bn.build(new int[] {4}));
    assertTrue(e.getMessage().contains("'bn'") && e.getMessage().contains("BatchNormalization")
        && e.getMessage().contains("axis 3") && e.getMessage().contains("(None, 4)"),
        e.getMessage());
    BatchNormalization unknown = new BatchNormalization();
    e = assertThrows(IllegalArgumentException.class, () -> unknown.build(new int[] {5, -1}));
    assertTrue(e.getMessage().contains("known size"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new BatchNormalization().axis(0));
    assertThrows(IllegalArgumentException.class, () -> new BatchNormalization().momentum(1.5));
    Map<String, Object> sync = new HashMap<>();
    sync.put("synchronized", true);
    e = assertThrows(IllegalArgumentException.class,
        () -> Layer.REGISTRY.create("BatchNormalization", sync));
    assertTrue(e.getMessage().contains("synchronized"), e.getMessage());
    Map<String, Object> reg = new HashMap<>();
    reg.put("gamma_regularizer", "l3");
    e = assertThrows(IllegalArgumentException.class,
        () -> Layer.REGISTRY.create("BatchNormalization", reg));
    assertTrue(e.getMessage().contains("gamma_regularizer") && e.getMessage().contains("l3"),
        e.getMessage());
  }
}
