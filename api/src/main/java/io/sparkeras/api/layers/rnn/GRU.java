package io.sparkeras.api.layers.rnn;

import io.sparkeras.api.config.Config;

/**
 * Gated Recurrent Unit (Cho et al. 2014) with Keras 3's weights and math: an {@link RNN} around
 * a {@link GRUCell} (see it for the weights, {@code reset_after} and the equations). See
 * {@link RNN} for sequences, states, masks and what is not supported.
 *
 * <pre>{@code new GRU(32).resetAfter(false).returnSequences(true); }</pre>
 */
public class GRU extends DenseRNN<GRU, GRUCell> {

  public GRU(int units) {
    super(new GRUCell(units), "gru_cell");
  }

  public static GRU fromConfig(Config c) {
    GRU g = new GRU(c.getInt("units")).readConfig(c);
    return g.resetAfter(c.getBoolean("reset_after", true));
  }

  /** Activation of the gates (Keras default {@code sigmoid}). */
  public GRU recurrentActivation(String name) {
    typedCell().recurrentActivation(name);
    return this;
  }

  /** Apply the reset gate after the recurrent matmul (Keras 3 default true, cuDNN-compatible). */
  public GRU resetAfter(boolean resetAfter) {
    typedCell().resetAfter(resetAfter);
    return this;
  }

  public boolean isResetAfter() {
    return typedCell().isResetAfter();
  }
}
