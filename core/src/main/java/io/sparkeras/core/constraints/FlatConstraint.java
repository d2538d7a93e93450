package io.sparkeras.core.constraints;

import java.nio.FloatBuffer;

/**
 * A Keras weight constraint bound to one variable's shape: {@link #apply} projects the variable,
 * stored row-major at {@code values[from, from + size())}, in place. Allocates nothing; not
 * thread-safe (one owner, like a {@code FlatOptimizer}).
 *
 * <pre>{@code
 * FlatConstraint c = Constraints.create("non_neg", Map.of(), new int[] {16});
 * c.apply(params, 1_024);
 * }</pre>
 */
public interface FlatConstraint {

  /** Projects the variable at {@code values[from, from + size())} in place (absolute indexing). */
  void apply(FloatBuffer values, int from);

  /** Number of floats of the variable. */
  int size();

  /** The Keras class name ("MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm"). */
  String className();
}
