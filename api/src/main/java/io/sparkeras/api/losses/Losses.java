package io.sparkeras.api.losses;


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

  /** Mean squared error, Keras's "mse". */
  public static Loss mse() {
    return new MeanSquaredError();
  }

  /** Mean absolute error, Keras's "mae". */
  public static Loss mae() {
    return new MeanAbsoluteError();
  }

  /** Huber loss with Keras's default {@code delta = 1.0}. */
  public static Loss huber() {
    return new Huber();
  }

  /** Huber loss, quadratic for errors up to {@code delta} and linear beyond. */
  public static Loss huber(double delta) {
    return new Huber(delta);
  }

  /** Binary cross-entropy on predicted probabilities. */
  public static Loss binaryCrossentropy() {
    return new BinaryCrossentropy(false);
  }

  /** Binary cross-entropy; {@code fromLogits} when the model outputs logits. */
  public static Loss binaryCrossentropy(boolean fromLogits) {
    return new BinaryCrossentropy(fromLogits);
  }

  /** Binary cross-entropy with label smoothing toward 0.5. */
  public static Loss binaryCrossentropy(boolean fromLogits, double labelSmoothing) {
    return new BinaryCrossentropy(fromLogits, labelSmoothing);
  }

  /** Categorical cross-entropy on one-hot targets and predicted probabilities. */
  public static Loss categoricalCrossentropy() {
    return new CategoricalCrossentropy(false);
  }

  /** Categorical cross-entropy; {@code fromLogits} when the model outputs logits. */
  public static Loss categoricalCrossentropy(boolean fromLogits) {
    return new CategoricalCrossentropy(fromLogits);
  }

  /** Categorical cross-entropy with label smoothing {@code z * (1 - s) + s / numClasses}. */
  public static Loss categoricalCrossentropy(boolean fromLogits, double labelSmoothing) {
    return new CategoricalCrossentropy(fromLogits, labelSmoothing);
  }

  /** A loss by Keras name or class name ("mse", "binary_crossentropy", "Huber", ...). */
  public static Loss get(String name) {
    return Loss.REGISTRY.deserialize(name);
  }
}
