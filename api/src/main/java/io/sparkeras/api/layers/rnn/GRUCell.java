package io.sparkeras.api.layers.rnn;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import java.util.List;
import java.util.Map;

/**
 * The cell of {@link GRU} (Cho et al. 2014), as Keras's {@code GRUCell}. Weights
 * {@code kernel [features, 3 * units]}, {@code recurrent_kernel [units, 3 * units]}, split into
 * the gates z (update), r (reset), h (candidate) in that order, and with {@code reset_after}
 * (the Keras 3 default) {@code bias [2, 3 * units]}: row 0 is added to {@code x @ kernel}, row 1
 * to {@code h @ recurrent_kernel}. Per step, with {@code reset_after}:
 * {@code z = σ(x_z + r_z)}, {@code r = σ(x_r + r_r)}, {@code hh = tanh(x_h + r * r_h)},
 * {@code h = z * h + (1 - z) * hh}, where {@code x_* = (x @ kernel + bias[0])_*} and
 * {@code r_* = (h @ recurrent_kernel + bias[1])_*}. With {@code resetAfter(false)} the bias is
 * {@code [3 * units]} (input side only) and {@code hh = tanh(x_h + (r * h) @
 * recurrent_kernel_h)}.
 *
 * <pre>{@code new RNN(new GRUCell(32).resetAfter(false)); }</pre>
 */
public class GRUCell extends DenseRecurrentCell<GRUCell> {
  private boolean resetAfter = true;

  public GRUCell(int units) {
    super(units, 3);
  }

  public static GRUCell fromConfig(Config c) {
    GRUCell cell = new GRUCell(c.getInt("units"));
    cell.name(c.getString("name", null));
    cell.trainable(c.getBoolean("trainable", true));
    cell.readCellConfig(c);
    cell.resetAfter(c.getBoolean("reset_after", true));
    return cell;
  }

  /** Apply the reset gate after the recurrent matmul (Keras 3 default true, cuDNN-compatible). */
  public GRUCell resetAfter(boolean resetAfter) {
    requireUnbuilt("reset_after");
    this.resetAfter = resetAfter;
    return this;
  }

  public boolean isResetAfter() {
    return resetAfter;
  }

  @Override
  protected int[] biasShape() {
    return resetAfter ? new int[] {2, 3 * units()} : new int[] {3 * units()};
  }

  @Override
  protected Tensor inputBias() {
    if (bias() == null) {
      return null;
    }
    Tensor b = bias().value();
    return resetAfter ? ops().squeeze(ops().slice(b, 0, 0, 1), 0) : b;
  }

  @Override
  public Step step(Tensor projected, List<Tensor> states, boolean training) {
    Tensor h = states.get(0);
    Tensor kernel = recurrentKernel().value();
    int u = units();
    Tensor z;
    Tensor r;
    Tensor hh;
    if (resetAfter) {
      Tensor inner = recurrentProjection(h, kernel, 3, training);
      if (isUseBias()) {
        inner = ops().add(inner, ops().squeeze(ops().slice(bias().value(), 0, 1, 1), 0));
      }
      z = recurrentActivate(ops().add(gate(projected, 0), gate(inner, 0)));
      r = recurrentActivate(ops().add(gate(projected, 1), gate(inner, 1)));
      hh = activate(ops().add(gate(projected, 2), ops().multiply(r, gate(inner, 2))));
    } else {
      Tensor inner = recurrentProjection(h, ops().slice(kernel, 1, 0, 2 * u), 2, training);
      z = recurrentActivate(ops().add(gate(projected, 0), gate(inner, 0)));
      r = recurrentActivate(ops().add(gate(projected, 1), gate(inner, 1)));
      Tensor recurrentH = ops().matmul(ops().multiply(r, recurrentInput(h, 2, training)),
          ops().slice(kernel, 1, 2 * u, u));
      hh = activate(ops().add(gate(projected, 2), recurrentH));
    }
    Tensor oneMinusZ = ops().add(ops().negative(z), 1.0);
    Tensor newH = ops().add(ops().multiply(z, h), ops().multiply(oneMinusZ, hh));
    return new Step(newH, List.of(newH));
  }

  @Override
  protected void putBeforeSeed(Map<String, Object> m) {
    m.put("reset_after", resetAfter);
  }
}
