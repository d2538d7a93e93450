package io.sparkeras.core.optim.schedules;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fixed learning rate (what a plain float {@code learning_rate} means in Keras).
 *
 * <pre>{@code
 * LearningRateSchedule s = new ConstantLearningRate(1e-3);
 * s.learningRate(12345); // 0.001f
 * }</pre>
 */
public final class ConstantLearningRate implements LearningRateSchedule {
  private final float value;

  /** @param learningRate a finite number &gt;= 0 */
  public ConstantLearningRate(double learningRate) {
    if (!(learningRate >= 0.0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learning_rate: expected a finite number >= 0, found "
          + learningRate);
    }
    this.value = (float) learningRate;
  }

  @Override
  public float learningRate(long step) {
    return value;
  }

  @Override
  public String name() {
    return "Constant";
  }

  @Override
  public String className() {
    return "Constant";
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("learning_rate", (double) value);
    return c;
  }
}
