package io.sparkeras.api.layers.pooling;

import io.sparkeras.api.config.Config;

/**
 * Keras's {@code GlobalMaxPooling2D}: the max over every spatial axis, {@code [batch, ..., channels]} to
 * {@code [batch, channels]} ({@code keepdims} keeps the pooled axes with size 1).
 *
 * <pre>{@code
 * new GlobalMaxPooling2D().keepdims(true);
 * }</pre>
 */
public class GlobalMaxPooling2D extends BaseGlobalPooling<GlobalMaxPooling2D> {

  public GlobalMaxPooling2D() {
    super(2, true);
  }

  public static GlobalMaxPooling2D fromConfig(Config c) {
    return new GlobalMaxPooling2D().readConfig(c);
  }
}
