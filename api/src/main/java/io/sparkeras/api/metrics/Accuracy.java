package io.sparkeras.api.metrics;

import io.sparkeras.api.config.Config;

/**
 * How often predictions equal targets exactly, Keras's {@code keras.metrics.Accuracy} (not the
 * resolved "accuracy" string of {@link Metrics#accuracy()}): per sample the fraction of equal
 * entries, averaged over samples.
 *
 * <pre>{@code model.compile(new Adam(1e-3), Losses.mse(), new Accuracy()); }</pre>
 */
public final class Accuracy extends SampleMeanMetric {
  public Accuracy() {
    this("accuracy");
  }

  public Accuracy(String name) {
    super(name);
  }

  public static Accuracy fromConfig(Config c) {
    return new Accuracy(c.getString("name", "accuracy"));
  }

  @Override
  double sampleValue(float[] yTrue, float[] yPred, int offset, int n, int lastDim) {
    int equal = 0;
    for (int i = offset; i < offset + n; i++) {
      if (yTrue[i] == yPred[i]) {
        equal++;
      }
    }
    return (double) equal / n;
  }
}
