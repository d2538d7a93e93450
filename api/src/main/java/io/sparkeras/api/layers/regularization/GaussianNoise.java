package io.sparkeras.api.layers.regularization;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.LayerConfigs;
import java.util.Map;

/**
 * Keras's {@code GaussianNoise}: adds zero-mean normal noise of standard deviation
 * {@code stddev} (in [0, 1]) in training; the identity at inference.
 *
 * <pre>{@code new GaussianNoise(0.1, 42L); }</pre>
 */
public class GaussianNoise extends NoiseLayer {

  public GaussianNoise(double stddev) {
    this(stddev, null);
  }

  public GaussianNoise(double stddev, Long seed) {
    super("stddev", stddev, true, seed);
  }

  public static GaussianNoise fromConfig(Config c) {
    return LayerConfigs.base(new GaussianNoise(c.getDouble("stddev"), seedOf(c)), c);
  }

  @Override
  protected Tensor noise(Tensor x) {
    return ops().add(x, ops().multiply(ops().randomNormal(x.shape(), nextSeed()), strength()));
  }

  @Override
  public Map<String, Object> getConfig() {
    return noiseConfig(false);
  }
}
