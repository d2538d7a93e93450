package io.sparkeras.api.layers.pooling;

import io.sparkeras.api.config.Config;

/**
 * Keras's {@code AveragePooling3D}: the mean over windows of a {@code (batch, depth, height, width, channels)} input.
 *
 * <pre>{@code
 * new AveragePooling3D(2).padding("same");
 * }</pre>
 */
public class AveragePooling3D extends BasePooling<AveragePooling3D> {

  /** One pool size per spatial axis, or one for all (required, as in Keras); strides default to it. */
  public AveragePooling3D(int... poolSize) {
    super(3, false, poolSize);
  }

  public static AveragePooling3D fromConfig(Config c) {
    return new AveragePooling3D(poolSize(c, 3, 2)).readConfig(c);
  }
}
