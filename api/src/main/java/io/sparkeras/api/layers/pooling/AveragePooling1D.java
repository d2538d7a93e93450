package io.sparkeras.api.layers.pooling;

import io.sparkeras.api.config.Config;

/**
 * Keras's {@code AveragePooling1D}: the mean over windows of steps of a {@code (batch, steps, channels)} input.
 *
 * <pre>{@code
 * new AveragePooling1D(3).strides(2).padding("same");
 * }</pre>
 */
public class AveragePooling1D extends BasePooling<AveragePooling1D> {

  /** One pool size per spatial axis, or one for all (required, as in Keras); strides default to it. */
  public AveragePooling1D(int... poolSize) {
    super(1, false, poolSize);
  }

  public static AveragePooling1D fromConfig(Config c) {
    return new AveragePooling1D(poolSize(c, 1, 2)).readConfig(c);
  }
}
