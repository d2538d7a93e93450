package io.sparkeras.api.layers.pooling;

import io.sparkeras.api.config.Config;

/**
 * Max over windows of steps of a {@code [batch, steps, channels]} input, as Keras's
 * {@code MaxPooling1D}.
 *
 * <pre>{@code
 * new MaxPooling1D(2);
 * }</pre>
 */
public class MaxPooling1D extends BasePooling<MaxPooling1D> {

  /** Pool size 2, strides equal to it, "valid" padding. */
  public MaxPooling1D() {
    this(2);
  }

  /** The same pool size along every spatial axis; strides default to it. */
  public MaxPooling1D(int poolSize) {
    this(new int[] {poolSize});
  }

  /** One pool size per spatial axis (or one for all); strides default to it. */
  public MaxPooling1D(int[] poolSize) {
    super(1, true, poolSize);
  }

  public static MaxPooling1D fromConfig(Config c) {
    return new MaxPooling1D(poolSize(c, 1, 2)).readConfig(c);
  }
}
