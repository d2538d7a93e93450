package io.sparkeras.api.layers.rnn;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.initializers.Initializer;
import java.util.List;
import java.util.Map;

/**
 * The cell of {@link LSTM} (Hochreiter 1997), as Keras's {@code LSTMCell}. Weights
 * {@code kernel [features, 4 * units]}, {@code recurrent_kernel [units, 4 * units]},
 * {@code bias [4 * units]}, each split into the gates i, f, c, o in that order. States
 * {@code [h, c]}. Per step: {@code z = x @ kernel + h @ recurrent_kernel + bias};
 * {@code i = σ(z_i)}, {@code f = σ(z_f)}, {@code c = f * c + i * tanh(z_c)},
 * {@code o = σ(z_o)}, {@code h = o * tanh(c)} (σ the recurrent activation, tanh the
 * activation). With {@code unit_forget_bias} (the default) the forget-gate part of the bias starts
 * at 1.
 *
 * <pre>{@code new RNN(List.of(new LSTMCell(32), new LSTMCell(16))); }</pre>
 */
public class LSTMCell extends DenseRecurrentCell<LSTMCell> {
  private boolean unitForgetBias = true;

  public LSTMCell(int units) {
    super(units, 4);
  }

  public static LSTMCell fromConfig(Config c) {
    LSTMCell cell = new LSTMCell(c.getInt("units"));
    cell.name(c.getString("name", null));
    cell.trainable(c.getBoolean("trainable", true));
    cell.readCellConfig(c);
    cell.unitForgetBias(c.getBoolean("unit_forget_bias", true));
    return cell;
  }

  /** Start the forget gate's bias at 1 (Keras default true). */
  public LSTMCell unitForgetBias(boolean unitForgetBias) {
    this.unitForgetBias = unitForgetBias;
    return this;
  }

  public boolean isUnitForgetBias() {
    return unitForgetBias;
  }

  @Override
  protected Initializer effectiveBiasInitializer() {
    return unitForgetBias ? new ForgetBiasInitializer(biasInitializer(), units())
        : biasInitializer();
  }

  @Override
  public List<int[]> stateShapes() {
    return List.of(new int[] {units()}, new int[] {units()});
  }

  @Override
  public Step step(Tensor projected, List<Tensor> states, boolean training) {
    Tensor c = states.get(1);
    Tensor z = ops().add(projected, recurrentProjection(states.get(0), recurrentKernel().value(),
        4, training));
    Tensor i = recurrentActivate(gate(z, 0));
    Tensor f = recurrentActivate(gate(z, 1));
    Tensor candidate = activate(gate(z, 2));
    Tensor o = recurrentActivate(gate(z, 3));
    Tensor newC = ops().add(ops().multiply(f, c), ops().multiply(i, candidate));
    Tensor newH = ops().multiply(o, activate(newC));
    return new Step(newH, List.of(newH, newC));
  }

  @Override
  protected void putAfterUseBias(Map<String, Object> m) {
    m.put("unit_forget_bias", unitForgetBias);
  }

  /** Keras's unit_forget_bias: {@code [init(units), ones(units), init(2 * units)]}. */
  static final class ForgetBiasInitializer extends Initializer {
    private final Initializer base;
    private final int units;

    ForgetBiasInitializer(Initializer base, int units) {
      super(null);
      this.base = base;
      this.units = units;
    }

    @Override
    public float[] generate(int[] shape) {
      float[] out = new float[4 * units];
      System.arraycopy(base.generate(new int[] {units}), 0, out, 0, units);
      java.util.Arrays.fill(out, units, 2 * units, 1f);
      System.arraycopy(base.generate(new int[] {2 * units}), 0, out, 2 * units, 2 * units);
      return out;
    }
  }
}
