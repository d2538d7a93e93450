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
    setSupportsMasking(true);
  }

  public static Activation fromConfig(Config c) {
    return io.sparkeras.api.layers.LayerConfigs.base(new Activation(c.getString("activation")), c);
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    return fn.apply(x);
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    int[] out = inputShape.clone();
    if (activation.equals("glu") && out.length > 0 && out[out.length - 1] > 0) {
      // glu halves its axis (Keras's Activation reports the input shape, but computes this)
      out[out.length - 1] /= 2;
    }
    return out;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("activation", activation);
    return m;
  }
}
