package io.sparkeras.api.layers.pooling;

import io.sparkeras.api.config.Config;

/**
 * Keras's {@code MaxPooling3D}: the max over windows of a {@code (batch, depth, height, width, channels)} input.
 *
 * <pre>{@code
 * new MaxPooling3D(2, 2, 1).dataFormat("channels_first");
 * }</pre>
 */
public class MaxPooling3D extends BasePooling<MaxPooling3D> {

  /** Pool size 2 along every axis, strides equal to it, "valid" padding. */
  public MaxPooling3D() {
    this(2);
  }

  /** One pool size per spatial axis, or one for all; strides default to it. */
  public MaxPooling3D(int... poolSize) {
    super(3, true, poolSize);
  }

  public static MaxPooling3D fromConfig(Config c) {
    return new MaxPooling3D(poolSize(c, 3, 2)).readConfig(c);
  }
}
