package io.sparkeras.api.optimizers;

import io.sparkeras.api.config.Config;
import java.util.Map;

/**
 * Adagrad with Keras 3's defaults ({@code initial_accumulator_value} 0.1, {@code epsilon} 1e-7).
 *
 * <pre>{@code new Adagrad(0.01); }</pre>
 */
public class Adagrad extends Optimizer {
  private double initialAccumulatorValue = 0.1;
  private double epsilon = 1e-7;

  public Adagrad() {
    this(0.001);
  }

  public Adagrad(double learningRate) {
    super("adagrad", learningRate);
  }

  public static Adagrad fromConfig(Config c) {
    Adagrad a = new Adagrad();
    a.readBaseConfig(c);
    return a.initialAccumulatorValue(c.getDouble("initial_accumulator_value", 0.1))
        .epsilon(c.getDouble("epsilon", 1e-7));
  }

  public Adagrad initialAccumulatorValue(double v) {
    initialAccumulatorValue = v;
    return this;
  }

  public Adagrad epsilon(double v) {
    epsilon = v;
    return this;
  }

  @Override
  public String ruleName() {
    return "adagrad";
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("initial_accumulator_value", initialAccumulatorValue);
    m.put("epsilon", epsilon);
    return m;
  }
}
