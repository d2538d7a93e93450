package io.sparkeras.api.initializers;

import io.sparkeras.api.config.Config;
import java.util.Map;
import java.util.SplittableRandom;

/** Normal distribution with the given mean and standard deviation. */
public final class RandomNormal extends Initializer {
  private final double mean;
  private final double stddev;

  public RandomNormal(double mean, double stddev, Long seed) {
    super(seed);
    this.mean = mean;
    this.stddev = stddev;
  }

  public static RandomNormal fromConfig(Config c) {
    return new RandomNormal(c.getDouble("mean", 0.0), c.getDouble("stddev", 0.05),
        VarianceScaling.seedOf(c));
  }

  @Override
  public float[] generate(int[] shape) {
    float[] out = new float[size(shape)];
    SplittableRandom r = new SplittableRandom(seedForCall());
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (mean + stddev * VarianceScaling.gaussian(r));
    }
    return out;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = Config.newMap();
    m.put("mean", mean);
    m.put("stddev", stddev);
    m.put("seed", seed);
    return m;
  }
}
