package io.sparkeras.ps;

/**
 * Learning rate as a function of the optimizer's {@code iterations} (Keras: the number of steps
 * already applied, from 0). Engine-free, so an embedding driver can hand over any schedule, e.g.
 * one of sparkeras-core's schedules:
 *
 * <pre>{@code
 * ctx.learningRateSchedule(iterations -> 0.1 * Math.pow(0.96, iterations / 1000.0));
 * }</pre>
 *
 * <p>Evaluated on the shard threads, once per applied step; must be thread-safe and cheap.
 */
@FunctionalInterface
public interface LearningRateSchedule {
  /** The learning rate of the step applied after {@code iterations} earlier steps. */
  double learningRate(long iterations);
}
