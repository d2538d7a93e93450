package io.sparkeras.api.metrics;

import io.sparkeras.api.config.Config;

/**
 * How often the arg-max of the prediction equals the arg-max of the one-hot target, Keras's
 * {@code CategoricalAccuracy} (ties go to the first index, as NumPy's argmax). For predictions
 * with more than one position per sample ({@code [steps, classes]}) a sample scores the fraction
 * of its positions that match.
 *
 * <pre>{@code model.compile(new Adam(1e-3), Losses.categoricalCrossentropy(), new CategoricalAccuracy()); }</pre>
 */
public final class CategoricalAccuracy extends SampleMeanMetric {
  public CategoricalAccuracy() {
    this("categorical_accuracy");
  }

  public CategoricalAccuracy(String name) {
    super(name);
  }

  public static CategoricalAccuracy fromConfig(Config c) {
    return new CategoricalAccuracy(c.getString("name", "categorical_accuracy"));
  }

  private static int argmax(float[] v, int from, int n) {
    int best = 0;
    float bv = v[from];
    for (int k = 1; k < n; k++) {
      if (v[from + k] > bv) {
        bv = v[from + k];
        best = k;
      }
    }
    return best;
  }

  @Override
  double sampleValue(float[] yTrue, float[] yPred, int offset, int n, int lastDim) {
    int groups = n / lastDim;
    int correct = 0;
    for (int g = 0; g < groups; g++) {
      int base = offset + g * lastDim;
      if (argmax(yTrue, base, lastDim) == argmax(yPred, base, lastDim)) {
        correct++;
      }
    }
    return (double) correct / groups;
  }
}
