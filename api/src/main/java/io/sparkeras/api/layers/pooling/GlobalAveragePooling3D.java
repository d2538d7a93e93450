package io.sparkeras.api.layers.pooling;

import io.sparkeras.api.config.Config;

/**
 * Keras's {@code GlobalAveragePooling3D}: the mean over every spatial axis, {@code [batch, ..., channels]} to
 * {@code [batch, channels]} ({@code keepdims} keeps the pooled axes with size 1).
 *
 * <pre>{@code
 * new GlobalAveragePooling3D().keepdims(true);
 * }</pre>
 */
public class GlobalAveragePooling3D extends BaseGlobalPooling<GlobalAveragePooling3D> {

  public GlobalAveragePooling3D() {
    super(3, false);
  }

  public static GlobalAveragePooling3D fromConfig(Config c) {
    return new GlobalAveragePooling3D().readConfig(c);
  }
}
