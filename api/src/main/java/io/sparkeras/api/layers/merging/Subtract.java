package io.sparkeras.api.layers.merging;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;

/**
 * Keras's {@code Subtract}: the first of exactly two inputs minus the second (shapes equal or
 * broadcast as in {@link Merge}).
 *
 * <pre>{@code KerasTensor diff = new Subtract().apply(a, b); }</pre>
 */
public class Subtract extends Merge {
  public Subtract() {}

  public static Subtract fromConfig(Config c) {
    return readConfig(new Subtract(), c);
  }

  @Override
  protected void checkCount(int n) {
    if (n != 2) {
      throw new IllegalArgumentException("layer '" + getName() + "' (Subtract) expects exactly 2 "
          + "inputs, found " + n);
    }
  }

  @Override
  protected Tensor merge(Tensor a, Tensor b) {
    return ops().subtract(a, b);
  }
}
