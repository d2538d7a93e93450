package io.sparkeras.api.losses;

import io.sparkeras.api.saving.Registry;

/**
 * Factories for the built-in losses, and lookup by Keras name.
 *
 * <pre>{@code
 * Loss l = Losses.sparseCategoricalCrossentropy();
 * Loss m = Losses.get("mse");
 * }</pre>
 */
public final class Losses {
  private Losses() {}

  public static Loss sparseCategoricalCrossentropy() {
    return new SparseCategoricalCrossentropy(false);
  }

  public static Loss sparseCategoricalCrossentropy(boolean fromLogits) {
    return new SparseCategoricalCrossentropy(fromLogits);
  }

  /** A loss by Keras name or class name ("mse", "binary_crossentropy", "Huber", ...). */
  public static Loss get(String name) {
    return Registry.LOSSES.deserialize(name);
  }
}
