package io.sparkeras.api.layers.activations;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.LayerConfigs;
import io.sparkeras.api.layers.SameShapeLayer;
import java.util.Map;

/**
 * Keras's {@code ELU}: {@code x} for {@code x >= 0}, {@code alpha * (exp(x) - 1)} below; default
 * alpha 1.
 *
 * <pre>{@code new ELU(0.5); }</pre>
 */
public class ELU extends SameShapeLayer {
  private final double alpha;

  public ELU() {
    this(1.0);
  }

  public ELU(double alpha) {
    this.alpha = alpha;
  }

  public static ELU fromConfig(Config c) {
    return LayerConfigs.base(new ELU(c.getDouble("alpha", 1.0)), c);
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    return ops().elu(x, alpha);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("alpha", alpha);
    return m;
  }
}
