package io.sparkeras.api.constraints;

import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.LayerConfigs;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code MinMaxNorm}: rescales each slice along {@code axis} so that its L2 norm becomes
 * {@code rate * clip(norm, min_value, max_value) + (1 - rate) * norm} (defaults: 0, 1, rate 1,
 * axis 0).
 *
 * <pre>{@code new Dense(64).kernelConstraint(new MinMaxNorm(0.5, 1.0, 0.8, 0)); }</pre>
 */
public final class MinMaxNorm extends Constraint {
  private final double minValue;
  private final double maxValue;
  private final double rate;
  private final int[] axes;
  private final boolean axisList;

  public MinMaxNorm() {
    this(0.0, 1.0, 1.0, 0);
  }

  public MinMaxNorm(double minValue, double maxValue, double rate, int axis) {
    this(minValue, maxValue, rate, new int[] {axis}, false);
  }

  /** Norms over several axes together. */
  public MinMaxNorm(double minValue, double maxValue, double rate, int... axes) {
    this(minValue, maxValue, rate, axes, true);
  }

  private MinMaxNorm(double minValue, double maxValue, double rate, int[] axes, boolean list) {
    this.minValue = minValue;
    this.maxValue = maxValue;
    this.rate = rate;
    this.axes = axes.clone();
    this.axisList = list;
    validate();
  }

  public static MinMaxNorm fromConfig(Config c) {
    return new MinMaxNorm(c.getDouble("min_value", 0.0), c.getDouble("max_value", 1.0),
        c.getDouble("rate", 1.0), AxisConfig.read(c), c.get("axis") instanceof List);
  }

  @Override
  public String className() {
    return "MinMaxNorm";
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = Config.newMap();
    m.put("min_value", minValue);
    m.put("max_value", maxValue);
    m.put("rate", rate);
    m.put("axis", LayerConfigs.axis(axes, axisList));
    return m;
  }
}
