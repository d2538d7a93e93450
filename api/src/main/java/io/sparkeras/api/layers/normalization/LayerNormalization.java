package io.sparkeras.api.layers.normalization;

import static io.sparkeras.api.backend.Backends.ops;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.initializers.Initializer;
import io.sparkeras.api.initializers.Ones;
import io.sparkeras.api.initializers.Zeros;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.layers.core.Unsupported;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Layer normalization, as Keras's {@code LayerNormalization}: each sample is normalised over
 * {@code axis} (one axis or several, counted in the full shape; default the last) with its own
 * mean and population variance, {@code gamma * (x - mean) / sqrt(variance + epsilon) + beta};
 * {@code gamma} and {@code beta} span the normalised axes. Same in training and inference.
 * Keras's {@code rms_scaling=True} is not supported yet.
 *
 * <pre>{@code
 * new LayerNormalization().epsilon(1e-6);
 * }</pre>
 */
public class LayerNormalization extends Layer {
  private int[] axes = {-1};
  private boolean axisIsList;
  private double epsilon = 1e-3;
  private boolean center = true;
  private boolean scale = true;
  private Initializer betaInitializer = new Zeros();
  private Initializer gammaInitializer = new Ones();
  private Variable gamma;
  private Variable beta;

  public LayerNormalization() {}

  public static LayerNormalization fromConfig(Config c) {
    LayerNormalization l = new LayerNormalization();
    l.name(c.getString("name", null));
    l.trainable(c.getBoolean("trainable", true));
    if (c.get("axis") instanceof List) {
      l.axis(c.getInts("axis", -1));
    } else {
      l.axis(c.getInt("axis", -1));
    }
    l.epsilon(c.getDouble("epsilon", 1e-3));
    l.center(c.getBoolean("center", true));
    l.scale(c.getBoolean("scale", true));
    if (c.getBoolean("rms_scaling", false)) {
      throw new IllegalArgumentException(c.getString("name", "LayerNormalization")
          + ": config key 'rms_scaling' is not supported by Sparkeras yet (expected false), "
          + "found true");
    }
    if (c.has("beta_initializer")) {
      l.betaInitializer(Initializer.REGISTRY.deserialize(c.get("beta_initializer")));
    }
    if (c.has("gamma_initializer")) {
      l.gammaInitializer(Initializer.REGISTRY.deserialize(c.get("gamma_initializer")));
    }
    Unsupported.requireNull(c, "beta_regularizer", "gamma_regularizer", "beta_constraint",
        "gamma_constraint");
    return l;
  }

  // ---- settings --------------------------------------------------------------------------

  /** Normalise over one axis of the full shape (batch = 0); default -1. */
  public LayerNormalization axis(int axis) {
    this.axes = checkAxes(new int[] {axis});
    this.axisIsList = false;
    return this;
  }

  /** Normalise over several axes of the full shape together (written as a list in the config). */
  public LayerNormalization axis(int[] axes) {
    this.axes = checkAxes(axes.clone());
    this.axisIsList = true;
    return this;
  }

  private static int[] checkAxes(int[] axes) {
    if (axes.length == 0) {
      throw new IllegalArgumentException("LayerNormalization axis: expected at least one axis");
    }
    for (int a : axes) {
      if (a == 0) {
        throw new IllegalArgumentException("LayerNormalization axis: the batch axis 0 cannot be "
            + "normalised over, found " + Arrays.toString(axes));
      }
    }
    return axes;
  }

