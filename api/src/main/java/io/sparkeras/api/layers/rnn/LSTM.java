package io.sparkeras.api.layers.rnn;

import io.sparkeras.api.config.Config;

/**
 * Long Short-Term Memory layer (Hochreiter 1997) with Keras 3's weights and math: an
 * {@link RNN} around an {@link LSTMCell} (see it for the weights and the equations). States
 * {@code [h, c]}; the output is h. See {@link RNN} for sequences, states, masks and what is not
 * supported.
 *
 * <pre>{@code new LSTM(64).returnSequences(true).dropout(0.1); }</pre>
 */
public class LSTM extends DenseRNN<LSTM, LSTMCell> {

  public LSTM(int units) {
    super(new LSTMCell(units), "lstm_cell");
  }

  public static LSTM fromConfig(Config c) {
    LSTM l = new LSTM(c.getInt("units")).readConfig(c);
    return l.unitForgetBias(c.getBoolean("unit_forget_bias", true));
  }

  /** Activation of the gates (Keras default {@code sigmoid}). */
  public LSTM recurrentActivation(String name) {
    typedCell().recurrentActivation(name);
    return this;
  }

  /** Start the forget gate's bias at 1 (Keras default true). */
  public LSTM unitForgetBias(boolean unitForgetBias) {
    typedCell().unitForgetBias(unitForgetBias);
    return this;
  }

  public boolean isUnitForgetBias() {
    return typedCell().isUnitForgetBias();
  }
}
