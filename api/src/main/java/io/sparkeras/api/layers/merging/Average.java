package io.sparkeras.api.layers.merging;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;

/**
 * Keras's {@code Average}: the elementwise mean of its inputs (shapes equal or broadcast as in
 * {@link Merge}).
 *
 * <pre>{@code KerasTensor ensemble = new Average().apply(a, b, c); }</pre>
 */
public class Average extends Merge {
  public Average() {}

  public static Average fromConfig(Config c) {
    return readConfig(new Average(), c);
  }

  @Override
  protected Tensor merge(Tensor a, Tensor b) {
    return ops().add(a, b);
  }

  @Override
  protected Tensor finish(Tensor merged, int count) {
    return ops().divide(merged, ops().scalar(count));
  }
}
