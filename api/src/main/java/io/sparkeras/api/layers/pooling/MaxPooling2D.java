package io.sparkeras.api.layers.pooling;

import io.sparkeras.api.config.Config;

/**
 * Max over spatial windows of a {@code [batch, height, width, channels]} input, as Keras's
 * {@code MaxPooling2D}.
 *
 * <pre>{@code
 * new MaxPooling2D(2);
 * }</pre>
 */
public class MaxPooling2D extends BasePooling<MaxPooling2D> {

  /** Pool size 2, strides equal to it, "valid" padding. */
  public MaxPooling2D() {
    this(2);
  }

  /** The same pool size along every spatial axis; strides default to it. */
  public MaxPooling2D(int poolSize) {
    this(new int[] {poolSize});
  }

  /** One pool size per spatial axis (or one for all); strides default to it. */
  public MaxPooling2D(int[] poolSize) {
    super(2, true, poolSize);
  }

  public static MaxPooling2D fromConfig(Config c) {
    return new MaxPooling2D(poolSize(c, 2, 2)).readConfig(c);
  }
}
