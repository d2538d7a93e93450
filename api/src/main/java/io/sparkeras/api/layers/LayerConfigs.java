package io.sparkeras.api.layers;

import io.sparkeras.api.config.Config;
import io.sparkeras.api.constraints.Constraint;
import io.sparkeras.api.initializers.Initializer;
import io.sparkeras.api.regularizers.Regularizer;

/**
 * Reads the config keys that many Keras layers share: the base layer's {@code name},
 * {@code trainable} and {@code activity_regularizer}, and weight initializers, regularizers and
 * constraints given as names or serialised objects.
 *
 * <pre>{@code
 * public static PReLU fromConfig(Config c) {
 *   PReLU p = LayerConfigs.base(new PReLU(), c);
 *   p.alphaRegularizer(LayerConfigs.regularizer(c, "alpha_regularizer"));
 *   return p;
 * }
 * }</pre>
 */
public final class LayerConfigs {
  private LayerConfigs() {}

  /** Applies {@code name}, {@code trainable} and {@code activity_regularizer} to the layer. */
  public static <L extends Layer> L base(L layer, Config c) {
    layer.name(c.getString("name", null));
    layer.trainable(c.getBoolean("trainable", true));
    layer.activityRegularizer(regularizer(c, "activity_regularizer"));
    return layer;
  }

  /**
   * An {@code axis} value as Keras writes it: the integer when the layer was given one, else the
   * list.
   */
  public static Object axis(int[] axes, boolean asList) {
    if (!asList && axes.length == 1) {
      return axes[0];
    }
    java.util.List<Object> l = new java.util.ArrayList<>();
    for (int a : axes) {
      l.add(a);
    }
    return l;
  }

  /** A regularizer under {@code key}, or null when absent or null. */
  public static Regularizer regularizer(Config c, String key) {
    try {
      return Regularizer.get(c.get(key));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(c.getString("name", "layer") + ": config key '" + key
          + "': " + e.getMessage(), e);
    }
  }

  /** A constraint under {@code key}, or null when absent or null. */
  public static Constraint constraint(Config c, String key) {
    try {
      return Constraint.get(c.get(key));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(c.getString("name", "layer") + ": config key '" + key
          + "': " + e.getMessage(), e);
    }
  }

  /** An initializer under {@code key}, or {@code dflt} when absent or null. */
  public static Initializer initializer(Config c, String key, Initializer dflt) {
    if (!c.has(key)) {
      return dflt;
    }
    try {
      return Initializer.REGISTRY.deserialize(c.get(key));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(c.getString("name", "layer") + ": config key '" + key
          + "': " + e.getMessage(), e);
    }
  }
}
