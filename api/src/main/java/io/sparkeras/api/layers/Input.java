package io.sparkeras.api.layers;

/**
 * Declares a model input, like {@code keras.Input(shape=...)}: the shape excludes the batch
 * dimension; -1 marks an unknown size (e.g. sequence length).
 *
 * <pre>{@code
 * KerasTensor images = Input.of(28, 28, 1);
 * KerasTensor tokens = Input.named("tokens", 100);
 * KerasTensor zip = Input.named("zip", "string", 1);   // raw strings for preprocessing layers
 * }</pre>
 */
public final class Input {
  private Input() {}

  /** An input of this shape. */
  public static KerasTensor of(int... shape) {
    return new InputLayer(null, shape).output();
  }

  /** A named input of this shape. */
  public static KerasTensor named(String name, int... shape) {
    return new InputLayer(name, shape).output();
  }

  /**
   * A named input of a dtype other than float32, like {@code keras.Input(shape, dtype=...)}:
   * "string", "int64", "int32", "bool" inputs feed the preprocessing layers, which run on the
   * host before the network.
   */
  public static KerasTensor named(String name, String dtype, int... shape) {
    return new InputLayer(name, dtype, shape).output();
  }
}
