package io.sparkeras.core.optim.schedules;

import java.util.Map;

/**
 * A learning rate as a function of the optimizer step, like Keras 3's
 * {@code keras.optimizers.schedules.LearningRateSchedule}.
 *
 * <p>{@code step} is Keras's {@code optimizer.iterations} at the time of the update: 0 for the
 * first update, 1 for the second, ... (the {@link io.sparkeras.core.optim.UpdateRule} receives
 * {@code step + 1}). Implementations are immutable, allocation-free and compute in double before
 * rounding to float (Keras computes in float32; results agree to float rounding).
 *
 * <pre>{@code
 * LearningRateSchedule s = Schedules.create("ExponentialDecay",
 *     Map.of("initial_learning_rate", 0.1, "decay_steps", 1000, "decay_rate", 0.96));
 * float lr = s.learningRate(iterations);
 * }</pre>
 */
public interface LearningRateSchedule {

  /** The learning rate for the update made when {@code iterations == step} (0-based). */
  float learningRate(long step);

  /** The schedule's {@code name} config value (Keras's defaults: "ExponentialDecay", ...). */
  String name();

  /** The Keras class name ("ExponentialDecay", ...), as {@link Schedules#create} accepts it. */
  default String className() {
    return getClass().getSimpleName();
  }

  /** The Keras config ({@code get_config()}): {@code Schedules.create(className(), config())} rebuilds it. */
  Map<String, Object> config();
}
