package io.sparkeras.api.layers.merging;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;

/**
 * Keras's {@code Maximum}: The elementwise maximum of its inputs (shapes equal or broadcast as in {@link Merge}).
 *
 * <pre>{@code KerasTensor m = new Maximum().apply(a, b); }</pre>
 */
public class Maximum extends Merge {
  public Maximum() {}

  public static Maximum fromConfig(Config c) {
    return readConfig(new Maximum(), c);
  }

  @Override
  protected Tensor merge(Tensor a, Tensor b) {
    return ops().maximum(a, b);
  }
}
