package io.sparkeras.api.metrics;

import io.sparkeras.api.config.Config;
import java.util.Map;

/**
 * How often thresholded predictions match binary targets, Keras's {@code BinaryAccuracy}: a
 * prediction counts as 1 when it is strictly above {@code threshold} (0.5 by default), and must
 * then equal the target exactly.
 *
 * <pre>{@code new BinaryAccuracy("accuracy", 0.5); }</pre>
 */
public final class BinaryAccuracy extends SampleMeanMetric {
  private final double threshold;

  public BinaryAccuracy() {
    this("binary_accuracy", 0.5);
  }

  public BinaryAccuracy(String name) {
    this(name, 0.5);
  }

  public BinaryAccuracy(String name, double threshold) {
    super(name);
    if (!(threshold > 0 && threshold < 1)) {
      throw new IllegalArgumentException("BinaryAccuracy '" + name + "': threshold expected a "
          + "value in (0, 1), found " + threshold);
    }
    this.threshold = threshold;
  }

  public static BinaryAccuracy fromConfig(Config c) {
    return new BinaryAccuracy(c.getString("name", "binary_accuracy"),
        c.getDouble("threshold", 0.5));
  }

  public double threshold() {
    return threshold;
  }

  @Override
  double sampleValue(float[] yTrue, float[] yPred, int offset, int n, int lastDim) {
    float t = (float) threshold;
    int equal = 0;
    for (int i = offset; i < offset + n; i++) {
      float predicted = yPred[i] > t ? 1f : 0f;
      if (yTrue[i] == predicted) {
        equal++;
      }
    }
    return (double) equal / n;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("threshold", threshold);
    return m;
  }
}
