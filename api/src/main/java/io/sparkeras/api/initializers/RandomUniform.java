package io.sparkeras.api.initializers;

import io.sparkeras.api.config.Config;
import java.util.Map;
import java.util.SplittableRandom;

/** Uniform distribution on {@code [minval, maxval)}. */
public final class RandomUniform extends Initializer {
  private final double minval;
  private final double maxval;

  public RandomUniform(double minval, double maxval, Long seed) {
    super(seed);
    if (!(maxval > minval)) {
      throw new IllegalArgumentException("RandomUniform: expected maxval > minval, found "
          + minval + " .. " + maxval);
    }
    this.minval = minval;
    this.maxval = maxval;
  }

  public static RandomUniform fromConfig(Config c) {
    return new RandomUniform(c.getDouble("minval", -0.05), c.getDouble("maxval", 0.05),
        VarianceScaling.seedOf(c));
  }

  @Override
  public float[] generate(int[] shape) {
    float[] out = new float[size(shape)];
    SplittableRandom r = new SplittableRandom(seedForCall());
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (minval + (maxval - minval) * r.nextDouble());
    }
    return out;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = Config.newMap();
    m.put("minval", minval);
    m.put("maxval", maxval);
    m.put("seed", seed);
    return m;
  }
}
