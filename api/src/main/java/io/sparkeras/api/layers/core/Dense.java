package io.sparkeras.api.layers.core;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.activations.Activations;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.constraints.Constraint;
import io.sparkeras.api.initializers.GlorotUniform;
import io.sparkeras.api.initializers.Initializer;
import io.sparkeras.api.initializers.Zeros;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerConfigs;
import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.regularizers.Regularizer;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Densely connected layer: {@code activation(x @ kernel + bias)} on the last axis; kernel
 * {@code [in, units]}.
 *
 * <pre>{@code
 * new Dense(128).activation("relu");
 * new Dense(10).activation("softmax").kernelInitializer(new HeNormal(1L)).useBias(false);
 * new Dense(64).kernelRegularizer(new L2(1e-4)).kernelConstraint(new MaxNorm(3.0, 0));
 * }</pre>
 */
public class Dense extends Layer {
  private final int units;
  private String activation = "linear";
  private boolean useBias = true;
  private Initializer kernelInitializer = new GlorotUniform();
  private Initializer biasInitializer = new Zeros();
  private Regularizer kernelRegularizer;
  private Regularizer biasRegularizer;
  private Constraint kernelConstraint;
  private Constraint biasConstraint;
  private Variable kernel;
  private Variable bias;
  private UnaryOperator<Tensor> activationFn = Activations.get("linear");

  public Dense(int units) {
    if (units <= 0) {
      throw new IllegalArgumentException("Dense units: expected a positive integer, found " + units);
    }
    this.units = units;
    setSupportsMasking(true);
  }

  public static Dense fromConfig(Config c) {
    Dense d = LayerConfigs.base(new Dense(c.getInt("units")), c);
    d.activation(c.getString("activation", "linear"));
    d.useBias(c.getBoolean("use_bias", true));
    if (c.has("kernel_initializer")) {
      d.kernelInitializer(Initializer.REGISTRY.deserialize(c.get("kernel_initializer")));
    }
    if (c.has("bias_initializer")) {
      d.biasInitializer(Initializer.REGISTRY.deserialize(c.get("bias_initializer")));
    }
    d.kernelRegularizer(LayerConfigs.regularizer(c, "kernel_regularizer"));
    d.biasRegularizer(LayerConfigs.regularizer(c, "bias_regularizer"));
    d.kernelConstraint(LayerConfigs.constraint(c, "kernel_constraint"));
    d.biasConstraint(LayerConfigs.constraint(c, "bias_constraint"));
    Unsupported.requireNull(c, "lora_rank");
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

  /** Penalty on the kernel, added to the training loss (null: none). */
  public Dense kernelRegularizer(Regularizer r) {
    this.kernelRegularizer = r;
    return this;
  }

  /** A Keras regularizer name such as "l2". */
  public Dense kernelRegularizer(String name) {
    return kernelRegularizer(Regularizer.get(name));
  }

  /** Penalty on the bias (null: none). */
  public Dense biasRegularizer(Regularizer r) {
    this.biasRegularizer = r;
    return this;
  }

  /** Projection of the kernel after every optimizer step (null: none). */
  public Dense kernelConstraint(Constraint c) {
    this.kernelConstraint = c;
    return this;
  }

  /** A Keras constraint name such as "max_norm". */
  public Dense kernelConstraint(String name) {
    return kernelConstraint(Constraint.get(name));
  }

  /** Projection of the bias after every optimizer step (null: none). */
  public Dense biasConstraint(Constraint c) {
    this.biasConstraint = c;
    return this;
  }

  @Override
  public Dense activityRegularizer(Regularizer r) {
    super.activityRegularizer(r);
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
    kernel = addWeight("kernel", new int[] {in, units}, kernelInitializer, true,
        kernelRegularizer, kernelConstraint);
    if (useBias) {
      bias = addWeight("bias", new int[] {units}, biasInitializer, true, biasRegularizer,
          biasConstraint);
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
    m.put("kernel_regularizer", Regularizer.serialize(kernelRegularizer));
    m.put("bias_regularizer", Regularizer.serialize(biasRegularizer));
    m.put("kernel_constraint", Constraint.serialize(kernelConstraint));
    m.put("bias_constraint", Constraint.serialize(biasConstraint));
    return m;
  }
}
