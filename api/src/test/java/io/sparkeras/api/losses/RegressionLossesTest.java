package io.sparkeras.api.losses;

import static io.sparkeras.api.losses.LossChecks.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegressionLossesTest {
  // Keras's documented example: y_true = [[0, 1], [0, 0]], y_pred = [[0.6, 0.4], [0.4, 0.6]].
  private static final float[] T = {0, 1, 0, 0};
  private static final float[] P = {0.6f, 0.4f, 0.4f, 0.6f};
  private static final int[] S = {2, 2};

  /** Per-sample mean over the last axis of f(error), in double on the host. */
  private interface Elem {
    double apply(double yTrue, double yPred);
  }

  private static double[] reference(float[] t, float[] p, int rows, Elem f) {
    int per = t.length / rows;
    double[] out = new double[rows];
    for (int r = 0; r < rows; r++) {
      double s = 0;
      for (int k = 0; k < per; k++) {
        s += f.apply(t[r * per + k], p[r * per + k]);
      }
      out[r] = s / per;
    }
    return out;
  }

  @Test
  void meanSquaredErrorByHand() {
    float[] got = LossChecks.perSample(new MeanSquaredError(), T, S, P, S);
    // (0.6^2 + 0.6^2) / 2 = 0.36 and (0.4^2 + 0.6^2) / 2 = 0.26
    assertClose(new double[] {0.36, 0.26}, got, 1e-6, "mse");
    assertClose(reference(T, P, 2, (a, b) -> (a - b) * (a - b)), got, 1e-6, "mse reference");
    assertEquals(0.31, LossChecks.batchLoss(Losses.mse(), T, S, P, S), 1e-6);
  }

  @Test
  void meanAbsoluteErrorByHand() {
    float[] got = LossChecks.perSample(new MeanAbsoluteError(), T, S, P, S);
    // (0.6 + 0.6) / 2 = 0.6 and (0.4 + 0.6) / 2 = 0.5
    assertClose(new double[] {0.6, 0.5}, got, 1e-6, "mae");
    assertEquals(0.55, LossChecks.batchLoss(Losses.mae(), T, S, P, S), 1e-6);
  }

  @Test
  void huberMatchesKerasDocumentedValue() {
    // Keras's docstring: keras.losses.huber(y_true, y_pred) -> 0.155
    assertEquals(0.155, LossChecks.batchLoss(Losses.huber(), T, S, P, S), 1e-6);
    float[] got = LossChecks.perSample(new Huber(), T, S, P, S);
    assertClose(new double[] {0.18, 0.13}, got, 1e-6, "huber");
  }

  @Test
  void huberIsLinearBeyondDelta() {
    double delta = 0.5;
    float[] t = {0, 0, 1, 3};
    float[] p = {0.3f, -2f, 1.5f, 0f};
    Elem f = (a, b) -> {
      double e = Math.abs(b - a);
      return e <= delta ? 0.5 * e * e : delta * e - 0.5 * delta * delta;
    };
    float[] got = LossChecks.perSample(new Huber(delta), t, new int[] {4, 1}, p, new int[] {4, 1});
    // 0.5 * 0.09 = 0.045; 0.5 * 2 - 0.125 = 0.875; |0.5| <= delta -> 0.125; 0.5 * 3 - 0.125 = 1.375
    assertClose(new double[] {0.045, 0.875, 0.125, 1.375}, got, 1e-6, "huber delta 0.5");
    assertClose(reference(t, p, 4, f), got, 1e-6, "huber reference");
  }

  @Test
  void rankOneTargetsAlignWithOneOutputUnit() {
    float[] t = {1, 2, 3};
    float[] p = {1.5f, 2f, 1f};
    float[] a = LossChecks.perSample(new MeanSquaredError(), t, new int[] {3}, p, new int[] {3, 1});
    float[] b = LossChecks.perSample(new MeanSquaredError(), t, new int[] {3, 1}, p,
        new int[] {3});
    assertClose(new double[] {0.25, 0, 4}, a, 1e-6, "target [3] vs prediction [3, 1]");
    assertClose(new double[] {0.25, 0, 4}, b, 1e-6, "target [3, 1] vs prediction [3]");
  }

  @Test
  void higherRankOutputsAverageEverythingButTheBatch() {
    // [batch=2, steps=2, features=2]: Keras gives [2, 2] then the batch mean; per sample we give
    // the mean of each sample's four squared errors.
    float[] t = {0, 0, 0, 0, 1, 1, 1, 1};
    float[] p = {1, 0, 0, 0, 1, 1, 1, 3};
    float[] got = LossChecks.perSample(new MeanSquaredError(), t, new int[] {2, 2, 2}, p,
        new int[] {2, 2, 2});
    assertClose(new double[] {0.25, 1.0}, got, 1e-6, "rank-3 mse");
  }

  @Test
  void namesAndAliasesResolveThroughTheRegistry() {
    assertInstanceOf(MeanSquaredError.class, Losses.get("mse"));
    assertInstanceOf(MeanSquaredError.class, Losses.get("mean_squared_error"));
    assertInstanceOf(MeanAbsoluteError.class, Losses.get("mae"));
    assertInstanceOf(Huber.class, Losses.get("huber_loss"));
    assertInstanceOf(Huber.class, Losses.get("Huber"));
    assertEquals("mean_squared_error", Losses.mse().name());
    assertEquals("mean_absolute_error", Losses.mae().name());
    assertEquals("huber_loss", Losses.huber().name());
  }

  @Test
  void configsRoundTripWithKerasKeys() {
    LossChecks.assertConfigRoundTrip(new MeanSquaredError());
    LossChecks.assertConfigRoundTrip(new MeanAbsoluteError());
    Huber copy = (Huber) LossChecks.assertConfigRoundTrip(new Huber(0.25));
    assertEquals(0.25, copy.delta());
    Map<String, Object> cfg = new Huber(0.25).getConfig();
    assertEquals("huber_loss", cfg.get("name"));
    assertEquals("sum_over_batch_size", cfg.get("reduction"));
    assertEquals(0.25, cfg.get("delta"));
    // a Keras config without delta (Keras's Huber.get_config leaves it out) gets the default
    Huber fromKeras = (Huber) Loss.REGISTRY.deserialize(Map.of("class_name", "Huber",
        "config", Map.of("name", "huber_loss", "reduction", "sum_over_batch_size")));
    assertEquals(1.0, fromKeras.delta());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Loss.REGISTRY.deserialize(Map.of("class_name", "MeanSquaredError",
            "config", Map.of("reduction", "sum"))));
    assertTrue(e.getMessage().contains("reduction"), e.getMessage());
  }

  @Test
  void badTargetsNameTheSample() {
    IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
        () -> new MeanSquaredError().validateTargets(new float[] {1, 2, Float.NaN, 4}, 2,
            new int[] {2}));
    assertTrue(nan.getMessage().contains("sample 1"), nan.getMessage());
    assertTrue(nan.getMessage().contains("NaN"), nan.getMessage());
    IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
        () -> new Huber().validateTargets(new float[] {1, 2, 3}, 3, new int[] {2}));
    assertTrue(width.getMessage().contains("sample 0"), width.getMessage());
    assertTrue(width.getMessage().contains("1 value"), width.getMessage());
    assertTrue(width.getMessage().contains("expected 2"), width.getMessage());
    new MeanAbsoluteError().validateTargets(new float[] {1, 2, 3}, 3, new int[] {1});
  }
}
