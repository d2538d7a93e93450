package io.sparkeras.api.metrics;

import io.sparkeras.api.config.Config;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The shared part of {@link Precision} and {@link Recall}: Keras's
 * {@code update_confusion_matrix_variables} for one threshold. A target counts as positive when
 * it is non-zero; a prediction when it is strictly above the threshold (0.5 by default). With
 * {@code classId} only that column of the last axis is looked at.
 *
 * <pre>{@code new Precision(0.5, 1, "precision_class_1"); }</pre>
 */
abstract class ConfusionMetric extends Metric {
  /** The thresholds as given (null, a number or a one-element list), written back in configs. */
  private final Object initThresholds;
  private final double threshold;
  private final Integer classId;
  protected double truePositives;
  protected double falsePositives;
  protected double falseNegatives;

  ConfusionMetric(String name, Object initThresholds, Integer classId) {
    super(name);
    this.initThresholds = initThresholds;
    this.threshold = parseThreshold(getClass().getSimpleName() + " '" + name + "'",
        initThresholds);
    if (classId != null && classId < 0) {
      throw new IllegalArgumentException(getClass().getSimpleName() + " '" + name
          + "': class_id expected a class index >= 0, found " + classId);
    }
    this.classId = classId;
  }

  private static double parseThreshold(String owner, Object thresholds) {
    Object t = thresholds;
    if (t instanceof List) {
      List<?> l = (List<?>) t;
      if (l.size() != 1) {
        throw new IllegalArgumentException(owner + ": thresholds expected one value (several "
            + "thresholds are not supported yet), found " + l);
      }
      t = l.get(0);
    }
    if (t == null) {
      return 0.5;
    }
    if (!(t instanceof Number)) {
      throw new IllegalArgumentException(owner + ": thresholds expected a number in [0, 1], found "
          + t);
    }
    double v = ((Number) t).doubleValue();
    if (!(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException(owner + ": thresholds expected a number in [0, 1], found "
          + v);
    }
    return v;
  }

  /** Reads Keras's thresholds / top_k / class_id keys; top_k must be null. */
  static Object thresholdsFrom(Config c, String owner) {
    if (c.has("top_k")) {
      throw new IllegalArgumentException(owner + ": config key 'top_k' is not supported yet "
          + "(expected null), found " + c.get("top_k"));
    }
    Object t = c.get("thresholds");
    return t instanceof Number ? ((Number) t).doubleValue() : t;
  }

  static Integer classIdFrom(Config c) {
    return c.has("class_id") ? c.getInt("class_id") : null;
  }

  public double threshold() {
    return threshold;
  }

  public Integer classId() {
    return classId;
  }

  @Override
  public void updateState(float[] yTrue, float[] yPred, int rows, int[] predShape) {
    int per = product(predShape);
    if (yPred.length != (long) rows * per || yTrue.length != (long) rows * per) {
      throw new IllegalArgumentException(name() + ": this batch has " + yTrue.length
          + " target and " + yPred.length + " prediction values for " + rows + " samples; expected "
          + per + " of each per sample (prediction shape " + Arrays.toString(predShape) + ")");
    }
    int lastDim = predShape.length == 0 ? 1 : predShape[predShape.length - 1];
    if (classId != null && classId >= lastDim) {
      throw new IllegalArgumentException(name() + ": class_id " + classId + " is out of range for "
          + "predictions with " + lastDim + " classes");
    }
    float t = (float) threshold;
    for (int i = 0; i < yPred.length; i++) {
      if (classId != null && i % lastDim != classId) {
        continue;
      }
      boolean label = yTrue[i] != 0;
      boolean predicted = yPred[i] > t;
      if (label && predicted) {
        truePositives++;
      } else if (predicted) {
        falsePositives++;
      } else if (label) {
        falseNegatives++;
      }
    }
  }

  static double divideNoNan(double a, double b) {
    return b == 0 ? 0 : a / b;
  }

  @Override
  public void resetState() {
    truePositives = 0;
    falsePositives = 0;
    falseNegatives = 0;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("thresholds", initThresholds);
    m.put("top_k", null);
    m.put("class_id", classId);
    return m;
  }
}
