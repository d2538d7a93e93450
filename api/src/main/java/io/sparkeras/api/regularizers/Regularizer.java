package io.sparkeras.api.regularizers;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Configurable;
import io.sparkeras.api.config.Registry;

/**
 * A penalty added to the training loss, like {@code keras.regularizers.Regularizer}: on a weight
 * ({@code kernel_regularizer}, {@code bias_regularizer}, ...) it is computed from the weight's
 * value at every training step; as a layer's {@code activity_regularizer} it is computed from the
 * layer's output (the whole batch, summed as Keras does). Both are added to the loss that
 * {@code fit} minimises and that {@code evaluate} reports, as in Keras 3.
 *
 * <pre>{@code
 * new Dense(64).kernelRegularizer(new L2(1e-4)).activityRegularizer(new L1(1e-5));
 * new Dense(64).kernelRegularizer("l1_l2");
 * }</pre>
 */
public abstract class Regularizer implements Configurable {
  /** Weight and activity regularizers by Keras name: configs and custom registrations ({@link Registry}). */
  public static final Registry<Regularizer> REGISTRY =
      new Registry<>("regularizer", "keras.regularizers", "Regularizer.REGISTRY");

  /** The penalty for a value: a scalar tensor. */
  public abstract Tensor call(Tensor x);

  /**
   * A regularizer from a Keras identifier: a name ({@code "l1"}, {@code "l2"}, {@code "l1_l2"},
   * {@code "orthogonal_regularizer"}, with Keras's defaults), a serialised
   * {@code {"class_name", "config"}} map, or null (none).
   */
  public static Regularizer get(Object identifier) {
    return identifier == null ? null : REGISTRY.deserialize(identifier);
  }

  /** The serialised form, or null for none. */
  public static Object serialize(Regularizer r) {
    return r == null ? null : REGISTRY.serialize(r);
  }

  static double factor(String owner, String key, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(owner + " " + key + ": expected a finite number >= 0, "
          + "found " + value);
    }
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o != null && o.getClass() == getClass()
        && getConfig().equals(((Regularizer) o).getConfig());
  }

  @Override
  public int hashCode() {
    return getConfig().hashCode();
  }
}
