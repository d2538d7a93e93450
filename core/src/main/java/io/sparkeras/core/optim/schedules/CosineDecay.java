package io.sparkeras.core.optim.schedules;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras 3's {@code CosineDecay} with optional linear warmup.
 *
 * <p>Without {@code warmup_target} (null): {@code s = min(step, decay_steps)},
 * {@code lr = initial_learning_rate * ((1 - alpha) * 0.5 * (1 + cos(pi * s / decay_steps)) + alpha)}.
 *
 * <p>With {@code warmup_target}: {@code s = min(step, warmup_steps + decay_steps)}; while
 * {@code s < warmup_steps}, {@code lr = (warmup_target - initial_learning_rate) * s / warmup_steps
 * + initial_learning_rate}; afterwards the cosine decay above from {@code warmup_target} at
 * {@code s - warmup_steps}.
 *
 * <pre>{@code
 * // 100 warmup steps from 0 to 0.1, then 1000 steps of cosine decay down to 0.1 * 0.01
 * LearningRateSchedule s = new CosineDecay(0.0, 1000, 0.01, 0.1, 100);
 * }</pre>
 */
public final class CosineDecay implements LearningRateSchedule {
  private final double initialLearningRate;
  private final double decaySteps;
  private final double alpha;
  private final Double warmupTarget;
  private final double warmupSteps;
  private final String name;

  /** Without warmup, with Keras's default name "CosineDecay". */
  public CosineDecay(double initialLearningRate, double decaySteps, double alpha) {
    this(initialLearningRate, decaySteps, alpha, null, 0, "CosineDecay");
  }

  /** With Keras's default name "CosineDecay"; {@code warmupTarget} null disables warmup. */
  public CosineDecay(double initialLearningRate, double decaySteps, double alpha,
      Double warmupTarget, double warmupSteps) {
    this(initialLearningRate, decaySteps, alpha, warmupTarget, warmupSteps, "CosineDecay");
  }

  /**
   * @param initialLearningRate &gt;= 0
   * @param decaySteps &gt; 0
   * @param alpha in [0, 1]
   * @param warmupTarget &gt;= 0, or null for no warmup
   * @param warmupSteps &gt;= 0
   */
  public CosineDecay(double initialLearningRate, double decaySteps, double alpha,
      Double warmupTarget, double warmupSteps, String name) {
    Schedules.check("CosineDecay", "initial_learning_rate", initialLearningRate, 0, true);
    Schedules.check("CosineDecay", "decay_steps", decaySteps, 0, false);
    if (!(alpha >= 0.0 && alpha <= 1.0)) {
      throw new IllegalArgumentException("schedule CosineDecay config 'alpha': expected a number "
          + "in [0, 1], found " + alpha);
    }
    if (warmupTarget != null) {
      Schedules.check("CosineDecay", "warmup_target", warmupTarget, 0, true);
    }
    Schedules.check("CosineDecay", "warmup_steps", warmupSteps, 0, true);
    this.initialLearningRate = initialLearningRate;
    this.decaySteps = decaySteps;
    this.alpha = alpha;
    this.warmupTarget = warmupTarget;
    this.warmupSteps = warmupSteps;
    this.name = name;
  }

  @Override
  public float learningRate(long step) {
    double s = step;
    if (warmupTarget == null) {
      return (float) decay(Math.min(s, decaySteps), initialLearningRate);
    }
    double target = warmupTarget;
    s = Math.min(s, decaySteps + warmupSteps);
    if (s < warmupSteps) {
      return (float) ((target - initialLearningRate) * (s / warmupSteps) + initialLearningRate);
    }
    return (float) decay(s - warmupSteps, target);
  }

  private double decay(double s, double from) {
    double cosine = 0.5 * (1.0 + Math.cos(Math.PI * (s / decaySteps)));
    return from * ((1.0 - alpha) * cosine + alpha);
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
    c.put("alpha", alpha);
    c.put("name", name);
    c.put("warmup_target", warmupTarget);
    c.put("warmup_steps", warmupSteps);
    return c;
  }
}
