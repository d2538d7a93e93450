package io.sparkeras.api.layers.normalization;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.initializers.Ones;
import io.sparkeras.api.layers.LayerConfigs;
import io.sparkeras.api.layers.SameShapeLayer;
import io.sparkeras.api.layers.Variable;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code RMSNormalization}: {@code x / sqrt(mean(x^2) + epsilon) * scale} over
 * {@code axis} (default -1; one or several full-shape axes), with a learned {@code scale}
 * (initialised to ones) spanning those axes. Default epsilon 1e-6.
 *
 * <pre>{@code new RMSNormalization().epsilon(1e-5); }</pre>
 */
public class RMSNormalization extends SameShapeLayer {
  private final int[] axes;
  private final boolean axisList;
  private double epsilon = 1e-6;
  private Variable scale;

  public RMSNormalization() {
    this(new int[] {-1}, false);
  }

  /** Over several axes together (full-shape axes, batch = 0). */
  public RMSNormalization(int... axes) {
    this(axes, true);
  }

  private RMSNormalization(int[] axes, boolean axisList) {
    this.axes = axes.clone();
    this.axisList = axisList;
  }

  public static RMSNormalization fromConfig(Config c) {
    RMSNormalization n = c.get("axis") instanceof List
        ? new RMSNormalization(c.getInts("axis", -1), true)
        : new RMSNormalization(new int[] {c.getInt("axis", -1)}, false);
    return LayerConfigs.base(n, c).epsilon(c.getDouble("epsilon", 1e-6));
  }

  /** Added to the mean square before the square root; default 1e-6. */
  public RMSNormalization epsilon(double epsilon) {
    if (!(epsilon >= 0)) {
      throw new IllegalArgumentException("RMSNormalization epsilon: expected a value >= 0, found "
          + epsilon);
    }
    this.epsilon = epsilon;
    return this;
  }

  public Variable scale() {
    return scale;
  }

  private int[] resolved(int fullRank, int[] inputShape) {
    int[] r = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      r[i] = axes[i] < 0 ? axes[i] + fullRank : axes[i];
      if (r[i] < 1 || r[i] >= fullRank) {
        throw new IllegalArgumentException("layer '" + getName() + "' (RMSNormalization): axis "
            + axes[i] + " is not a non-batch axis of input " + shapeString(inputShape));
      }
    }
    return r;
  }

  @Override
  public void build(int[] inputShape) {
    int[] r = resolved(inputShape.length + 1, inputShape);
    int[] shape = new int[r.length];
    for (int i = 0; i < r.length; i++) {
      shape[i] = inputShape[r[i] - 1];
    }
    scale = addWeight("scale", shape, new Ones(), true);
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    int rank = x.rank();
    int[] r = resolved(rank, java.util.Arrays.copyOfRange(x.shape(), 1, rank));
    Tensor rrms = ops().power(ops().add(ops().mean(ops().square(x), r, true), epsilon), -0.5);
    Tensor s = scale.value();
    if (!(r.length == 1 && r[0] == rank - 1)) {
      int[] b = new int[rank];
      java.util.Arrays.fill(b, 1);
      for (int a : r) {
        b[a] = x.dim(a);
      }
      s = ops().reshape(s, b);
    }
    return ops().multiply(ops().multiply(x, rrms), s);
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    resolved(inputShape.length + 1, inputShape);
    return inputShape.clone();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("axis", LayerConfigs.axis(axes, axisList));
    m.put("epsilon", epsilon);
    return m;
  }
}
