package io.sparkeras.api.layers.merging;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;

/**
 * Keras's {@code Multiply}: Multiplies its inputs elementwise (shapes equal or broadcast as in {@link Merge}).
 *
 * <pre>{@code KerasTensor gated = new Multiply().apply(x, gate); }</pre>
 */
public class Multiply extends Merge {
  public Multiply() {}

  public static Multiply fromConfig(Config c) {
    return readConfig(new Multiply(), c);
  }

  @Override
  protected Tensor merge(Tensor a, Tensor b) {
    return ops().multiply(a, b);
  }
}
