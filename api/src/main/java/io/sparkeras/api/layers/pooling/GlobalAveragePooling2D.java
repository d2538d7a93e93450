package io.sparkeras.api.layers.pooling;

import io.sparkeras.api.config.Config;

/**
 * Mean over height, width of a {@code (batch, height, width, channels)} input, as Keras's
 * {@code GlobalAveragePooling2D}: output {@code [batch, channels]} ({@code keepdims} keeps the
 * pooled axes with size 1).
 *
 * <pre>{@code
 * new GlobalAveragePooling2D();
 * }</pre>
 */
public class GlobalAveragePooling2D extends BaseGlobalPooling<GlobalAveragePooling2D> {

  public GlobalAveragePooling2D() {
    super(2);
  }

  public static GlobalAveragePooling2D fromConfig(Config c) {
    return new GlobalAveragePooling2D().readConfig(c);
  }
}
