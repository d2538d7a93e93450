package io.sparkeras.api.layers.rnn;

/**
 * An {@link RNN} whose fluent setters return the concrete layer, so that
 * {@code new LSTM(8).returnSequences(true).unitForgetBias(false)} chains: the base of the RNN
 * layers with a built-in cell.
 *
 * <pre>{@code LSTM l = new LSTM(32).returnSequences(true).goBackwards(true); }</pre>
 *
 * @param <T> the concrete layer
 */
public abstract class TypedRNN<T extends TypedRNN<T>> extends RNN {

  protected TypedRNN(RecurrentCell cell) {
    super(cell);
  }

  @SuppressWarnings("unchecked")
  protected final T self() {
    return (T) this;
  }

  @Override
  public T returnSequences(boolean returnSequences) {
    super.returnSequences(returnSequences);
    return self();
  }

  @Override
  public T returnState(boolean returnState) {
    super.returnState(returnState);
    return self();
  }

  @Override
  public T goBackwards(boolean goBackwards) {
    super.goBackwards(goBackwards);
    return self();
  }

  @Override
  public T stateful(boolean stateful) {
    super.stateful(stateful);
    return self();
  }

  @Override
  public T unroll(boolean unroll) {
    super.unroll(unroll);
    return self();
  }

  @Override
  public T zeroOutputForMask(boolean zeroOutputForMask) {
    super.zeroOutputForMask(zeroOutputForMask);
    return self();
  }
}
