package io.sparkeras.api.initializers;

import io.sparkeras.api.config.Config;
import java.util.SplittableRandom;

/** Normal distribution with the given mean and standard deviation. */
public final class RandomNormal extends MeanStddevInitializer {

  public RandomNormal(double mean, double stddev, Long seed) {
    super(mean, stddev, seed);
  }

  public static RandomNormal fromConfig(Config c) {
    return new RandomNormal(c.getDouble("mean", 0.0), c.getDouble("stddev", 0.05),
        VarianceScaling.seedOf(c));
  }

  @Override
  double sample(SplittableRandom r) {
    return VarianceScaling.gaussian(r);
  }
}
