package io.sparkeras.api.optimizers;

import io.sparkeras.api.config.Config;
import io.sparkeras.core.optim.schedules.LearningRateSchedule;
import java.util.Map;

/**
 * Adam, with Keras 3's defaults ({@code beta_1} 0.9, {@code beta_2} 0.999, {@code epsilon} 1e-7).
 *
 * <pre>{@code new Adam(1e-3); new Adam(1e-3).beta1(0.85).amsgrad(true); }</pre>
 */
public class Adam extends Optimizer {
  private double beta1 = 0.9;
  private double beta2 = 0.999;
  private double epsilon = 1e-7;
  private boolean amsgrad;

  public Adam() {
    this(0.001);
  }

  public Adam(double learningRate) {
    super("adam", learningRate);
  }

  public Adam(LearningRateSchedule schedule) {
    super("adam", schedule);
  }

  protected Adam(String name, double learningRate) {
    super(name, learningRate);
  }

  public static Adam fromConfig(Config c) {
    return read(new Adam(), c);
  }

  static <T extends Adam> T read(T a, Config c) {
    a.readBaseConfig(c);
    a.beta1(c.getDouble("beta_1", 0.9)).beta2(c.getDouble("beta_2", 0.999))
        .epsilon(c.getDouble("epsilon", 1e-7)).amsgrad(c.getBoolean("amsgrad", false));
    return a;
  }

  public Adam beta1(double v) {
    beta1 = v;
    return this;
  }

  public Adam beta2(double v) {
    beta2 = v;
    return this;
  }

  public Adam epsilon(double v) {
    epsilon = v;
    return this;
  }

  public Adam amsgrad(boolean v) {
    amsgrad = v;
    return this;
  }

  @Override
  public String ruleName() {
    return "adam";
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("beta_1", beta1);
    m.put("beta_2", beta2);
    m.put("epsilon", epsilon);
    m.put("amsgrad", amsgrad);
    return m;
  }
}
