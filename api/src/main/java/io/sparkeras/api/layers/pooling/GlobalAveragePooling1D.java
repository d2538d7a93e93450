package io.sparkeras.api.layers.pooling;

import io.sparkeras.api.config.Config;

/**
 * Mean over steps of a {@code (batch, steps, channels)} input, as Keras's
 * {@code GlobalAveragePooling1D}: output {@code [batch, channels]} ({@code keepdims} keeps the
 * pooled axes with size 1).
 *
 * <pre>{@code
 * new GlobalAveragePooling1D();
 * }</pre>
 */
public class GlobalAveragePooling1D extends BaseGlobalPooling<GlobalAveragePooling1D> {

  public GlobalAveragePooling1D() {
    super(1);
  }

  public static GlobalAveragePooling1D fromConfig(Config c) {
    return new GlobalAveragePooling1D().readConfig(c);
  }

  @Override
  protected String inputForm() {
    return "(None, steps, channels)";
  }
}