  /** Added to the variance before the square root; default 1e-3. */
  public LayerNormalization epsilon(double epsilon) {
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException("LayerNormalization epsilon: expected a positive value, "
          + "found " + epsilon);
    }
    this.epsilon = epsilon;
    return this;
  }

  /** Whether to add the learned offset {@code beta}; default true. */
  public LayerNormalization center(boolean center) {
    this.center = center;
    return this;
  }

  /** Whether to multiply by the learned scale {@code gamma}; default true. */
  public LayerNormalization scale(boolean scale) {
    this.scale = scale;
    return this;
  }

  public LayerNormalization betaInitializer(Initializer init) {
    this.betaInitializer = init;
    return this;
  }

  public LayerNormalization gammaInitializer(Initializer init) {
    this.gammaInitializer = init;
    return this;
  }

  public Variable gamma() {
    return gamma;
  }

  public Variable beta() {
    return beta;
  }

  // ---- life cycle ------------------------------------------------------------------------

  /** The axes as indices into a full shape (batch included) of this rank, checked. */
  private int[] resolve(int fullRank, int[] inputShape) {
    int[] r = new int[axes.length];
    boolean[] seen = new boolean[fullRank];
    for (int i = 0; i < axes.length; i++) {
      int a = axes[i] < 0 ? axes[i] + fullRank : axes[i];
      if (a < 1 || a >= fullRank || seen[a]) {
        throw new IllegalArgumentException("layer '" + getName() + "' (LayerNormalization) has "
            + "axis " + axisString() + ", which is not a set of distinct feature axes of input "
            + shapeString(inputShape) + "; expected an input of rank >= 2 (batch included) with "
            + "those axes");
      }
      seen[a] = true;
      r[i] = a;
    }
    return r;
  }

  private String axisString() {
    return axisIsList ? Arrays.toString(axes) : Integer.toString(axes[0]);
  }

  @Override
  public void build(int[] inputShape) {
    int[] resolved = resolve(inputShape.length + 1, inputShape);
    int[] shape = new int[resolved.length];
    for (int i = 0; i < resolved.length; i++) {
      shape[i] = inputShape[resolved[i] - 1];
      if (shape[i] < 0) {
        throw new IllegalArgumentException("layer '" + getName() + "' (LayerNormalization) needs "
            + "known sizes on axis " + axisString() + ", found input shape "
            + shapeString(inputShape));
      }
    }
    if (scale) {
      gamma = addWeight("gamma", shape, gammaInitializer, true);
    }
    if (center) {
      beta = addWeight("beta", shape, betaInitializer, true);
    }
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    int r = x.rank();
    int[] resolved = resolve(r, Arrays.copyOfRange(x.shape(), 1, r));
    Tensor mean = ops().mean(x, resolved, true);
    Tensor variance = ops().variance(x, resolved, true);
    Tensor inv = ops().power(ops().add(variance, epsilon), -0.5);
    boolean lastOnly = resolved.length == 1 && resolved[0] == r - 1;
    int[] b = new int[r];
    Arrays.fill(b, 1);
    for (int a : resolved) {
      b[a] = x.dim(a);
    }
    if (scale) {
      inv = ops().multiply(inv, lastOnly ? gamma.value() : ops().reshape(gamma.value(), b));
    }
    Tensor shift = ops().negative(ops().multiply(mean, inv));
    if (center) {
      shift = ops().add(shift, lastOnly ? beta.value() : ops().reshape(beta.value(), b));
    }
    return ops().add(ops().multiply(x, inv), shift);
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    resolve(inputShape.length + 1, inputShape);
    return inputShape.clone();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    if (axisIsList) {
      List<Object> l = new ArrayList<>();
      for (int a : axes) {
        l.add(a);
      }
      m.put("axis", l);
    } else {
      m.put("axis", axes[0]);
    }
    m.put("epsilon", epsilon);
    m.put("center", center);
    m.put("scale", scale);
    m.put("rms_scaling", false);
    m.put("beta_initializer", Initializer.REGISTRY.serialize(betaInitializer));
    m.put("gamma_initializer", Initializer.REGISTRY.serialize(gammaInitializer));
    m.put("beta_regularizer", null);
    m.put("gamma_regularizer", null);
    m.put("beta_constraint", null);
    m.put("gamma_constraint", null);
    return m;
  }
}
