package io.sparkeras.api.metrics;

import io.sparkeras.api.config.Config;

/**
 * Mean squared error as a metric, Keras's {@code keras.metrics.MeanSquaredError}: per sample
 * {@code mean(square(yTrue - yPred))}, averaged over samples.
 *
 * <pre>{@code model.compile(new Adam(1e-3), Losses.mae(), Metrics.get("mse")); }</pre>
 */
public final class MeanSquaredError extends SampleMeanMetric {
  public MeanSquaredError() {
    this("mean_squared_error");
  }

  public MeanSquaredError(String name) {
    super(name);
  }

  public static MeanSquaredError fromConfig(Config c) {
    return new MeanSquaredError(c.getString("name", "mean_squared_error"));
  }

  @Override
  double sampleValue(float[] yTrue, float[] yPred, int offset, int n, int lastDim) {
    double s = 0;
    for (int i = offset; i < offset + n; i++) {
      double d = (double) yTrue[i] - yPred[i];
      s += d * d;
    }
    return s / n;
  }
}
