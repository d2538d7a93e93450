package io.sparkeras.api.metrics;

import io.sparkeras.api.config.Config;

/**
 * Precision, Keras's {@code keras.metrics.Precision}: {@code tp / (tp + fp)} (0 when nothing was
 * predicted positive), a prediction being positive when strictly above the threshold (0.5).
 * Optional {@code classId} restricts it to one column; {@code top_k} is not supported.
 *
 * <pre>{@code model.compile(new Adam(1e-3), Losses.binaryCrossentropy(), new Precision()); }</pre>
 */
public final class Precision extends ConfusionMetric {
  public Precision() {
    this(null, null, "precision");
  }

  /** Precision at one threshold in [0, 1]. */
  public Precision(double threshold) {
    this(threshold, null, "precision");
  }

  /**
   * @param thresholds null (0.5), a number, or a one-element list, as Keras's {@code thresholds}
   * @param classId null, or the column of the last axis to score
   */
  public Precision(Object thresholds, Integer classId, String name) {
    super(name, thresholds, classId);
  }

  public static Precision fromConfig(Config c) {
    return new Precision(thresholdsFrom(c, "Precision"), classIdFrom(c),
        c.getString("name", "precision"));
  }

  @Override
  public double result() {
    return divideNoNan(truePositives, truePositives + falsePositives);
  }
}
