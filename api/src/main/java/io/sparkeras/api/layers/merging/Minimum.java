package io.sparkeras.api.layers.merging;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;

/**
 * Keras's {@code Minimum}: The elementwise minimum of its inputs (shapes equal or broadcast as in {@link Merge}).
 *
 * <pre>{@code KerasTensor m = new Minimum().apply(a, b); }</pre>
 */
public class Minimum extends Merge {
  public Minimum() {}

  public static Minimum fromConfig(Config c) {
    return readConfig(new Minimum(), c);
  }

  @Override
  protected Tensor merge(Tensor a, Tensor b) {
    return ops().minimum(a, b);
  }
}
