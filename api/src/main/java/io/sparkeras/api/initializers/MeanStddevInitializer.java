package io.sparkeras.api.initializers;

import io.sparkeras.api.config.Config;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@link RandomNormal} and {@link TruncatedNormal}: {@code mean + stddev * z} for standard
 * normal samples {@code z} (truncated or not), with Keras's {@code mean}, {@code stddev} and
 * {@code seed} keys.
 */
abstract class MeanStddevInitializer extends Initializer {
  private final double mean;
  private final double stddev;

  MeanStddevInitializer(double mean, double stddev, Long seed) {
    super(seed);
    this.mean = mean;
    this.stddev = stddev;
  }

  /** One standard sample. */
  abstract double sample(SplittableRandom r);

  @Override
  public float[] generate(int[] shape) {
    float[] out = new float[size(shape)];
    SplittableRandom r = new SplittableRandom(seedForCall());
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (mean + stddev * sample(r));
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
