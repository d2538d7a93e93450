package io.sparkeras.api.layers.regularization;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.LayerConfigs;
import java.util.Map;

/**
 * Keras's {@code GaussianDropout}: in training multiplies every value by normal noise of mean 1
 * and standard deviation {@code sqrt(rate / (1 - rate))}; the identity at inference.
 *
 * <pre>{@code new GaussianDropout(0.2); }</pre>
 */
public class GaussianDropout extends NoiseLayer {

  public GaussianDropout(double rate) {
    this(rate, null);
  }

  public GaussianDropout(double rate, Long seed) {
    super("rate", rate, false, seed);
  }

  public static GaussianDropout fromConfig(Config c) {
    return LayerConfigs.base(new GaussianDropout(c.getDouble("rate"), seedOf(c)), c);
  }

  @Override
  protected Tensor noise(Tensor x) {
    double stddev = Math.sqrt(strength() / (1 - strength()));
    Tensor n = ops().add(ops().multiply(ops().randomNormal(x.shape(), nextSeed()), stddev), 1);
    return ops().multiply(x, n);
  }

  @Override
  public Map<String, Object> getConfig() {
    return noiseConfig(false);
  }
}
