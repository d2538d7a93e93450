package io.sparkeras.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.sparkeras.api.losses.Losses;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccuracyMetricsTest {
  @Test
  void accuracyIsExactEquality() {
    // Keras docstring: [[1], [2], [3], [4]] vs [[0], [2], [3], [4]] -> 0.75
    assertEquals(0.75, MetricChecks.eval(new Accuracy(), new float[] {1, 2, 3, 4},
        new float[] {0, 2, 3, 4}, 4, new int[] {1}), 1e-12);
    // per sample the fraction of equal entries (1/2 and 2/2), then the mean over samples
    assertEquals(0.75, MetricChecks.eval(new Accuracy(), new float[] {1, 2, 3, 4},
        new float[] {1, 0, 3, 4}, 2, new int[] {2}), 1e-12);
    assertEquals(0.0, MetricChecks.eval(new Accuracy(), new float[] {1}, new float[] {0.999f}, 1,
        new int[] {1}), 1e-12);
  }

  @Test
  void binaryAccuracyThresholdsPredictions() {
    // Keras docstring: [[1], [1], [0], [0]] vs [[0.98], [1], [0], [0.6]] -> 0.75
    BinaryAccuracy m = new BinaryAccuracy();
    assertEquals(0.75, MetricChecks.eval(m, new float[] {1, 1, 0, 0},
        new float[] {0.98f, 1, 0, 0.6f}, 4, new int[] {1}), 1e-12);
    // strictly above the threshold: 0.5 is predicted 0
    assertEquals(0.5, MetricChecks.eval(m, new float[] {1, 0}, new float[] {0.5f, 0.5f}, 2,
        new int[] {1}), 1e-12);
    assertEquals(1.0, MetricChecks.eval(new BinaryAccuracy("acc", 0.7), new float[] {0, 1},
        new float[] {0.65f, 0.71f}, 2, new int[] {1}), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> new BinaryAccuracy("a", 1.0));
  }

  @Test
  void binaryAccuracyAccumulatesAcrossBatchesAndResets() {
    BinaryAccuracy m = new BinaryAccuracy();
    m.updateState(new float[] {1, 0}, new float[] {0.9f, 0.1f}, 2, new int[] {1});
    m.updateState(new float[] {1, 1, 0, 0}, new float[] {0.2f, 0.3f, 0.7f, 0.1f}, 4,
        new int[] {1});
    // 2 right + 1 right out of 6
    assertEquals(3.0 / 6, m.result(), 1e-12);
    m.resetState();
    assertEquals(0.0, m.result(), 1e-12);
  }

  @Test
  void categoricalAccuracyComparesArgMaxes() {
    // Keras docstring: [[0, 0, 1], [0, 1, 0]] vs [[0.1, 0.9, 0.8], [0.05, 0.95, 0]] -> 0.5
    assertEquals(0.5, MetricChecks.eval(new CategoricalAccuracy(), new float[] {0, 0, 1, 0, 1, 0},
        new float[] {0.1f, 0.9f, 0.8f, 0.05f, 0.95f, 0}, 2, new int[] {3}), 1e-12);
    // sequences: sample 0 gets 1 of 2 positions right, sample 1 both -> (0.5 + 1) / 2
    float[] t = {1, 0, 0, 1, 0, 1, 1, 0};
    float[] p = {0.6f, 0.4f, 0.7f, 0.3f, 0.1f, 0.9f, 0.8f, 0.2f};
    assertEquals(0.75, MetricChecks.eval(new CategoricalAccuracy(), t, p, 2, new int[] {2, 2}),
        1e-12);
  }

  @Test
  void mismatchedTargetsAreReported() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new CategoricalAccuracy().updateState(new float[] {2, 1}, new float[6], 2,
            new int[] {3}));
    assertTrue(e.getMessage().contains("expected 3"), e.getMessage());
  }

  @Test
  void accuracyResolvesForBinaryAndCategoricalLosses() {
    Metric binary = Metrics.resolve(Metrics.accuracy(), Losses.binaryCrossentropy(),
        new int[] {1});
    assertInstanceOf(BinaryAccuracy.class, binary);
    assertEquals("accuracy", binary.name());
    Metric categorical = Metrics.resolve(Metrics.accuracy(), Losses.categoricalCrossentropy(),
        new int[] {4});
    assertInstanceOf(CategoricalAccuracy.class, categorical);
    assertEquals("accuracy", categorical.name());
    Metric oneUnit = Metrics.resolve(Metrics.accuracy(), Losses.mse(), new int[] {1});
    assertInstanceOf(BinaryAccuracy.class, oneUnit);
  }

  @Test
  void configsRoundTrip() {
    BinaryAccuracy b = (BinaryAccuracy) MetricChecks.assertConfigRoundTrip(
        new BinaryAccuracy("acc", 0.3));
    assertEquals(0.3, b.threshold());
    MetricChecks.assertConfigRoundTrip(new BinaryAccuracy());
    MetricChecks.assertConfigRoundTrip(new CategoricalAccuracy());
    MetricChecks.assertConfigRoundTrip(new Accuracy());
    Map<String, Object> cfg = new BinaryAccuracy().getConfig();
    assertEquals("binary_accuracy", cfg.get("name"));
    assertEquals("float32", cfg.get("dtype"));
    assertEquals(0.5, cfg.get("threshold"));
    assertInstanceOf(Accuracy.class, Metric.REGISTRY.deserialize(Map.of("class_name",
        "Accuracy", "config", Map.of("name", "accuracy"))));
    assertInstanceOf(BinaryAccuracy.class, Metrics.get("binary_accuracy"));
    assertInstanceOf(CategoricalAccuracy.class, Metrics.get("categorical_accuracy"));
  }
}
