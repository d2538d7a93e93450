/**
 * Keras's weight constraints ({@code max_norm}, {@code min_max_norm}, {@code non_neg},
 * {@code unit_norm}) on one variable of a flat float vector, applied after every optimizer step:
 * by the local {@code model.fit} and by the parameter-server shards, which receive them as
 * {@link io.sparkeras.core.constraints.RangeConstraint}s (a range, its shape, the Keras name and
 * config) and know nothing of layers.
 *
 * <pre>{@code
 * FlatConstraint c = Constraints.create("max_norm", Map.of("max_value", 2.0, "axis", 0),
 *     new int[] {784, 128});
 * c.apply(params, kernelOffset);            // after optimizer.step(params, grads)
 * }</pre>
 */
package io.sparkeras.core.constraints;
