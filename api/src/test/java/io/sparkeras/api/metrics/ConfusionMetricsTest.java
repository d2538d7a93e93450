package io.sparkeras.api.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfusionMetricsTest {
  private static final int[] ONE = {1};

  @Test
  void precisionAndRecallMatchKerasDocumentedValues() {
    // Keras docstrings: update_state([0, 1, 1, 1], [1, 0, 1, 1]) -> 0.6666667 for both
    float[] t = {0, 1, 1, 1};
    float[] p = {1, 0, 1, 1};
    assertEquals(2.0 / 3, MetricChecks.eval(new Precision(), t, p, 4, ONE), 1e-12);
    assertEquals(2.0 / 3, MetricChecks.eval(new Recall(), t, p, 4, ONE), 1e-12);
  }

  @Test
  void precisionAndRecallUseAStrictThresholdAndAccumulate() {
    float[] t = {1, 0, 1, 0, 1};
    float[] p = {0.5f, 0.51f, 0.9f, 0.2f, 0.1f};
    // predicted positive: 0.51 (false) and 0.9 (true); 0.5 is not above 0.5
    Precision prec = new Precision();
    Recall rec = new Recall();
    assertEquals(0.5, MetricChecks.eval(prec, t, p, 5, ONE), 1e-12);
    assertEquals(1.0 / 3, MetricChecks.eval(rec, t, p, 5, ONE), 1e-12);
    prec.updateState(new float[] {1}, new float[] {0.7f}, 1, ONE);
    assertEquals(2.0 / 3, prec.result(), 1e-12);
    // with threshold 0.05 all five are predicted positive: 3 true, 2 false
    assertEquals(0.6, MetricChecks.eval(new Precision(0.05), t, p, 5, ONE), 1e-12);
    assertEquals(1.0, MetricChecks.eval(new Recall(0.05), t, p, 5, ONE), 1e-12);
  }

  @Test
  void nothingPredictedGivesZero() {
    assertEquals(0.0, MetricChecks.eval(new Precision(), new float[] {1, 0},
        new float[] {0.1f, 0.2f}, 2, ONE), 1e-12);
    assertEquals(0.0, MetricChecks.eval(new Recall(), new float[] {0, 0},
        new float[] {0.9f, 0.2f}, 2, ONE), 1e-12);
  }

  @Test
  void classIdScoresOneColumn() {
    float[] t = {0, 1, 1, 0, 0, 1};
    float[] p = {0.2f, 0.7f, 0.6f, 0.3f, 0.4f, 0.4f};
    // column 1: labels [1, 0, 1], predictions [0.7, 0.3, 0.4] -> tp 1, fp 0, fn 1
    assertEquals(1.0, MetricChecks.eval(new Precision(null, 1, "p1"), t, p, 3, new int[] {2}),
        1e-12);
    assertEquals(0.5, MetricChecks.eval(new Recall(null, 1, "r1"), t, p, 3, new int[] {2}), 1e-12);
    assertThrows(IllegalArgumentException.class,
        () -> new Recall(null, 2, "r2").updateState(t, p, 3, new int[] {2}));
  }

  /**
   * Keras's AUC computed independently of the implementation: thresholds
   * {-1e-7, 1/(n-1), ..., (n-2)/(n-1), 1+1e-7}, counts by direct comparison {@code p > t}, then
   * the mid-point (trapezoid) sum of recall over the false-positive rate.
   */
  private static double kerasRocAuc(float[] t, float[] p, int n) {
    double[] th = new double[n];
    th[0] = -1e-7;
    for (int i = 1; i < n - 1; i++) {
      th[i] = (double) i / (n - 1);
    }
    th[n - 1] = 1 + 1e-7;
    double[] tpr = new double[n];
    double[] fpr = new double[n];
    for (int k = 0; k < n; k++) {
      double tp = 0;
      double fp = 0;
      double pos = 0;
      double neg = 0;
      for (int i = 0; i < t.length; i++) {
        boolean above = p[i] > th[k];
        if (t[i] != 0) {
          pos++;
          tp += above ? 1 : 0;
        } else {
          neg++;
          fp += above ? 1 : 0;
        }
      }
      tpr[k] = pos == 0 ? 0 : tp / pos;
      fpr[k] = neg == 0 ? 0 : fp / neg;
    }
    double auc = 0;
    for (int k = 0; k < n - 1; k++) {
      auc += (fpr[k] - fpr[k + 1]) * (tpr[k] + tpr[k + 1]) / 2;
    }
    return auc;
  }

  @Test
  void aucMatchesKerasDocumentedExample() {
    // Keras docstring: AUC(num_thresholds=3), [0, 0, 1, 1] vs [0, 0.5, 0.3, 0.9] -> 0.75
    // thresholds [-1e-7, 0.5, 1 + 1e-7]: tp [2, 1, 0], fp [2, 0, 0] -> tpr [1, .5, 0], fpr [1, 0, 0]
    AUC m = new AUC(3, AUC.Curve.ROC);
    float[] t = {0, 0, 1, 1};
    float[] p = {0, 0.5f, 0.3f, 0.9f};
    assertEquals(0.75, MetricChecks.eval(m, t, p, 4, ONE), 1e-12);
    assertEquals(0.75, kerasRocAuc(t, p, 3), 1e-12);
    assertArrayEquals(new double[] {-1e-7, 0.5, 1 + 1e-7}, m.thresholds(), 1e-15);
  }

  @Test
  void aucWithDefaultThresholdsEqualsTheExactRocAreaForSeparatedScores() {
    float[] t = {0, 0, 1, 1, 0, 1};
    float[] p = {0.1f, 0.4f, 0.35f, 0.8f, 0.65f, 0.9f};
    // exact ROC AUC: of the 9 (positive, negative) pairs the positive scores higher in 7
    double exact = 7.0 / 9;
    AUC m = new AUC();
    assertEquals(200, m.numThresholds());
    double got = MetricChecks.eval(m, t, p, 6, ONE);
    assertEquals(exact, got, 1e-12);
    assertEquals(kerasRocAuc(t, p, 200), got, 1e-12);
  }

  @Test
  void aucFollowsKerasThresholdBucketsWhenScoresShareABucket() {
    // with 5 thresholds (0.25 apart) the positive 0.30 and the negative 0.45 fall between the same
    // thresholds, so the curve sees a tie and the trapezoid gives that pair half credit: 8.5 of
    // 12 pairs instead of the exact 8 of 12
    float[] t = {1, 0, 1, 0, 1, 0, 0};
    float[] p = {0.3f, 0.45f, 0.7f, 0.1f, 0.6f, 0.8f, 0.05f};
    double got = MetricChecks.eval(new AUC(5, AUC.Curve.ROC), t, p, 7, ONE);
    assertEquals(kerasRocAuc(t, p, 5), got, 1e-12);
    // by hand: tpr [1, 1, 2/3, 0, 0], fpr [1, 1/2, 1/4, 1/4, 0]
    // area = (1 - 1/2) * (1 + 1) / 2 + (1/2 - 1/4) * (1 + 2/3) / 2 + 0 + 0
    assertEquals(0.5 + 0.25 * (5.0 / 3) / 2, got, 1e-12);
    assertEquals(8.5 / 12, got, 1e-12);
    // several batches give the same counts as one
    AUC split = new AUC(5, AUC.Curve.ROC);
    split.updateState(new float[] {1, 0, 1}, new float[] {0.3f, 0.45f, 0.7f}, 3, ONE);
    split.updateState(new float[] {0, 1, 0, 0}, new float[] {0.1f, 0.6f, 0.8f, 0.05f}, 4, ONE);
    assertEquals(got, split.result(), 1e-12);
    split.resetState();
    assertEquals(0.0, split.result(), 1e-12);
  }

  @Test
  void aucSummationMethodsAndPrCurve() {
    float[] t = {0, 0, 1, 1};
    float[] p = {0, 0.5f, 0.3f, 0.9f};
    // counts with thresholds [-1e-7, 0.5, 1 + 1e-7]: tp [2, 1, 0], fp [2, 0, 0], fn [0, 1, 2]
    // ROC: y = recall [1, .5, 0] over x = fpr [1, 0, 0]
    assertEquals(0.5, MetricChecks.eval(new AUC(3, AUC.Curve.ROC, AUC.SummationMethod.MINORING,
        "auc", null, false), t, p, 4, ONE), 1e-12);
    assertEquals(1.0, MetricChecks.eval(new AUC(3, AUC.Curve.ROC, AUC.SummationMethod.MAJORING,
        "auc", null, false), t, p, 4, ONE), 1e-12);
    // PR: y = precision [.5, 1, 0] over x = recall [1, .5, 0]
    assertEquals(0.25, MetricChecks.eval(new AUC(3, AUC.Curve.PR, AUC.SummationMethod.MINORING,
        "auc", null, false), t, p, 4, ONE), 1e-12);
    assertEquals(1.0, MetricChecks.eval(new AUC(3, AUC.Curve.PR, AUC.SummationMethod.MAJORING,
        "auc", null, false), t, p, 4, ONE), 1e-12);
    // PR interpolation (Davis & Goadrich), predicted positives P = tp + fp = [4, 1, 0]:
    // interval 1: slope = dTP/dP = 1/3, intercept = 1 - 1/3 = 2/3,
    //   area = slope * (dTP + intercept * ln(4 / 1)) / (tp + fn at its end = 2)
    // interval 2: slope = 1, intercept = 0, P_B = 0 so the log term is 0: area = 1 * 1 / 2
    double expected = (1.0 / 3) * (1 + (2.0 / 3) * Math.log(4)) / 2 + 0.5;
    assertEquals(expected, MetricChecks.eval(new AUC(3, AUC.Curve.PR), t, p, 4, ONE), 1e-12);
  }

  @Test
  void aucFromLogitsAppliesASigmoid() {
    float[] t = {0, 0, 1, 1};
    float[] logits = {-3f, 0.1f, -0.4f, 2.2f};
    float[] probs = new float[4];
    for (int i = 0; i < 4; i++) {
      probs[i] = (float) (1 / (1 + Math.exp(-logits[i])));
    }
    double fromLogits = MetricChecks.eval(new AUC(200, AUC.Curve.ROC,
        AUC.SummationMethod.INTERPOLATION, "auc", null, true), t, logits, 4, ONE);
    assertEquals(MetricChecks.eval(new AUC(), t, probs, 4, ONE), fromLogits, 1e-12);
    assertEquals(0.75, fromLogits, 1e-12);
  }

  @Test
  void aucWithExplicitThresholds() {
    float[] t = {1, 0, 1, 0, 1, 0, 0};
    float[] p = {0.3f, 0.45f, 0.9f, 0.1f, 0.6f, 0.8f, 0.05f};
    // uneven thresholds [-1e-7, 0.2, 0.5, 0.85, 1 + 1e-7]:
    // tpr [1, 1, 2/3, 1/3, 0], fpr [1, 1/2, 1/4, 0, 0]
    AUC m = new AUC(0, AUC.Curve.ROC, AUC.SummationMethod.INTERPOLATION, "auc",
        List.of(0.85, 0.2, 0.5), false);
    double expected = 0.5 * (1 + 1) / 2 + 0.25 * (1 + 2.0 / 3) / 2 + 0.25 * (2.0 / 3 + 1.0 / 3) / 2;
    assertEquals(expected, MetricChecks.eval(m, t, p, 7, ONE), 1e-12);
    assertEquals(5, m.numThresholds());
    AUC copy = (AUC) MetricChecks.assertConfigRoundTrip(m);
    assertEquals(List.of(0.2, 0.5, 0.85), copy.getConfig().get("thresholds"));
    assertEquals(expected, MetricChecks.eval(copy, t, p, 7, ONE), 1e-12);
  }

  @Test
  void configsRoundTripWithKerasKeys() {
    MetricChecks.assertConfigRoundTrip(new AUC());
    AUC pr = (AUC) MetricChecks.assertConfigRoundTrip(new AUC(50, AUC.Curve.PR,
        AUC.SummationMethod.MAJORING, "pr_auc", null, true));
    assertEquals(AUC.Curve.PR, pr.curve());
    assertEquals(50, pr.numThresholds());
    Map<String, Object> cfg = new AUC().getConfig();
    assertEquals("auc", cfg.get("name"));
    assertEquals(200, cfg.get("num_thresholds"));
    assertEquals("ROC", cfg.get("curve"));
    assertEquals("interpolation", cfg.get("summation_method"));
    assertEquals(false, cfg.get("multi_label"));
    assertEquals(false, cfg.get("from_logits"));
    assertTrue(cfg.containsKey("label_weights") && cfg.get("label_weights") == null);
    Precision p = (Precision) MetricChecks.assertConfigRoundTrip(new Precision(0.3, 2, "p"));
    assertEquals(0.3, p.threshold());
    assertEquals(2, p.classId());
    MetricChecks.assertConfigRoundTrip(new Recall());
    Map<String, Object> pc = new Precision().getConfig();
    assertEquals("precision", pc.get("name"));
    assertTrue(pc.containsKey("thresholds") && pc.get("thresholds") == null);
    assertTrue(pc.containsKey("top_k") && pc.get("top_k") == null);
    assertInstanceOf(AUC.class, Metrics.get("auc"));
    assertEquals("auc", Metrics.get("auc").name());
    assertInstanceOf(Precision.class, Metrics.get("precision"));
    assertInstanceOf(Recall.class, Metrics.get("recall"));
    IllegalArgumentException topK = assertThrows(IllegalArgumentException.class,
        () -> Metric.REGISTRY.deserialize(Map.of("class_name", "Precision",
            "config", Map.of("top_k", 3))));
    assertTrue(topK.getMessage().contains("top_k"), topK.getMessage());
    IllegalArgumentException multi = assertThrows(IllegalArgumentException.class,
        () -> Metric.REGISTRY.deserialize(Map.of("class_name", "AUC",
            "config", Map.of("multi_label", true))));
    assertTrue(multi.getMessage().contains("multi_label"), multi.getMessage());
    IllegalArgumentException curve = assertThrows(IllegalArgumentException.class,
        () -> Metric.REGISTRY.deserialize(Map.of("class_name", "AUC",
            "config", Map.of("curve", "PRGAIN"))));
    assertTrue(curve.getMessage().contains("PRGAIN"), curve.getMessage());
  }
}
