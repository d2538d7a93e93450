package io.sparkeras.api.layers.pooling;

import io.sparkeras.api.config.Config;

/**
 * Keras's {@code GlobalMaxPooling3D}: the max over every spatial axis, {@code [batch, ..., channels]} to
 * {@code [batch, channels]} ({@code keepdims} keeps the pooled axes with size 1).
 *
 * <pre>{@code
 * new GlobalMaxPooling3D().keepdims(true);
 * }</pre>
 */
public class GlobalMaxPooling3D extends BaseGlobalPooling<GlobalMaxPooling3D> {

  public GlobalMaxPooling3D() {
    super(3, true);
  }

  public static GlobalMaxPooling3D fromConfig(Config c) {
    return new GlobalMaxPooling3D().readConfig(c);
  }
}
