package io.sparkeras.api.layers.pooling;

import io.sparkeras.api.config.Config;

/**
 * Mean over spatial windows of a {@code [batch, height, width, channels]} input, as Keras's
 * {@code AveragePooling2D}; with "same" padding only the cells inside the input are averaged.
 *
 * <pre>{@code
 * new AveragePooling2D(2).strides(1).padding("same");
 * }</pre>
 */
public class AveragePooling2D extends BasePooling<AveragePooling2D> {

  /** Pool size 2, strides equal to it, "valid" padding. */
  public AveragePooling2D() {
    this(2);
  }

  /** The same pool size along every spatial axis; strides default to it. */
  public AveragePooling2D(int poolSize) {
    this(new int[] {poolSize});
  }

  /** One pool size per spatial axis (or one for all); strides default to it. */
  public AveragePooling2D(int[] poolSize) {
    super(2, false, poolSize);
  }

  public static AveragePooling2D fromConfig(Config c) {
    return new AveragePooling2D(poolSize(c, 2, 2)).readConfig(c);
  }
}
