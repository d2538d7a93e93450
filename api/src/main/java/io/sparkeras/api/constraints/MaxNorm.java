package io.sparkeras.api.constraints;

import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.LayerConfigs;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code MaxNorm}: scales each slice along {@code axis} (default 0: for a Dense kernel
 * {@code [in, units]}, each unit's incoming weights) down to an L2 norm of at most
 * {@code max_value} (default 2). For a Conv2D kernel use the axes {@code {0, 1, 2}}.
 *
 * <pre>{@code new Dense(64).kernelConstraint(new MaxNorm(3.0, 0)); }</pre>
 */
public final class MaxNorm extends Constraint {
  private final double maxValue;
  private final int[] axes;
  private final boolean axisList;

  public MaxNorm() {
    this(2.0, 0);
  }

  public MaxNorm(double maxValue, int axis) {
    this(maxValue, new int[] {axis}, false);
  }

  /** Norms over several axes together. */
  public MaxNorm(double maxValue, int... axes) {
    this(maxValue, axes, true);
  }

  private MaxNorm(double maxValue, int[] axes, boolean axisList) {
    this.maxValue = maxValue;
    this.axes = axes.clone();
    this.axisList = axisList;
    validate();
  }

  public static MaxNorm fromConfig(Config c) {
    return new MaxNorm(c.getDouble("max_value", 2.0), AxisConfig.read(c),
        c.get("axis") instanceof List);
  }

  @Override
  public String className() {
    return "MaxNorm";
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = Config.newMap();
    m.put("max_value", maxValue);
    m.put("axis", LayerConfigs.axis(axes, axisList));
    return m;
  }
}
