package io.sparkeras.api.layers.rnn;

import io.sparkeras.api.config.Config;
import io.sparkeras.api.initializers.Initializer;
import io.sparkeras.api.layers.Variable;
import java.util.Map;

/**
 * The shared part of {@link SimpleRNN}, {@link LSTM} and {@link GRU}: an {@link RNN} around its
 * {@link DenseRecurrentCell} (named {@code simple_rnn_cell}, {@code lstm_cell}, {@code gru_cell}
 * as in Keras, so the weights are the cell's), with the cell's settings as the layer's and
 * Keras's layer config (the RNN keys, then the cell's, without a {@code cell} entry).
 *
 * <pre>{@code new GRU(32).dropout(0.2).returnSequences(true); }</pre>
 *
 * @param <T> the concrete layer
 * @param <C> its cell
 */
public abstract class DenseRNN<T extends DenseRNN<T, C>, C extends DenseRecurrentCell<C>>
    extends TypedRNN<T> {
  private final C cell;

  protected DenseRNN(C cell, String cellName) {
    super(cell);
    this.cell = cell;
    cell.name(cellName);
  }

  /** The cell, typed. */
  protected final C typedCell() {
    return cell;
  }

  /** Reads a Keras layer config: the RNN keys and the cell's. */
  protected T readConfig(Config c) {
    readRnnConfig(c);
    cell.trainable(isTrainable());
    cell.readCellConfig(c);
    return self();
  }

  /** Activation of the candidate state and of the output (Keras default {@code tanh}). */
  public T activation(String name) {
    cell.activation(name);
    return self();
  }

  public T useBias(boolean useBias) {
    cell.useBias(useBias);
    return self();
  }

  public T kernelInitializer(Initializer init) {
    cell.kernelInitializer(init);
    return self();
  }

  public T kernelInitializer(String name) {
    return kernelInitializer(Initializer.REGISTRY.deserialize(name));
  }

  public T recurrentInitializer(Initializer init) {
    cell.recurrentInitializer(init);
    return self();
  }

  public T recurrentInitializer(String name) {
    return recurrentInitializer(Initializer.REGISTRY.deserialize(name));
  }

  public T biasInitializer(Initializer init) {
    cell.biasInitializer(init);
    return self();
  }

  public T biasInitializer(String name) {
    return biasInitializer(Initializer.REGISTRY.deserialize(name));
  }

  /** Fraction of the inputs dropped during training (one mask per sequence, as in Keras). */
  public T dropout(double rate) {
    cell.dropout(rate);
    return self();
  }

  /** Fraction of the recurrent state dropped during training (one mask per sequence). */
  public T recurrentDropout(double rate) {
    cell.recurrentDropout(rate);
    return self();
  }

  /** Seed kept in the config (Keras's dropout seed). */
  public T seed(Long seed) {
    cell.seed(seed);
    return self();
  }

  public int units() {
    return cell.units();
  }

  public boolean isUseBias() {
    return cell.isUseBias();
  }

  /** {@code [features, gates * units]}. */
  public Variable kernel() {
    return cell.kernel();
  }

  /** {@code [units, gates * units]}. */
  public Variable recurrentKernel() {
    return cell.recurrentKernel();
  }

  /** The bias, or null without one. */
  public Variable bias() {
    return cell.bias();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = rnnConfig();
    cell.putCellConfig(m, true);
    return m;
  }
}
