package io.sparkeras.api.layers.merging;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;

/**
 * Adds its inputs elementwise. Shapes must be equal or broadcast: aligned from the right (an
 * input of lower rank gets size-1 axes inserted after the batch axis, as Keras does), each size
 * must equal the others or be 1. One input is returned unchanged, as in Keras 3.
 *
 * <pre>{@code KerasTensor residual = new Add().apply(x, block); }</pre>
 */
public class Add extends Merge {
  public Add() {}

  public static Add fromConfig(Config c) {
    return readConfig(new Add(), c);
  }

  @Override
  protected Tensor merge(Tensor a, Tensor b) {
    return ops().add(a, b);
  }
}
