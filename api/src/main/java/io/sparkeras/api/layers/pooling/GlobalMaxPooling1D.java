package io.sparkeras.api.layers.pooling;

import io.sparkeras.api.config.Config;

/**
 * Keras's {@code GlobalMaxPooling1D}: the max over every spatial axis, {@code [batch, ..., channels]} to
 * {@code [batch, channels]} ({@code keepdims} keeps the pooled axes with size 1).
 *
 * <pre>{@code
 * new GlobalMaxPooling1D().keepdims(true);
 * }</pre>
 */
public class GlobalMaxPooling1D extends BaseGlobalPooling<GlobalMaxPooling1D> {

  public GlobalMaxPooling1D() {
    super(1, true);
  }

  public static GlobalMaxPooling1D fromConfig(Config c) {
    return new GlobalMaxPooling1D().readConfig(c);
  }
}
