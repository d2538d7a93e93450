package io.sparkeras.api.layers.core;

import static io.sparkeras.api.backend.Backends.ops;
import io.sparkeras.api.activations.Activations;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.initializers.GlorotUniform;
import io.sparkeras.api.initializers.Initializer;
import io.sparkeras.api.initializers.Zeros;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.Variable;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Densely connected layer: {@code activation(x @ kernel + bias)} on the last axis; kernel
 * {@code [in, units]}.
 *
 * <pre>{@code
 * new Dense(128).activation("relu");
 * new Dense(10).activation("softmax").kernelInitializer(new HeNormal(1L)).useBias(false);
 * }</pre>
 */
public class Dense extends Layer {
  private final int units;
  private String activation = "linear";
  private boolean useBias = true;
  private Initializer kernelInitializer = new GlorotUniform();
  private Initializer biasInitializer = new Zeros();
  private Variable kernel;
  private Variable bias;
  private UnaryOperator<Tensor> activationFn = Activations.get("linear");

  public Dense(int units) {
    if (units <= 0) {
      throw new IllegalArgumentException("Dense units: expected a positive integer, found " + units);
    }
    this.units = units;
  }

  public static Dense fromConfig(Config c) {
    Dense d = new Dense(c.getInt("units"));
    d.name(c.getString("name", null));
    d.trainable(c.getBoolean("trainable", true));
    d.activation(c.getString("activation", "linear"));
    d.useBias(c.getBoolean("use_bias", true));
    if (c.has("kernel_initializer")) {
      d.kernelInitializer(Initializer.REGISTRY.deserialize(c.get("kernel_initializer")));
    }
    if (c.has("bias_initializer")) {
      d.biasInitializer(Initializer.REGISTRY.deserialize(c.get("bias_initializer")));
    }
    Unsupported.requireNull(c, "kernel_regularizer", "bias_regularizer", "activity_regularizer",
        "kernel_constraint", "bias_constraint");
    return d;
  }

  public Dense activation(String name) {
    this.activation = Activations.canonical(name);
    this.activationFn = Activations.get(activation);
    return this;
  }

  public Dense useBias(boolean useBias) {
    this.useBias = useBias;
    return this;
  }

  public Dense kernelInitializer(Initializer init) {
    this.kernelInitializer = init;
    return this;
  }

  public Dense kernelInitializer(String name) {
    return kernelInitializer(Initializer.REGISTRY.deserialize(name));
  }

  public Dense biasInitializer(Initializer init) {
    this.biasInitializer = init;
    return this;
  }

  public int units() {
    return units;
  }

  public Variable kernel() {
    return kernel;
  }

  public Variable bias() {
    return bias;
  }

  @Override
  public void build(int[] inputShape) {
    if (inputShape.length < 1 || inputShape[inputShape.length - 1] < 0) {
      throw new IllegalArgumentException("layer '" + getName() + "' (Dense) needs a known last "
          + "dimension, found input shape " + shapeString(inputShape));
    }
    int in = inputShape[inputShape.length - 1];
    kernel = addWeight("kernel", new int[] {in, units}, kernelInitializer, true);
    if (useBias) {
      bias = addWeight("bias", new int[] {units}, biasInitializer, true);
    }
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    Tensor y = ops().matmul(x, kernel.value());
    if (useBias) {
      y = ops().add(y, bias.value());
    }
    return activationFn.apply(y);
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    if (inputShape.length < 1) {
      throw new IllegalArgumentException("Dense needs inputs of rank >= 2 (batch included)");
    }
    int[] out = inputShape.clone();
    out[out.length - 1] = units;
    return out;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("units", units);
    m.put("activation", activation);
    m.put("use_bias", useBias);
    m.put("kernel_initializer", Initializer.REGISTRY.serialize(kernelInitializer));
    m.put("bias_initializer", Initializer.REGISTRY.serialize(biasInitializer));
    m.put("kernel_regularizer", null);
    m.put("bias_regularizer", null);
    m.put("kernel_constraint", null);
    m.put("bias_constraint", null);
    return m;
  }
}
