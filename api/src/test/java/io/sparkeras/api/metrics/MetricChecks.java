package io.sparkeras.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkeras.api.config.Registry;
import java.io.IOException;
import java.util.Map;

/**
 * Test helpers for metrics: one-shot evaluation and the registry/JSON config round trip.
 *
 * <pre>{@code double v = MetricChecks.eval(new AUC(), yTrue, yPred, 4, new int[] {1}); }</pre>
 */
final class MetricChecks {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MetricChecks() {}

  /** Resets, feeds one batch and returns the result. */
  static double eval(Metric m, float[] yTrue, float[] yPred, int rows, int[] predShape) {
    m.resetState();
    m.updateState(yTrue, yPred, rows, predShape);
    return m.result();
  }

  /** Registry serialize -> JSON -> deserialize -> serialize gives the same JSON. */
  static Metric assertConfigRoundTrip(Metric m) {
    try {
      String json = JSON.writeValueAsString(Metric.REGISTRY.serialize(m));
      @SuppressWarnings("unchecked")
      Map<String, Object> parsed = JSON.readValue(json, Map.class);
      Metric copy = Metric.REGISTRY.deserialize(parsed);
      assertEquals(m.getClass(), copy.getClass());
      assertEquals(m.name(), copy.name());
      String again = JSON.writeValueAsString(Metric.REGISTRY.serialize(copy));
      assertEquals(JSON.readTree(json), JSON.readTree(again), m.name() + ": config changed");
      return copy;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
