package io.sparkeras.api.metrics;

import io.sparkeras.api.config.Config;

/**
 * How often the arg-max of the prediction equals the integer label.
 *
 * <pre>{@code new SparseCategoricalAccuracy("accuracy"); }</pre>
 */
public final class SparseCategoricalAccuracy extends Metric {
  private long correct;
  private long total;

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
      if (best == (int) yTrue[r]) {
        correct++;
      }
      total++;
    }
  }

  @Override
  public double result() {
    return total == 0 ? 0 : (double) correct / total;
  }

  @Override
  public void resetState() {
    correct = 0;
    total = 0;
  }
}
