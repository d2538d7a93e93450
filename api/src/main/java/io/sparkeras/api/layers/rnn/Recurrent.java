package io.sparkeras.api.layers.rnn;

import static io.sparkeras.api.backend.Backends.ops;
import io.sparkeras.api.activations.Activations;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.initializers.GlorotUniform;
import io.sparkeras.api.initializers.Initializer;
import io.sparkeras.api.initializers.Orthogonal;
import io.sparkeras.api.initializers.Zeros;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.layers.core.Unsupported;
import io.sparkeras.api.saving.keras.KerasWeightLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The shared part of {@link LSTM} and {@link GRU}, like Keras's {@code RNN} with a built-in cell:
 * the settings and config keys they have in common, the weights {@code kernel [features, gates *
 * units]}, {@code recurrent_kernel [units, gates * units]} and {@code bias}, and the loop over
 * timesteps. Inputs are {@code (batch, steps, features)}; the output is the last hidden state
 * {@code (batch, units)}, or every hidden state {@code (batch, steps, units)} with
 * {@code returnSequences(true)}.
 *
 * <p>The loop is a Java loop of backend ops (one matmul per step, after a single matmul that
 * projects every timestep's input at once), so Keras's {@code unroll} makes no difference and is
 * only kept in the config. Dropout, returned states, statefulness and masks are not supported yet:
 * asking for them fails with an {@link IllegalArgumentException} that names the setting.
 *
 * <pre>{@code new LSTM(32).returnSequences(true).goBackwards(true); }</pre>
 *
 * @param <T> the concrete layer, returned by the fluent setters
 */
public abstract class Recurrent<T extends Recurrent<T>> extends Layer
    implements KerasWeightLayout {
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
  private boolean returnSequences;
  private boolean goBackwards;
  private boolean unroll;
  private boolean zeroOutputForMask;
  private Long seed;
  private Variable kernel;
  private Variable recurrentKernel;
  private Variable bias;
  private int features = -1;

  /**
   * @param units size of the hidden state
   * @param gates how many blocks of {@code units} columns the kernels have (LSTM 4, GRU 3)
   */
  protected Recurrent(int units, int gates) {
    if (units <= 0) {
      throw new IllegalArgumentException(getClass().getSimpleName() + " units: expected a positive "
          + "integer, found " + units);
    }
    this.units = units;
    this.gates = gates;
  }

  /** {@code this}, typed as the concrete layer. */
  protected abstract T self();

  // ---- settings --------------------------------------------------------------------------

  /** Activation of the candidate state and of the output (Keras default {@code tanh}). */
  public T activation(String name) {
    this.activation = Activations.canonical(name);
    this.activationFn = Activations.get(activation);
    return self();
  }

  /** Activation of the gates (Keras default {@code sigmoid}). */
  public T recurrentActivation(String name) {
    this.recurrentActivation = Activations.canonical(name);
    this.recurrentActivationFn = Activations.get(recurrentActivation);
    return self();
  }

  public T useBias(boolean useBias) {
    this.useBias = useBias;
    return self();
  }

  public T kernelInitializer(Initializer init) {
    this.kernelInitializer = init;
    return self();
  }

  public T kernelInitializer(String name) {
    return kernelInitializer(Initializer.REGISTRY.deserialize(name));
  }

  public T recurrentInitializer(Initializer init) {
    this.recurrentInitializer = init;
    return self();
  }

  public T recurrentInitializer(String name) {
    return recurrentInitializer(Initializer.REGISTRY.deserialize(name));
  }

  public T biasInitializer(Initializer init) {
    this.biasInitializer = init;
    return self();
  }

  public T biasInitializer(String name) {
    return biasInitializer(Initializer.REGISTRY.deserialize(name));
  }

  /** Return every timestep's hidden state {@code (batch, steps, units)} instead of the last one. */
  public T returnSequences(boolean returnSequences) {
    this.returnSequences = returnSequences;
    return self();
  }

  /**
   * Process the sequence from its last step to its first; with {@code returnSequences} the
   * outputs come in processing order (reversed), as in Keras.
   */
  public T goBackwards(boolean goBackwards) {
    this.goBackwards = goBackwards;
    return self();
  }

  /** Kept for Keras config compatibility; the Java loop computes the same either way. */
  public T unroll(boolean unroll) {
    this.unroll = unroll;
    return self();
  }

  /** Seed for dropout (kept in the config; dropout itself is not supported yet). */
  public T seed(Long seed) {
    this.seed = seed;
    return self();
  }

  /** Only 0 is supported. */
  public T dropout(double rate) {
    return requireZero("dropout", rate);
  }

  /** Only 0 is supported. */
  public T recurrentDropout(double rate) {
    return requireZero("recurrent_dropout", rate);
  }

  /** Only {@code false} is supported. */
  public T returnState(boolean returnState) {
    return requireFalse("return_state", returnState, "the layer returns one tensor");
  }

  /** Only {@code false} is supported. */
  public T stateful(boolean stateful) {
    return requireFalse("stateful", stateful, "states are not carried between batches");
  }

  private T requireZero(String key, double rate) {
    if (rate != 0.0) {
      throw new IllegalArgumentException("layer '" + getName() + "' (" + getClass().getSimpleName()
          + "): " + key + "=" + rate + " is not supported by Sparkeras yet (expected 0.0)");
    }
    return self();
  }

  private T requireFalse(String key, boolean value, String why) {
    if (value) {
      throw new IllegalArgumentException("layer '" + getName() + "' (" + getClass().getSimpleName()
          + "): " + key + "=true is not supported by Sparkeras yet (expected false; " + why + ")");
    }
    return self();
  }

  public int units() {
    return units;
  }

  public boolean isReturnSequences() {
    return returnSequences;
  }

  public boolean isGoBackwards() {
    return goBackwards;
  }

  public boolean isUseBias() {
    return useBias;
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

  protected Initializer biasInitializer() {
    return biasInitializer;
  }

  protected Tensor activate(Tensor x) {
    return activationFn.apply(x);
  }

  protected Tensor recurrentActivate(Tensor x) {
    return recurrentActivationFn.apply(x);
  }

  // ---- config ----------------------------------------------------------------------------

  /** Reads the keys every recurrent layer shares; rejects the unsupported ones by name. */
  protected void readCommonConfig(Config c) {
    name(c.getString("name", null));
    trainable(c.getBoolean("trainable", true));
    activation(c.getString("activation", "tanh"));
    recurrentActivation(c.getString("recurrent_activation", "sigmoid"));
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
    returnSequences(c.getBoolean("return_sequences", false));
    returnState(c.getBoolean("return_state", false));
    goBackwards(c.getBoolean("go_backwards", false));
    stateful(c.getBoolean("stateful", false));
    unroll(c.getBoolean("unroll", false));
    zeroOutputForMask = c.getBoolean("zero_output_for_mask", false);
    seed(c.has("seed") ? (long) c.getInt("seed") : null);
    Unsupported.requireNull(c, "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
        "activity_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint");
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("return_sequences", returnSequences);
    m.put("return_state", false);
    m.put("go_backwards", goBackwards);
    m.put("stateful", false);
    m.put("unroll", unroll);
    m.put("zero_output_for_mask", zeroOutputForMask);
    m.put("units", units);
    m.put("activation", activation);
    m.put("recurrent_activation", recurrentActivation);
    m.put("use_bias", useBias);
    m.put("kernel_initializer", Initializer.REGISTRY.serialize(kernelInitializer));
    m.put("recurrent_initializer", Initializer.REGISTRY.serialize(recurrentInitializer));
    m.put("bias_initializer", Initializer.REGISTRY.serialize(biasInitializer));
    m.put("kernel_regularizer", null);
    m.put("recurrent_regularizer", null);
    m.put("bias_regularizer", null);
    m.put("activity_regularizer", null);
    m.put("kernel_constraint", null);
    m.put("recurrent_constraint", null);
    m.put("bias_constraint", null);
    m.put("dropout", 0.0);
    m.put("recurrent_dropout", 0.0);
    m.put("seed", seed);
    return m;
  }

  // ---- the life cycle --------------------------------------------------------------------

  /** The bias shape ({@code [gates * units]} for LSTM, {@code [2, 3 * units]} for Keras's GRU). */
  protected abstract int[] biasShape();

  /** The initializer the bias is really filled with (LSTM's unit_forget_bias changes it). */
  protected Initializer effectiveBiasInitializer() {
    return biasInitializer;
  }

  private void checkInputShape(int[] inputShape) {
    requireRank(inputShape, 2, "(batch, steps, features)");
    if (inputShape[1] < 0) {
      throw new IllegalArgumentException("layer '" + getName() + "' (" + getClass().getSimpleName()
          + ") needs a known features dimension, found input shape " + shapeString(inputShape));
    }
  }

  @Override
  public void build(int[] inputShape) {
    checkInputShape(inputShape);
    features = inputShape[1];
    kernel = addWeight("kernel", new int[] {features, gates * units}, kernelInitializer, true);
    recurrentKernel = addWeight("recurrent_kernel", new int[] {units, gates * units},
        recurrentInitializer, true);
    if (useBias) {
      bias = addWeight("bias", biasShape(), effectiveBiasInitializer(), true);
    }
  }

  /** The part of the bias added to the input projection {@code x @ kernel}, or null. */
  protected abstract Tensor inputBias();

  /** Zero states for a batch; element 0 is the hidden state h (the output). */
  protected abstract Tensor[] initialStates(int batch);

  /**
   * One timestep.
   *
   * @param projected this step's {@code x @ kernel + inputBias}, {@code [batch, gates * units]}
   * @param states the previous states, element 0 the hidden state
   * @return the new states, element 0 the new hidden state (the step's output)
   */
  protected abstract Tensor[] step(Tensor projected, Tensor[] states);

  @Override
  public Tensor call(Tensor x, boolean training) {
    if (x.rank() != 3 || x.dim(2) != features) {
      throw new IllegalArgumentException("layer '" + getName() + "' (" + getClass().getSimpleName()
          + ") expects input of shape (None, steps, " + features + "), found "
          + java.util.Arrays.toString(x.shape()));
    }
    int batch = x.dim(0);
    int steps = x.dim(1);
    if (steps == 0) {
      throw new IllegalArgumentException("layer '" + getName() + "' ("
          + getClass().getSimpleName() + ") needs at least one timestep, found 0");
    }
    Tensor projected = ops().matmul(x, kernel.value());
    Tensor b = useBias ? inputBias() : null;
    if (b != null) {
      projected = ops().add(projected, b);
    }
    Tensor[] states = initialStates(batch);
    List<Tensor> outputs = returnSequences ? new ArrayList<>(steps) : null;
    for (int i = 0; i < steps; i++) {
      int t = goBackwards ? steps - 1 - i : i;
      Tensor xt = ops().squeeze(ops().slice(projected, 1, t, 1), 1);
      states = step(xt, states);
      if (outputs != null) {
        outputs.add(states[0]);
      }
    }
    return outputs != null ? ops().stack(outputs, 1) : states[0];
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    checkInputShape(inputShape);
    return returnSequences ? new int[] {inputShape[0], units} : new int[] {units};
  }

  /** Block {@code gate} of {@code units} columns of {@code x} (the last axis split into gates). */
  protected Tensor gate(Tensor x, int gate) {
    return ops().slice(x, -1, gate * units, units);
  }

  /** Keras keeps an RNN's weights in its cell: {@code <layer>/cell/vars/0..2}. */
  @Override
  public Map<String, List<Variable>> kerasWeightGroups() {
    return KerasWeightLayout.groups("", List.of(), "cell", weights());
  }
}
