/**
 * Learning-rate schedules with Keras 3 semantics ({@code keras.optimizers.schedules}), evaluated
 * at the optimizer's 0-based {@code iterations}.
 *
 * <pre>{@code
 * LearningRateSchedule s = Schedules.create("PiecewiseConstantDecay",
 *     Map.of("boundaries", List.of(1000, 2000), "values", List.of(1e-2, 1e-3, 1e-4)));
 * }</pre>
 */
package io.sparkeras.core.optim.schedules;
