package io.sparkeras.api.metrics;

import io.sparkeras.api.config.Config;

/**
 * Recall, Keras's {@code keras.metrics.Recall}: {@code tp / (tp + fn)} (0 when there were no
 * positive targets), a prediction being positive when strictly above the threshold (0.5).
 * Optional {@code classId} restricts it to one column; {@code top_k} is not supported.
 *
 * <pre>{@code model.compile(new Adam(1e-3), Losses.binaryCrossentropy(), new Recall()); }</pre>
 */
public final class Recall extends ConfusionMetric {
  public Recall() {
    this(null, null, "recall");
  }

  /** Recall at one threshold in [0, 1]. */
  public Recall(double threshold) {
    this(threshold, null, "recall");
  }

  /**
   * @param thresholds null (0.5), a number, or a one-element list, as Keras's {@code thresholds}
   * @param classId null, or the column of the last axis to score
   */
  public Recall(Object thresholds, Integer classId, String name) {
    super(name, thresholds, classId);
  }

  public static Recall fromConfig(Config c) {
    return new Recall(thresholdsFrom(c, "Recall"), classIdFrom(c), c.getString("name", "recall"));
  }

  @Override
  public double result() {
    return divideNoNan(truePositives, truePositives + falseNegatives);
  }
}
