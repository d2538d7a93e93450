package io.sparkeras.api.constraints;

import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.LayerConfigs;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code UnitNorm}: divides each slice along {@code axis} (default 0) by its L2 norm.
 *
 * <pre>{@code new Dense(64).kernelConstraint(new UnitNorm(0)); }</pre>
 */
public final class UnitNorm extends Constraint {
  private final int[] axes;
  private final boolean axisList;

  public UnitNorm() {
    this(0);
  }

  public UnitNorm(int axis) {
    this(new int[] {axis}, false);
  }

  /** Norms over several axes together. */
  public UnitNorm(int... axes) {
    this(axes, true);
  }

  private UnitNorm(int[] axes, boolean list) {
    this.axes = axes.clone();
    this.axisList = list;
    validate();
  }

  public static UnitNorm fromConfig(Config c) {
    return new UnitNorm(AxisConfig.read(c), c.get("axis") instanceof List);
  }

  @Override
  public String className() {
    return "UnitNorm";
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = Config.newMap();
    m.put("axis", LayerConfigs.axis(axes, axisList));
    return m;
  }
}
