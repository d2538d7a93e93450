package io.sparkeras.api.layers.rnn;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import java.util.List;

/**
 * The cell of {@link SimpleRNN}, as Keras's {@code SimpleRNNCell}: {@code h = activation(x @
 * kernel + bias + h_prev @ recurrent_kernel)}; weights {@code kernel [features, units]},
 * {@code recurrent_kernel [units, units]}, {@code bias [units]}. Use it inside {@link RNN} or
 * {@link StackedRNNCells}.
 *
 * <pre>{@code new RNN(new SimpleRNNCell(16)).returnSequences(true); }</pre>
 */
public class SimpleRNNCell extends DenseRecurrentCell<SimpleRNNCell> {

  public SimpleRNNCell(int units) {
    super(units, 1);
  }

  public static SimpleRNNCell fromConfig(Config c) {
    SimpleRNNCell cell = new SimpleRNNCell(c.getInt("units"));
    cell.name(c.getString("name", null));
    cell.trainable(c.getBoolean("trainable", true));
    cell.readCellConfig(c);
    return cell;
  }

  @Override
  public Step step(Tensor projected, List<Tensor> states, boolean training) {
    Tensor recurrent = recurrentProjection(states.get(0), recurrentKernel().value(), 1,
        training);
    Tensor h = activate(ops().add(projected, recurrent));
    return new Step(h, List.of(h));
  }
}
