package io.sparkeras.api.metrics;

import io.sparkeras.api.config.Config;

/**
 * How often the arg-max of the prediction equals the integer label.
 *
 * <pre>{@code new SparseCategoricalAccuracy("accuracy"); }</pre>
 */
public final class SparseCategoricalAccuracy extends MeanMetric {
  public SparseCategoricalAccuracy() {
    this("sparse_categorical_accuracy");
  }

  public SparseCategoricalAccuracy(String name) {
    super(name);
  }

  public static SparseCategoricalAccuracy fromConfig(Config c) {
    return new SparseCategoricalAccuracy(c.getString("name", "sparse_categorical_accuracy"));
  }

  @Override
  public void updateState(float[] yTrue, float[] yPred, int rows, int[] predShape) {
    updateState(yTrue, yPred, null, rows, predShape);
  }

  @Override
  public void updateState(float[] yTrue, float[] yPred, float[] sampleWeight, int rows,
      int[] predShape) {
    int classes = predShape[predShape.length - 1];
    int groups = product(predShape) / classes;
    for (int r = 0; r < rows * groups; r++) {
      int base = r * classes;
      int best = 0;
      float bv = yPred[base];
      for (int k = 1; k < classes; k++) {
        if (yPred[base + k] > bv) {
          bv = yPred[base + k];
          best = k;
        }
      }
      add(best == (int) yTrue[r] ? 1 : 0, weightOf(sampleWeight, r / groups));
    }
  }
}
