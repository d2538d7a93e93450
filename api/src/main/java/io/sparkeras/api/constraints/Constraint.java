package io.sparkeras.api.constraints;

import io.sparkeras.api.config.Configurable;
import io.sparkeras.api.config.Registry;
import io.sparkeras.core.constraints.Constraints;
import io.sparkeras.core.constraints.FlatConstraint;
import io.sparkeras.core.constraints.RangeConstraint;

/**
 * A projection applied to a weight after every optimizer step, like
 * {@code keras.constraints.Constraint} ({@code kernel_constraint}, {@code bias_constraint}, ...).
 * The math is sparkeras-core's ({@link Constraints}), shared by local training and the parameter
 * server, which receives each constrained weight as a {@link RangeConstraint}.
 *
 * <pre>{@code
 * new Dense(64).kernelConstraint(new MaxNorm(3.0, 0)).biasConstraint(new NonNeg());
 * new Dense(64).kernelConstraint("unit_norm");
 * }</pre>
 */
public abstract class Constraint implements Configurable {
  /** Weight constraints by Keras name: configs and custom registrations ({@link Registry}). */
  public static final Registry<Constraint> REGISTRY =
      new Registry<>("constraint", "keras.constraints", "Constraint.REGISTRY");

  /** The Keras class name ({@code MaxNorm}, ...). */
  public abstract String className();

  /** The constraint bound to a weight of this shape (validates the axes against it). */
  public FlatConstraint bind(int[] shape) {
    return Constraints.create(className(), getConfig(), shape);
  }

  /** The constraint on the weight at {@code [from, from + size)} of a flat vector. */
  public RangeConstraint onRange(int from, int[] shape) {
    return new RangeConstraint(from, shape, className(), getConfig());
  }

  /**
   * A constraint from a Keras identifier: a name ({@code "max_norm"}, {@code "non_neg"}, ...,
   * with Keras's defaults), a serialised {@code {"class_name", "config"}} map, or null (none).
   */
  public static Constraint get(Object identifier) {
    return identifier == null ? null : REGISTRY.deserialize(identifier);
  }

  /** The serialised form, or null for none. */
  public static Object serialize(Constraint c) {
    return c == null ? null : REGISTRY.serialize(c);
  }

  /** Validates the config once by binding it to a shape-free check of the keys. */
  void validate() {
    Constraints.create(className(), getConfig(), new int[] {1, 1, 1, 1, 1, 1});
  }

  @Override
  public boolean equals(Object o) {
    return o != null && o.getClass() == getClass()
        && getConfig().equals(((Constraint) o).getConfig());
  }

  @Override
  public int hashCode() {
    return getConfig().hashCode();
  }
}
