package io.sparkeras.api.layers.activations;

import io.sparkeras.api.activations.Activations;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.LayerConfigs;
import io.sparkeras.api.layers.SameShapeLayer;
import java.util.Map;

/**
 * Keras's {@code LeakyReLU}: {@code max(x, negative_slope * x)}, default slope 0.3 (Keras 2's
 * {@code alpha} key is read too).
 *
 * <pre>{@code new LeakyReLU(0.1); }</pre>
 */
public class LeakyReLU extends SameShapeLayer {
  private final double negativeSlope;

  public LeakyReLU() {
    this(0.3);
  }

  public LeakyReLU(double negativeSlope) {
    if (!(negativeSlope >= 0)) {
      throw new IllegalArgumentException("LeakyReLU negative_slope: expected a value >= 0, found "
          + negativeSlope);
    }
    this.negativeSlope = negativeSlope;
  }

  public static LeakyReLU fromConfig(Config c) {
    double slope = c.has("negative_slope") ? c.getDouble("negative_slope")
        : c.getDouble("alpha", 0.3);
    return LayerConfigs.base(new LeakyReLU(slope), c);
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    return Activations.leakyRelu(x, negativeSlope);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("negative_slope", negativeSlope);
    return m;
  }
}
