package io.sparkeras.api.metrics;

import io.sparkeras.api.config.Config;

/**
 * Mean absolute error as a metric, Keras's {@code keras.metrics.MeanAbsoluteError}: per sample
 * {@code mean(abs(yTrue - yPred))}, averaged over samples.
 *
 * <pre>{@code model.compile(new Adam(1e-3), Losses.mse(), Metrics.get("mae")); }</pre>
 */
public final class MeanAbsoluteError extends SampleMeanMetric {
  public MeanAbsoluteError() {
    this("mean_absolute_error");
  }

  public MeanAbsoluteError(String name) {
    super(name);
  }

  public static MeanAbsoluteError fromConfig(Config c) {
    return new MeanAbsoluteError(c.getString("name", "mean_absolute_error"));
  }

  @Override
  double sampleValue(float[] yTrue, float[] yPred, int offset, int n, int lastDim) {
    double s = 0;
    for (int i = offset; i < offset + n; i++) {
      s += Math.abs((double) yTrue[i] - yPred[i]);
    }
    return s / n;
  }
}
