package io.sparkeras.api.losses;

import static io.sparkeras.api.losses.LossChecks.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Ops;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.backend.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CrossentropyLossesTest {
  private static final double EPS = 1e-7;

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /** Keras's binary_crossentropy in double: smooth, clip, log, mean over the last axis. */
  private static double[] bceReference(float[] t, float[] p, int rows, double smoothing,
      boolean logits) {
    int per = t.length / rows;
    double[] out = new double[rows];
    for (int r = 0; r < rows; r++) {
      double s = 0;
      for (int k = 0; k < per; k++) {
        double z = t[r * per + k] * (1 - smoothing) + 0.5 * smoothing;
        double x = p[r * per + k];
        if (logits) {
          s += Math.max(x, 0) - x * z + Math.log1p(Math.exp(-Math.abs(x)));
        } else {
          double q = Math.min(Math.max(x, EPS), (float) (1 - EPS));
          s += -(z * Math.log(q) + (1 - z) * Math.log(1 - q));
        }
      }
      out[r] = s / per;
    }
    return out;
  }

  /** Keras's categorical_crossentropy in double for [rows, classes]. */
  private static double[] cceReference(float[] t, float[] p, int rows, double smoothing,
      boolean logits) {
    int c = t.length / rows;
    double[] out = new double[rows];
    for (int r = 0; r < rows; r++) {
      double sum = 0;
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < c; k++) {
        sum += p[r * c + k];
        max = Math.max(max, p[r * c + k]);
      }
      double lse = 0;
      for (int k = 0; k < c; k++) {
        lse += Math.exp(p[r * c + k] - max);
      }
      lse = max + Math.log(lse);
      double l = 0;
      for (int k = 0; k < c; k++) {
        double z = t[r * c + k] * (1 - smoothing) + smoothing / c;
        double logq = logits ? p[r * c + k] - lse
            : Math.log(Math.min(Math.max(p[r * c + k] / sum, EPS), (float) (1 - EPS)));
        l -= z * logq;
      }
      out[r] = l;
    }
    return out;
  }

  @Test
  void binaryCrossentropyMatchesKerasDocumentedValues() {
    float[] t = {0, 1, 0, 0};
    float[] p = {0.6f, 0.4f, 0.4f, 0.6f};
    int[] s = {2, 2};
    float[] got = LossChecks.perSample(new BinaryCrossentropy(), t, s, p, s);
    // Keras docstring: array([0.916, 0.714])
    double a = -Math.log(0.4);
    double b = (-Math.log(0.6) - Math.log(0.4)) / 2;
    assertClose(new double[] {a, b}, got, 1e-5, "bce");
    assertEquals(0.916, got[0], 1e-3);
    assertEquals(0.714, got[1], 1e-3);
    assertClose(bceReference(t, p, 2, 0, false), got, 1e-5, "bce reference");
  }

  @Test
  void binaryCrossentropyFromLogitsMatchesKerasDocumentedValues() {
    float[] t = {0, 1, 0, 0};
    float[] x = {-18.6f, 0.51f, 2.94f, -12.8f};
    int[] s = {2, 2};
    float[] got = LossChecks.perSample(new BinaryCrossentropy(true), t, s, x, s);
    // Keras docstring: array([0.235, 1.496]) and a batch loss of 0.8654
    assertEquals(0.235, got[0], 1e-3);
    assertEquals(1.496, got[1], 1e-3);
    assertClose(bceReference(t, x, 2, 0, true), got, 1e-5, "bce logits reference");
    assertEquals(0.8654, LossChecks.batchLoss(Losses.binaryCrossentropy(true), t, s, x, s), 1e-4);
  }

  @Test
  void binaryCrossentropyClipsProbabilitiesLikeKeras() {
    float[] t = {1, 0, 1};
    float[] p = {0, 1, 1};
    float[] got = LossChecks.perSample(new BinaryCrossentropy(), t, new int[] {3, 1}, p,
        new int[] {3, 1});
    double low = (float) EPS;
    double high = (float) (1 - EPS);
    assertClose(new double[] {-Math.log(low), -Math.log(1 - high), -Math.log(high)}, got, 1e-4,
        "clipped bce");
    assertTrue(Float.isFinite(got[0]) && got[0] > 15, "log(0) must be clipped: " + got[0]);
  }

  @Test
  void binaryCrossentropyLabelSmoothing() {
    float[] t = {0, 1, 1, 0, 1, 1};
    float[] p = {0.1f, 0.8f, 0.55f, 0.3f, 0.9f, 0.2f};
    int[] s = {2, 3};
    float[] got = LossChecks.perSample(new BinaryCrossentropy(false, 0.2), t, s, p, s);
    assertClose(bceReference(t, p, 2, 0.2, false), got, 1e-5, "smoothed bce");
    // z = 1 becomes 0.9 and z = 0 becomes 0.1 with smoothing 0.2
    double first = -(0.1 * Math.log(0.1) + 0.9 * Math.log(0.9)
        + 0.9 * Math.log(0.8) + 0.1 * Math.log(0.2)
        + 0.9 * Math.log(0.55) + 0.1 * Math.log(0.45)) / 3;
    assertEquals(first, got[0], 1e-5);
    float[] logits = LossChecks.perSample(new BinaryCrossentropy(true, 0.2), t, s, p, s);
    assertClose(bceReference(t, p, 2, 0.2, true), logits, 1e-5, "smoothed bce on logits");
  }

  @Test
  void binaryFromLogitsEqualsProbabilitiesOnSigmoid() {
    float[] t = {1, 0, 1, 0, 0, 1};
    float[] x = {2.5f, -1.2f, 0f, 0.7f, -3.1f, -0.4f};
    float[] p = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      p[i] = (float) sigmoid(x[i]);
    }
    int[] s = {3, 2};
    float[] fromLogits = LossChecks.perSample(new BinaryCrossentropy(true), t, s, x, s);
    float[] fromProbs = LossChecks.perSample(new BinaryCrossentropy(false), t, s, p, s);
    for (int i = 0; i < fromLogits.length; i++) {
      assertEquals(fromProbs[i], fromLogits[i], 1e-5 + 1e-5 * Math.abs(fromProbs[i]),
          "sample " + i);
    }
  }

  @Test
  void categoricalCrossentropyMatchesKerasDocumentedValues() {
    float[] t = {0, 1, 0, 0, 0, 1};
    float[] p = {0.05f, 0.95f, 0f, 0.1f, 0.8f, 0.1f};
    int[] s = {2, 3};
    float[] got = LossChecks.perSample(new CategoricalCrossentropy(), t, s, p, s);
    // Keras docstring: array([0.0513, 2.303]), batch mean 1.177
    assertClose(new double[] {-Math.log(0.95), -Math.log(0.1)}, got, 1e-5, "cce");
    assertEquals(1.177, LossChecks.batchLoss(Losses.categoricalCrossentropy(), t, s, p, s), 1e-3);
  }

  @Test
  void categoricalCrossentropyRenormalisesAndSmooths() {
    float[] t = {0, 1, 0};
    float[] p = {1, 2, 1};
    float[] got = LossChecks.perSample(new CategoricalCrossentropy(), t, new int[] {1, 3}, p,
        new int[] {1, 3});
    assertEquals(-Math.log(0.5), got[0], 1e-6, "predictions are divided by their sum");
    float[] smoothed = LossChecks.perSample(new CategoricalCrossentropy(false, 0.3), t,
        new int[] {1, 3}, p, new int[] {1, 3});
    // targets become [0.1, 0.8, 0.1] with 3 classes
    double expected = -(0.1 * Math.log(0.25) + 0.8 * Math.log(0.5) + 0.1 * Math.log(0.25));
    assertEquals(expected, smoothed[0], 1e-6);
    assertClose(cceReference(t, p, 1, 0.3, false), smoothed, 1e-6, "smoothed reference");
  }

  @Test
  void categoricalFromLogitsEqualsProbabilitiesOnSoftmax() {
    float[] t = {0, 0, 1, 0.2f, 0.8f, 0, 1, 0, 0};
    float[] x = {1.5f, -0.3f, 0.2f, 3f, 0f, -2f, -1f, 0.5f, 0.25f};
    int rows = 3;
    int c = 3;
    float[] p = new float[x.length];
    for (int r = 0; r < rows; r++) {
      double z = 0;
      for (int k = 0; k < c; k++) {
        z += Math.exp(x[r * c + k]);
      }
      for (int k = 0; k < c; k++) {
        p[r * c + k] = (float) (Math.exp(x[r * c + k]) / z);
      }
    }
    int[] s = {rows, c};
    float[] fromLogits = LossChecks.perSample(new CategoricalCrossentropy(true), t, s, x, s);
    float[] fromProbs = LossChecks.perSample(new CategoricalCrossentropy(false), t, s, p, s);
    assertClose(cceReference(t, x, rows, 0, true), fromLogits, 1e-5, "cce logits reference");
    for (int i = 0; i < rows; i++) {
      assertEquals(fromProbs[i], fromLogits[i], 1e-5, "sample " + i);
    }
    float[] smoothed = LossChecks.perSample(new CategoricalCrossentropy(true, 0.1), t, s, x, s);
    assertClose(cceReference(t, x, rows, 0.1, true), smoothed, 1e-5, "smoothed logits");
  }

  @Test
  void categoricalCrossentropyAveragesSequencePositions() {
    float[] t = {1, 0, 0, 1};
    float[] p = {0.5f, 0.5f, 0.2f, 0.8f};
    float[] got = LossChecks.perSample(new CategoricalCrossentropy(), t, new int[] {1, 2, 2}, p,
        new int[] {1, 2, 2});
    assertEquals((-Math.log(0.5) - Math.log(0.8)) / 2, got[0], 1e-6);
  }

  @Test
  void namesAliasesAndConfigs() {
    assertInstanceOf(BinaryCrossentropy.class, Losses.get("binary_crossentropy"));
    assertInstanceOf(CategoricalCrossentropy.class, Losses.get("categorical_crossentropy"));
    BinaryCrossentropy bce = (BinaryCrossentropy) LossChecks.assertConfigRoundTrip(
        new BinaryCrossentropy(true, 0.1));
    assertTrue(bce.fromLogits());
    assertEquals(0.1, bce.labelSmoothing());
    CategoricalCrossentropy cce = (CategoricalCrossentropy) LossChecks.assertConfigRoundTrip(
        new CategoricalCrossentropy(true, 0.2));
    assertTrue(cce.fromLogits());
    assertEquals(0.2, cce.labelSmoothing());
    LossChecks.assertConfigRoundTrip(new BinaryCrossentropy());
    LossChecks.assertConfigRoundTrip(new CategoricalCrossentropy());
    Map<String, Object> cfg = new CategoricalCrossentropy().getConfig();
    assertEquals("categorical_crossentropy", cfg.get("name"));
    assertEquals(false, cfg.get("from_logits"));
    assertEquals(0.0, cfg.get("label_smoothing"));
    assertEquals(-1, cfg.get("axis"));
    assertEquals("sum_over_batch_size", cfg.get("reduction"));
    IllegalArgumentException axis = assertThrows(IllegalArgumentException.class,
        () -> Loss.REGISTRY.deserialize(Map.of("class_name", "CategoricalCrossentropy",
            "config", Map.of("axis", 1))));
    assertTrue(axis.getMessage().contains("axis"), axis.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new BinaryCrossentropy(false, 1.5));
  }

  @Test
  void badBinaryTargetsNameTheSample() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BinaryCrossentropy().validateTargets(new float[] {0, 1, 2, 0}, 4,
            new int[] {1}));
    assertTrue(e.getMessage().contains("sample 2"), e.getMessage());
    assertTrue(e.getMessage().contains("2.0"), e.getMessage());
    assertTrue(e.getMessage().contains("[0, 1]"), e.getMessage());
    IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
        () -> new BinaryCrossentropy().validateTargets(new float[] {0, 1, 1, 0}, 2,
            new int[] {1}));
    assertTrue(count.getMessage().contains("2 value"), count.getMessage());
    assertTrue(count.getMessage().contains("expected 1"), count.getMessage());
    new BinaryCrossentropy().validateTargets(new float[] {0, 1, 0.3f, 1}, 2, new int[] {2});
  }

  @Test
  void badCategoricalTargetsNameTheSample() {
    IllegalArgumentException labels = assertThrows(IllegalArgumentException.class,
        () -> new CategoricalCrossentropy().validateTargets(new float[] {2, 0}, 2,
            new int[] {3}));
    assertTrue(labels.getMessage().contains("sample 0"), labels.getMessage());
    assertTrue(labels.getMessage().contains("1 value"), labels.getMessage());
    assertTrue(labels.getMessage().contains("expected 3"), labels.getMessage());
    assertTrue(labels.getMessage().contains("sparse_categorical_crossentropy"),
        labels.getMessage());
    IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
        () -> new CategoricalCrossentropy().validateTargets(new float[] {1, 0, 0, 0, -1, 0}, 2,
            new int[] {3}));
    assertTrue(range.getMessage().contains("sample 1"), range.getMessage());
    assertTrue(range.getMessage().contains("-1.0"), range.getMessage());
    new CategoricalCrossentropy().validateTargets(new float[] {1, 0, 0, 0, 0.5f, 0.5f}, 2,
        new int[] {3});
  }

  /**
   * Per-step losses ([batch, time], a sequence model's) with one weight per sample: each step
   * takes its sample's weight, and the batch loss is their mean (Keras's sum_over_batch_size).
   */
  @Test
  void sampleWeightsApplyToEveryStepOfASequence() {
    float[] labels = {0, 2, 1, 1, 0, 2}; // [2 samples, 3 steps]
    float[] logits = new float[2 * 3 * 4];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) Math.sin(i);
    }
    Loss loss = Losses.sparseCategoricalCrossentropy(true);
    float[] perStep;
    double weighted;
    try (Scope s = Backends.current().scope(false)) {
      Ops o = Backends.ops();
      Tensor t = o.constant(labels, new int[] {2, 3});
      Tensor x = o.constant(logits, new int[] {2, 3, 4});
      perStep = loss.call(t, x).toFloatArray();
      weighted = loss.compute(t, x, o.constant(new float[] {1, 3}, new int[] {2})).item();
    }
    assertEquals(6, perStep.length);
    double expected = 0;
    for (int i = 0; i < 6; i++) {
      expected += (i < 3 ? 1 : 3) * perStep[i];
    }
    assertEquals(expected / 6, weighted, 1e-5);
  }
}
