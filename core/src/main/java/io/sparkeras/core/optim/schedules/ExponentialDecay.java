package io.sparkeras.core.optim.schedules;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras 3's {@code ExponentialDecay}:
 * {@code initial_learning_rate * decay_rate ^ (step / decay_steps)}, with the exponent floored
 * when {@code staircase} is true.
 *
 * <pre>{@code
 * LearningRateSchedule s = new ExponentialDecay(0.1, 1000, 0.96, true);
 * s.learningRate(2500); // 0.1 * 0.96^2
 * }</pre>
 */
public final class ExponentialDecay implements LearningRateSchedule {
  private final double initialLearningRate;
  private final double decaySteps;
  private final double decayRate;
  private final boolean staircase;
  private final String name;

  /** With Keras's default name "ExponentialDecay". */
  public ExponentialDecay(double initialLearningRate, double decaySteps, double decayRate,
      boolean staircase) {
    this(initialLearningRate, decaySteps, decayRate, staircase, "ExponentialDecay");
  }

  /**
   * @param initialLearningRate &gt;= 0
   * @param decaySteps &gt; 0
   * @param decayRate &gt;= 0
   */
  public ExponentialDecay(double initialLearningRate, double decaySteps, double decayRate,
      boolean staircase, String name) {
    Schedules.check("ExponentialDecay", "initial_learning_rate", initialLearningRate, 0, true);
    Schedules.check("ExponentialDecay", "decay_steps", decaySteps, 0, false);
    Schedules.check("ExponentialDecay", "decay_rate", decayRate, 0, true);
    this.initialLearningRate = initialLearningRate;
    this.decaySteps = decaySteps;
    this.decayRate = decayRate;
    this.staircase = staircase;
    this.name = name;
  }

  @Override
  public float learningRate(long step) {
    double p = step / decaySteps;
    if (staircase) {
      p = Math.floor(p);
    }
    return (float) (initialLearningRate * Math.pow(decayRate, p));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("initial_learning_rate", initialLearningRate);
    c.put("decay_steps", decaySteps);
    c.put("decay_rate", decayRate);
    c.put("staircase", staircase);
    c.put("name", name);
    return c;
  }
}
