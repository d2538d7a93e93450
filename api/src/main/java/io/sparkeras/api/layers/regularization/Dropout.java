package io.sparkeras.api.layers.regularization;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.LayerConfigs;
import java.util.Map;

/**
 * Inverted dropout, as Keras's {@code Dropout}: in training, zeroes each value with probability
 * {@code rate} and scales the rest by {@code 1 / (1 - rate)}; at inference, the identity. With a
 * {@code noise_shape} (-1 = the input's size) one draw is shared along the axes of size 1, e.g.
 * {@code (-1, 1, -1)} drops whole features of a sequence. With a seed the masks repeat from run to
 * run (every call draws new ones); without, the seed comes from {@code Sparkeras.setRandomSeed}.
 *
 * <pre>{@code
 * new Dropout(0.2);
 * new Dropout(0.5, 42L).noiseShape(-1, 1, -1);
 * }</pre>
 */
public class Dropout extends NoiseLayer {

  public Dropout(double rate) {
    this(rate, null);
  }

  public Dropout(double rate, Long seed) {
    super("rate", rate, false, seed);
  }

  public static Dropout fromConfig(Config c) {
    Dropout d = LayerConfigs.base(new Dropout(c.getDouble("rate"), seedOf(c)), c);
    d.readNoiseShape(c);
    return d;
  }

  /**
   * The mask's shape with the batch axis, -1 for "the input's size" (Keras's None); axes of size 1
   * share one draw. Null (default) draws one value per element.
   */
  public Dropout noiseShape(int... noiseShape) {
    setNoiseShape(noiseShape);
    return this;
  }

  public double rate() {
    return strength();
  }

  @Override
  protected Tensor noise(Tensor x) {
    double keep = 1 - strength();
    Tensor u = ops().randomUniform(maskShape(x.shape()), nextSeed());
    return ops().multiply(x, ops().multiply(ops().greater(ops().scalar(keep), u), 1 / keep));
  }

  @Override
  public Map<String, Object> getConfig() {
    return noiseConfig(true);
  }
}
