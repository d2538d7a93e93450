package io.sparkeras.api.layers.core;

import io.sparkeras.api.activations.Activations;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.Layer;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Applies an activation function.
 *
 * <pre>{@code new Activation("gelu"); }</pre>
 */
public class Activation extends Layer {
  private final String activation;
  private final UnaryOperator<Tensor> fn;

  public Activation(String activation) {
    this.activation = Activations.canonical(activation);
    this.fn = Activations.get(this.activation);
  }

  public static Activation fromConfig(Config c) {
    Activation a = new Activation(c.getString("activation"));
    a.name(c.getString("name", null));
    a.trainable(c.getBoolean("trainable", true));
    return a;
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    return fn.apply(x);
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    return inputShape.clone();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("activation", activation);
    return m;
  }
}
