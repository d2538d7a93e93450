package io.sparkeras.api.layers.normalization;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.LayerConfigs;
import io.sparkeras.api.layers.SameShapeLayer;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code UnitNormalization}: each sample is divided by its L2 norm over {@code axis}
 * (default -1; one axis or several, counted in the full shape), so it has unit length.
 *
 * <pre>{@code new UnitNormalization(); }</pre>
 */
public class UnitNormalization extends SameShapeLayer {
  private final int[] axes;
  private final boolean axisList;

  /** Over the last axis. */
  public UnitNormalization() {
    this(-1);
  }

  public UnitNormalization(int axis) {
    this(new int[] {axis}, false);
  }

  /** Over several axes together. */
  public UnitNormalization(int... axes) {
    this(axes, true);
  }

  private UnitNormalization(int[] axes, boolean axisList) {
    for (int a : axes) {
      if (a == 0) {
        throw new IllegalArgumentException("UnitNormalization axis: the batch axis 0 cannot be "
            + "normalised over");
      }
    }
    this.axes = axes.clone();
    this.axisList = axisList;
  }

  public static UnitNormalization fromConfig(Config c) {
    UnitNormalization u = c.get("axis") instanceof List
        ? new UnitNormalization(c.getInts("axis", -1), true)
        : new UnitNormalization(c.getInt("axis", -1));
    return LayerConfigs.base(u, c);
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    return ops().normalize(x, axes, 1e-12);
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    for (int a : axes) {
      if (a > inputShape.length || a < -(inputShape.length + 1)) {
        throw new IllegalArgumentException("layer '" + getName() + "' (UnitNormalization): axis "
            + a + " is out of bounds for input " + shapeString(inputShape));
      }
    }
    return inputShape.clone();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("axis", LayerConfigs.axis(axes, axisList));
    return m;
  }
}
