package io.sparkeras.api.optimizers;

import io.sparkeras.api.config.Config;
import io.sparkeras.core.optim.schedules.LearningRateSchedule;
import java.util.Map;

/**
 * Stochastic gradient descent with optional (Nesterov) momentum; Keras 3's defaults
 * ({@code learning_rate} 0.01, {@code momentum} 0).
 *
 * <pre>{@code new SGD(0.1).momentum(0.9).nesterov(true); }</pre>
 */
public class SGD extends Optimizer {
  private double momentum;
  private boolean nesterov;

  public SGD() {
    this(0.01);
  }

  public SGD(double learningRate) {
    super("SGD", learningRate);
  }

  public SGD(LearningRateSchedule schedule) {
    super("SGD", schedule);
  }

  public static SGD fromConfig(Config c) {
    SGD s = new SGD();
    s.readBaseConfig(c);
    return s.momentum(c.getDouble("momentum", 0.0)).nesterov(c.getBoolean("nesterov", false));
  }

  public SGD momentum(double v) {
    if (!(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException("SGD momentum: expected a number in [0, 1], found " + v);
    }
    momentum = v;
    return this;
  }

  public SGD nesterov(boolean v) {
    nesterov = v;
    return this;
  }

  @Override
  public String ruleName() {
    return "sgd";
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("momentum", momentum);
    m.put("nesterov", nesterov);
    return m;
  }
}
