package io.sparkeras.api.layers.core;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.LayerConfigs;
import io.sparkeras.api.layers.SameShapeLayer;

/**
 * Keras's {@code Identity}: returns its input (and its mask) unchanged, a placeholder layer.
 *
 * <pre>{@code KerasTensor same = new Identity().apply(x); }</pre>
 */
public class Identity extends SameShapeLayer {

  public Identity() {}

  public static Identity fromConfig(Config c) {
    return LayerConfigs.base(new Identity(), c);
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    return x;
  }
}
