package io.sparkeras.api.layers.rnn;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.activations.Activations;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.initializers.GlorotUniform;
import io.sparkeras.api.initializers.Initializer;
import io.sparkeras.api.initializers.Orthogonal;
import io.sparkeras.api.initializers.Zeros;
import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.layers.core.Unsupported;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What {@link SimpleRNNCell}, {@link LSTMCell} and {@link GRUCell} share: {@code units}, the
 * weights {@code kernel [features, gates * units]}, {@code recurrent_kernel [units, gates *
 * units]} and {@code bias}, the activations, and Keras's RNN dropout ({@code DropoutRNNCell}):
 * during training one mask on the inputs ({@code dropout}) and one on the recurrent state
 * ({@code recurrent_dropout}) are drawn per sequence and reused at every step; LSTM and GRU draw
 * one mask per gate when {@code recurrent_dropout} is set (Keras's {@code implementation=1}).
 * The input projection {@code x @ kernel + bias} runs once for the whole sequence.
 *
 * <pre>{@code new LSTMCell(32).dropout(0.2).recurrentDropout(0.1); }</pre>
 *
 * @param <T> the concrete cell, returned by the fluent setters
 */
public abstract class DenseRecurrentCell<T extends DenseRecurrentCell<T>> extends RecurrentCell {
  private final int units;
  private final int gates;
  private String activation = "tanh";
  private UnaryOperator<Tensor> activationFn = Activations.get("tanh");
  private String recurrentActivation = "sigmoid";
  private UnaryOperator<Tensor> recurrentActivationFn = Activations.get("sigmoid");
  private boolean useBias = true;
  private Initializer kernelInitializer = new GlorotUniform();
  private Initializer recurrentInitializer = new Orthogonal();
  private Initializer biasInitializer = new Zeros();
  private double dropout;
  private double recurrentDropout;
  private Long seed;
  private int implementation = 2;
  private Variable kernel;
  private Variable recurrentKernel;
  private Variable bias;
  private List<Tensor> inputMasks;
  private List<Tensor> recurrentMasks;

  /**
   * @param units size of the hidden state
   * @param gates how many blocks of {@code units} columns the kernels have (SimpleRNN 1, GRU 3,
   *     LSTM 4)
   */
  protected DenseRecurrentCell(int units, int gates) {
    if (units <= 0) {
      throw new IllegalArgumentException(getClass().getSimpleName() + " units: expected a "
          + "positive integer, found " + units);
    }
    this.units = units;
    this.gates = gates;
  }

  @SuppressWarnings("unchecked")
  protected final T self() {
    return (T) this;
  }

  // ---- settings --------------------------------------------------------------------------

  /** Activation of the candidate state and of the output (Keras default {@code tanh}). */
  public T activation(String name) {
    this.activation = Activations.canonical(name);
    this.activationFn = Activations.get(activation);
    return self();
  }

  /** Activation of the gates (Keras default {@code sigmoid}; unused by SimpleRNN). */
  public T recurrentActivation(String name) {
    this.recurrentActivation = Activations.canonical(name);
    this.recurrentActivationFn = Activations.get(recurrentActivation);
    return self();
  }

  public T useBias(boolean useBias) {
    requireUnbuilt("use_bias");
    this.useBias = useBias;
    return self();
  }

  public T kernelInitializer(Initializer init) {
    this.kernelInitializer = init;
    return self();
  }

  public T recurrentInitializer(Initializer init) {
    this.recurrentInitializer = init;
    return self();
  }

  public T biasInitializer(Initializer init) {
    this.biasInitializer = init;
    return self();
  }

  /** Fraction of the inputs dropped during training (one mask per sequence). */
  public T dropout(double rate) {
    this.dropout = rate(rate, "dropout");
    return self();
  }

  /** Fraction of the recurrent state dropped during training (one mask per sequence). */
  public T recurrentDropout(double rate) {
    this.recurrentDropout = rate(rate, "recurrent_dropout");
    return self();
  }

  private double rate(double rate, String key) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("cell '" + getName() + "' (" + getClass().getSimpleName()
          + ") " + key + ": expected a value in [0, 1], found " + rate);
    }
    return rate;
  }

  /** Seed kept in the config (Keras's dropout seed); dropout draws from the backend's generator. */
  public T seed(Long seed) {
    this.seed = seed;
    return self();
  }

  /** Keras 2's {@code implementation} (1: one dropout mask per gate; 2, the default: one). */
  public T implementation(int implementation) {
    if (implementation != 1 && implementation != 2) {
      throw new IllegalArgumentException("cell '" + getName() + "' implementation: expected 1 or "
          + "2, found " + implementation);
    }
    this.implementation = implementation;
    return self();
  }

  protected final void requireUnbuilt(String key) {
    if (isBuilt()) {
      throw new IllegalStateException("cell '" + getName() + "' (" + getClass().getSimpleName()
          + ") is built: set " + key + " before use, it changes the weights");
    }
  }

  public int units() {
    return units;
  }

  public boolean isUseBias() {
    return useBias;
  }

  public double dropoutRate() {
    return dropout;
  }

  public double recurrentDropoutRate() {
    return recurrentDropout;
  }

  /** {@code [features, gates * units]}. */
  public Variable kernel() {
    return kernel;
  }

  /** {@code [units, gates * units]}. */
  public Variable recurrentKernel() {
    return recurrentKernel;
  }

  /** The bias, or null without one. */
  public Variable bias() {
    return bias;
  }

  protected final Initializer biasInitializer() {
    return biasInitializer;
  }

  protected final Tensor activate(Tensor x) {
    return activationFn.apply(x);
  }

  protected final Tensor recurrentActivate(Tensor x) {
    return recurrentActivationFn.apply(x);
  }

  /** Block {@code gate} of {@code units} columns of {@code x} (the last axis split into gates). */
  protected final Tensor gate(Tensor x, int gate) {
    return ops().slice(x, -1, gate * units, units);
  }

  // ---- life cycle ------------------------------------------------------------------------

  /** The bias shape; default {@code [gates * units]}. */
  protected int[] biasShape() {
    return new int[] {gates * units};
  }

  /** The initializer the bias is really filled with (LSTM's unit_forget_bias changes it). */
  protected Initializer effectiveBiasInitializer() {
    return biasInitializer;
  }

  /** The part of the bias added to the input projection, or null. */
  protected Tensor inputBias() {
    return bias == null ? null : bias.value();
  }

  /** The kernel's shape for one step's input shape, after checking it. */
  protected int[] kernelShape(int[] stepInputShape) {
    requireRank(stepInputShape, 1, "(None, features) per step");
    if (stepInputShape[0] < 0) {
      throw new IllegalArgumentException("cell '" + getName() + "' (" + getClass().getSimpleName()
          + ") needs a known features dimension, found " + shapeString(stepInputShape));
    }
    return new int[] {stepInputShape[0], gates * units};
  }

  /** The recurrent kernel's shape. */
  protected int[] recurrentKernelShape() {
    return new int[] {units, gates * units};
  }

  /** The input side of the cell: {@code x @ kernel} ({@code x} one step or a whole sequence). */
  protected Tensor inputProduct(Tensor x, Tensor kernel) {
    return ops().matmul(x, kernel);
  }

  /** The recurrent side: {@code h @ recurrent_kernel}. */
  protected Tensor recurrentProduct(Tensor h, Tensor kernel) {
    return ops().matmul(h, kernel);
  }

  @Override
  public void build(int[] stepInputShape) {
    kernel = addWeight("kernel", kernelShape(stepInputShape), kernelInitializer, true);
    recurrentKernel = addWeight("recurrent_kernel", recurrentKernelShape(), recurrentInitializer,
        true);
    if (useBias) {
      bias = addWeight("bias", biasShape(), effectiveBiasInitializer(), true);
    }
  }

  @Override
  public List<int[]> stateShapes() {
    return List.of(new int[] {units});
  }

  /** How many dropout masks to draw: one per gate with Keras's implementation 1. */
  private int maskCount() {
    return gates > 1 && (implementation == 1 || recurrentDropout > 0) ? gates : 1;
  }

  /** Keras's dropout masks: {@code dropout(ones(shape), rate)}, one per gate or one. */
  private static List<Tensor> masks(int count, double rate, int[] shape) {
    List<Tensor> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(ops().dropout(ops().ones(shape), rate));
    }
    return out;
  }

  /** {@code x @ kernel + input bias} over {@code [batch, steps, ...]}, with dropout. */
  @Override
  public Tensor projectSequence(Tensor x, boolean training) {
    Tensor k = kernel.value();
    Tensor projected;
    if (training && dropout > 0) {
      if (inputMasks == null) {
        int[] step = x.shape();
        int[] shape = new int[step.length - 1];
        shape[0] = step[0];
        System.arraycopy(step, 2, shape, 1, step.length - 2);
        inputMasks = masks(maskCount(), dropout, shape);
      }
      List<Tensor> parts = new ArrayList<>(inputMasks.size());
      for (int g = 0; g < inputMasks.size(); g++) {
        Tensor m = ops().expandDims(inputMasks.get(g), 1);
        Tensor kg = inputMasks.size() == 1 ? k : gate(k, g);
        parts.add(inputProduct(ops().multiply(x, m), kg));
      }
      projected = parts.size() == 1 ? parts.get(0) : ops().concatenate(parts, -1);
    } else {
      projected = inputProduct(x, k);
    }
    Tensor b = inputBias();
    return b == null ? projected : ops().add(projected, b);
  }

  /**
   * The recurrent state as gate {@code gate} sees it: with recurrent dropout in training, times
   * that gate's mask (the only mask when there is one).
   */
  protected final Tensor recurrentInput(Tensor h, int gate, boolean training) {
    if (!training || recurrentDropout <= 0) {
      return h;
    }
    if (recurrentMasks == null) {
      recurrentMasks = masks(maskCount(), recurrentDropout, h.shape());
    }
    return ops().multiply(h, recurrentMasks.get(Math.min(gate, recurrentMasks.size() - 1)));
  }

  /** Whether the recurrent state is dropped differently per gate this step. */
  protected final boolean perGateRecurrentDropout(boolean training) {
    return training && recurrentDropout > 0 && maskCount() > 1;
  }

  /** {@code h @ recurrent_kernel}, per gate when recurrent dropout masks differ by gate. */
  protected final Tensor recurrentProjection(Tensor h, Tensor recurrent, int gateCount,
      boolean training) {
    if (!perGateRecurrentDropout(training)) {
      return recurrentProduct(recurrentInput(h, 0, training), recurrent);
    }
    List<Tensor> parts = new ArrayList<>(gateCount);
    for (int g = 0; g < gateCount; g++) {
      parts.add(recurrentProduct(recurrentInput(h, g, training), gate(recurrent, g)));
    }
    return ops().concatenate(parts, -1);
  }

  @Override
  public void endSequence() {
    inputMasks = null;
    recurrentMasks = null;
  }

  // ---- config ------------------------------------------------------------------------------

  /** Reads the keys every dense cell (and its layer) shares. */
  protected void readCellConfig(Config c) {
    activation(c.getString("activation", "tanh"));
    if (c.has("recurrent_activation")) {
      recurrentActivation(c.getString("recurrent_activation"));
    }
    useBias(c.getBoolean("use_bias", true));
    if (c.has("kernel_initializer")) {
      kernelInitializer(Initializer.REGISTRY.deserialize(c.get("kernel_initializer")));
    }
    if (c.has("recurrent_initializer")) {
      recurrentInitializer(Initializer.REGISTRY.deserialize(c.get("recurrent_initializer")));
    }
    if (c.has("bias_initializer")) {
      biasInitializer(Initializer.REGISTRY.deserialize(c.get("bias_initializer")));
    }
    dropout(c.getDouble("dropout", 0.0));
    recurrentDropout(c.getDouble("recurrent_dropout", 0.0));
    seed(c.has("seed") ? (long) c.getInt("seed") : null);
    if (c.has("implementation")) {
      implementation(c.getInt("implementation"));
    }
    Unsupported.requireNull(c, "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
        "activity_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint");
  }

  /**
   * Writes the cell's keys in Keras's order, from {@code units} on.
   *
   * @param layerForm the order of the matching layer's config (LSTM writes
   *     {@code unit_forget_bias} after the initializers and adds {@code activity_regularizer})
   */
  void putCellConfig(Map<String, Object> m, boolean layerForm) {
    putSizeConfig(m);
    m.put("activation", activation);
    if (gates > 1) {
      m.put("recurrent_activation", recurrentActivation);
    }
    m.put("use_bias", useBias);
    if (!layerForm) {
      putAfterUseBias(m);
    }
    m.put("kernel_initializer", Initializer.REGISTRY.serialize(kernelInitializer));
    m.put("recurrent_initializer", Initializer.REGISTRY.serialize(recurrentInitializer));
    m.put("bias_initializer", Initializer.REGISTRY.serialize(biasInitializer));
    if (layerForm) {
      putAfterUseBias(m);
    }
    m.put("kernel_regularizer", null);
    m.put("recurrent_regularizer", null);
    m.put("bias_regularizer", null);
    if (layerForm) {
      m.put("activity_regularizer", null);
    }
    m.put("kernel_constraint", null);
    m.put("recurrent_constraint", null);
    m.put("bias_constraint", null);
    m.put("dropout", dropout);
    m.put("recurrent_dropout", recurrentDropout);
    putBeforeSeed(m);
    if (!layerForm || gates > 1) {
      m.put("seed", seed);
    }
  }

  /** The keys that size the cell: {@code units} (ConvLSTM: filters, kernel size, ...). */
  protected void putSizeConfig(Map<String, Object> m) {
    m.put("units", units);
  }

  /** LSTM's {@code unit_forget_bias}. */
  protected void putAfterUseBias(Map<String, Object> m) {}

  /** GRU's {@code reset_after}. */
  protected void putBeforeSeed(Map<String, Object> m) {}

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    putCellConfig(m, false);
    return m;
  }
}
