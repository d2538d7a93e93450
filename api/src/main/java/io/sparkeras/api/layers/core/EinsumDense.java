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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Keras's {@code EinsumDense}: a dense layer written as an einsum of the input and a kernel,
 * {@code activation(einsum(equation, x, kernel) + bias)}. The equation names the input, kernel
 * and output axes ({@code "ab,bc->ac"} is Dense; {@code "abc,cde->abde"} projects the last axis
 * into heads); {@code output_shape} gives the output's sizes without the batch (-1 for the
 * input's size) and {@code bias_axes} the output axes the bias spans (null: no bias).
 *
 * <pre>{@code
 * new EinsumDense("abc,cd->abd", -1, 64).biasAxes("d");           // (None, 10, 32) -> (None, 10, 64)
 * new EinsumDense("...b,bc->...c", 16).activation("relu");
 * }</pre>
 */
public class EinsumDense extends Layer {
  private final String equation;
  private final int[] outputShape;
  private String activation = "linear";
  private UnaryOperator<Tensor> activationFn = Activations.get("linear");
  private String biasAxes;
  private Initializer kernelInitializer = new GlorotUniform();
  private Initializer biasInitializer = new Zeros();
  private Regularizer kernelRegularizer;
  private Regularizer biasRegularizer;
  private Constraint kernelConstraint;
  private Constraint biasConstraint;
  private Variable kernel;
  private Variable bias;

  /** @param outputShape the output's sizes without the batch (and elided) axes; -1 = unknown */
  public EinsumDense(String equation, int... outputShape) {
    this.equation = EinsumShapes.checkEquation(equation);
    this.outputShape = outputShape.clone();
  }

  public static EinsumDense fromConfig(Config c) {
    int[] out = c.get("output_shape") instanceof List ? c.getInts("output_shape", -1)
        : new int[] {c.getInt("output_shape")};
    EinsumDense d = LayerConfigs.base(new EinsumDense(c.getString("equation"), out), c);
    d.activation(c.getString("activation", "linear"));
    d.biasAxes(c.getString("bias_axes", null));
    d.kernelInitializer = LayerConfigs.initializer(c, "kernel_initializer", d.kernelInitializer);
    d.biasInitializer = LayerConfigs.initializer(c, "bias_initializer", d.biasInitializer);
    d.kernelRegularizer = LayerConfigs.regularizer(c, "kernel_regularizer");
    d.biasRegularizer = LayerConfigs.regularizer(c, "bias_regularizer");
    d.kernelConstraint = LayerConfigs.constraint(c, "kernel_constraint");
    d.biasConstraint = LayerConfigs.constraint(c, "bias_constraint");
    Unsupported.requireNull(c, "lora_rank");
    return d;
  }

  public EinsumDense activation(String name) {
    this.activation = Activations.canonical(name);
    this.activationFn = Activations.get(activation);
    return this;
  }

  /** The output axes (letters of the equation's output) the bias spans; null: no bias. */
  public EinsumDense biasAxes(String biasAxes) {
    this.biasAxes = biasAxes;
    return this;
  }

  public EinsumDense kernelInitializer(Initializer init) {
    this.kernelInitializer = init;
    return this;
  }

  public EinsumDense biasInitializer(Initializer init) {
    this.biasInitializer = init;
    return this;
  }

  public EinsumDense kernelRegularizer(Regularizer r) {
    this.kernelRegularizer = r;
    return this;
  }

  public EinsumDense biasRegularizer(Regularizer r) {
    this.biasRegularizer = r;
    return this;
  }

  public EinsumDense kernelConstraint(Constraint c) {
    this.kernelConstraint = c;
    return this;
  }

  public EinsumDense biasConstraint(Constraint c) {
    this.biasConstraint = c;
    return this;
  }

  public Variable kernel() {
    return kernel;
  }

  public Variable bias() {
    return bias;
  }

  private EinsumShapes shapes(int[] inputShape) {
    int[] full = new int[inputShape.length + 1];
    full[0] = -1;
    System.arraycopy(inputShape, 0, full, 1, inputShape.length);
    return EinsumShapes.analyze(equation, biasAxes, full, outputShape);
  }

  @Override
  public void build(int[] inputShape) {
    EinsumShapes s = shapes(inputShape);
    kernel = addWeight("kernel", s.kernel, kernelInitializer, true, kernelRegularizer,
        kernelConstraint);
    if (s.bias != null) {
      bias = addWeight("bias", s.bias, biasInitializer, true, biasRegularizer, biasConstraint);
    }
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    Tensor y = ops().einsum(equation, List.of(x, kernel.value()));
    if (bias != null) {
      y = ops().add(y, bias.value());
    }
    return activationFn.apply(y);
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    int[] full = shapes(inputShape).output;
    return Arrays.copyOfRange(full, 1, full.length);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("output_shape", Config.shapeList(outputShape));
    m.put("equation", equation);
    m.put("activation", activation);
    m.put("bias_axes", biasAxes);
    m.put("kernel_initializer", Initializer.REGISTRY.serialize(kernelInitializer));
    m.put("bias_initializer", Initializer.REGISTRY.serialize(biasInitializer));
    m.put("kernel_regularizer", Regularizer.serialize(kernelRegularizer));
    m.put("bias_regularizer", Regularizer.serialize(biasRegularizer));
    m.put("activity_regularizer", Regularizer.serialize(activityRegularizer()));
    m.put("kernel_constraint", Constraint.serialize(kernelConstraint));
    m.put("bias_constraint", Constraint.serialize(biasConstraint));
    return m;
  }
}
