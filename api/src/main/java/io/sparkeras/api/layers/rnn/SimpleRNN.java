package io.sparkeras.api.layers.rnn;

import io.sparkeras.api.config.Config;

/**
 * Fully-connected RNN, as Keras's {@code SimpleRNN}: {@code h = tanh(x @ kernel + bias + h_prev
 * @ recurrent_kernel)} per step ({@link SimpleRNNCell}); weights {@code kernel [features,
 * units]}, {@code recurrent_kernel [units, units]}, {@code bias [units]}. See {@link RNN} for
 * sequences, states, masks and what is not supported.
 *
 * <pre>{@code new SimpleRNN(32).returnSequences(true); }</pre>
 */
public class SimpleRNN extends DenseRNN<SimpleRNN, SimpleRNNCell> {

  public SimpleRNN(int units) {
    super(new SimpleRNNCell(units), "simple_rnn_cell");
  }

  public static SimpleRNN fromConfig(Config c) {
    return new SimpleRNN(c.getInt("units")).readConfig(c);
  }
}
