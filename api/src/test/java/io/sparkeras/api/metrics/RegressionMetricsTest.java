package io.sparkeras.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;

class RegressionMetricsTest {
  private static final float[] T = {0, 1, 0, 0};
  private static final float[] P = {1, 1, 0, 0};

  @Test
  void meanSquaredErrorMatchesKerasDocumentedValue() {
    // Keras docstring: update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]]) -> 0.25
    assertEquals(0.25, MetricChecks.eval(new MeanSquaredError(), T, P, 2, new int[] {2}), 1e-12);
    // (0.5^2 + 2^2) / 2 = 2.125 and 0, mean 1.0625
    assertEquals(1.0625, MetricChecks.eval(new MeanSquaredError(), new float[] {1, 2, 3, 4},
        new float[] {1.5f, 0, 3, 4}, 2, new int[] {2}), 1e-12);
  }

  @Test
  void meanAbsoluteErrorMatchesKerasDocumentedValue() {
    assertEquals(0.25, MetricChecks.eval(new MeanAbsoluteError(), T, P, 2, new int[] {2}), 1e-12);
    // (0.5 + 2) / 2 = 1.25 and 0, mean 0.625; a second batch adds one sample of error 3
    MeanAbsoluteError m = new MeanAbsoluteError();
    m.updateState(new float[] {1, 2, 3, 4}, new float[] {1.5f, 0, 3, 4}, 2, new int[] {2});
    assertEquals(0.625, m.result(), 1e-12);
    m.updateState(new float[] {0, 0}, new float[] {3, -3}, 1, new int[] {2});
    assertEquals((1.25 + 0 + 3) / 3, m.result(), 1e-12);
  }

  @Test
  void aliasesAndConfigs() {
    Metric mse = Metrics.get("mse");
    assertInstanceOf(MeanSquaredError.class, mse);
    assertEquals("mse", mse.name());
    Metric mae = Metrics.get("mae");
    assertInstanceOf(MeanAbsoluteError.class, mae);
    assertEquals("mae", mae.name());
    assertEquals("mean_squared_error", Metrics.get("mean_squared_error").name());
    assertEquals("mean_absolute_error", Metrics.get("MeanAbsoluteError").name());
    MetricChecks.assertConfigRoundTrip(new MeanSquaredError());
    MetricChecks.assertConfigRoundTrip(mae);
  }
}
