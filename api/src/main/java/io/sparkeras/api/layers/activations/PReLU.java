package io.sparkeras.api.layers.activations;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.constraints.Constraint;
import io.sparkeras.api.initializers.Initializer;
import io.sparkeras.api.initializers.Zeros;
import io.sparkeras.api.layers.LayerConfigs;
import io.sparkeras.api.layers.SameShapeLayer;
import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.regularizers.Regularizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code PReLU}: {@code relu(x) - alpha * relu(-x)} with a learned {@code alpha} of the
 * input's shape (batch excluded), shared (size 1) along {@code shared_axes} (full-shape axes,
 * batch = 0), e.g. {@code sharedAxes(1, 2)} for one slope per channel of an image.
 *
 * <pre>{@code new PReLU().sharedAxes(1, 2).alphaInitializer(new Constant(0.25)); }</pre>
 */
public class PReLU extends SameShapeLayer {
  private Initializer alphaInitializer = new Zeros();
  private Regularizer alphaRegularizer;
  private Constraint alphaConstraint;
  private int[] sharedAxes;
  private Variable alpha;

  public PReLU() {}

  public static PReLU fromConfig(Config c) {
    PReLU p = LayerConfigs.base(new PReLU(), c);
    p.alphaInitializer(LayerConfigs.initializer(c, "alpha_initializer", new Zeros()));
    p.alphaRegularizer(LayerConfigs.regularizer(c, "alpha_regularizer"));
    p.alphaConstraint(LayerConfigs.constraint(c, "alpha_constraint"));
    if (c.get("shared_axes") != null) {
      p.sharedAxes(c.get("shared_axes") instanceof List ? c.getInts("shared_axes", -1)
          : new int[] {c.getInt("shared_axes")});
    }
    return p;
  }

  public PReLU alphaInitializer(Initializer init) {
    this.alphaInitializer = init;
    return this;
  }

  public PReLU alphaRegularizer(Regularizer r) {
    this.alphaRegularizer = r;
    return this;
  }

  public PReLU alphaConstraint(Constraint c) {
    this.alphaConstraint = c;
    return this;
  }

  /** Axes (of the full shape, batch = 0) along which one slope is shared. */
  public PReLU sharedAxes(int... axes) {
    for (int a : axes) {
      if (a < 1) {
        throw new IllegalArgumentException("PReLU shared_axes: expected axes >= 1 (0 is the "
            + "batch), found " + java.util.Arrays.toString(axes));
      }
    }
    this.sharedAxes = axes.clone();
    return this;
  }

  public Variable alpha() {
    return alpha;
  }

  @Override
  public void build(int[] inputShape) {
    int[] shape = inputShape.clone();
    if (sharedAxes != null) {
      for (int a : sharedAxes) {
        if (a > shape.length) {
          throw new IllegalArgumentException("layer '" + getName() + "' (PReLU): shared axis " + a
              + " is beyond input " + shapeString(inputShape));
        }
        shape[a - 1] = 1;
      }
    }
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("layer '" + getName() + "' (PReLU) needs known sizes "
            + "on the axes that are not shared, found input " + shapeString(inputShape));
      }
    }
    alpha = addWeight("alpha", shape, alphaInitializer, true, alphaRegularizer, alphaConstraint);
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    return ops().subtract(ops().relu(x),
        ops().multiply(alpha.value(), ops().relu(ops().negative(x))));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("alpha_initializer", Initializer.REGISTRY.serialize(alphaInitializer));
    m.put("alpha_regularizer", Regularizer.serialize(alphaRegularizer));
    m.put("alpha_constraint", Constraint.serialize(alphaConstraint));
    List<Object> axes = null;
    if (sharedAxes != null) {
      axes = new ArrayList<>();
      for (int a : sharedAxes) {
        axes.add(a);
      }
    }
    m.put("shared_axes", axes);
    return m;
  }
}
