package io.sparkeras.api.initializers;

import io.sparkeras.api.config.Config;
import java.util.SplittableRandom;

/**
 * Keras's {@code TruncatedNormal}: normal values with the given mean and standard deviation
 * (defaults 0 and 0.05), redrawn when more than two standard deviations from the mean.
 *
 * <pre>{@code new Dense(8).kernelInitializer(new TruncatedNormal(0.0, 0.02, 7L)); }</pre>
 */
public final class TruncatedNormal extends MeanStddevInitializer {

  public TruncatedNormal(double mean, double stddev, Long seed) {
    super(mean, stddev, seed);
  }

  public static TruncatedNormal fromConfig(Config c) {
    return new TruncatedNormal(c.getDouble("mean", 0.0), c.getDouble("stddev", 0.05),
        VarianceScaling.seedOf(c));
  }

  @Override
  double sample(SplittableRandom r) {
    return VarianceScaling.truncatedNormal(r);
  }
}
