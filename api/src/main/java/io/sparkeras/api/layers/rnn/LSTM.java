package io.sparkeras.api.layers.rnn;

import static io.sparkeras.api.backend.Backends.ops;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.initializers.Initializer;
import java.util.Map;

/**
 * Long Short-Term Memory layer (Hochreiter 1997) with Keras 3's weights and math. Weights:
 * {@code kernel [features, 4 * units]}, {@code recurrent_kernel [units, 4 * units]},
 * {@code bias [4 * units]}, each split into the gates i, f, c, o in that order. Per step:
 * {@code z = x @ kernel + h @ recurrent_kernel + bias}; {@code i = σ(z_i)}, {@code f = σ(z_f)},
 * {@code c = f * c + i * tanh(z_c)}, {@code o = σ(z_o)}, {@code h = o * tanh(c)} (σ the recurrent
 * activation, tanh the activation). With {@code unit_forget_bias} (the default) the forget-gate
 * part of the bias starts at 1. See {@link Recurrent} for the shared settings and what is not
 * supported yet.
 *
 * <pre>{@code new LSTM(64).returnSequences(true); }</pre>
 */
public class LSTM extends Recurrent<LSTM> {
  private boolean unitForgetBias = true;

  public LSTM(int units) {
    super(units, 4);
  }

  public static LSTM fromConfig(Config c) {
    LSTM l = new LSTM(c.getInt("units"));
    l.readCommonConfig(c);
    l.unitForgetBias(c.getBoolean("unit_forget_bias", true));
    return l;
  }

  @Override
  protected LSTM self() {
    return this;
  }

  /** Start the forget gate's bias at 1 (Keras default true). */
  public LSTM unitForgetBias(boolean unitForgetBias) {
    this.unitForgetBias = unitForgetBias;
    return this;
  }

  public boolean isUnitForgetBias() {
    return unitForgetBias;
  }

  @Override
  protected int[] biasShape() {
    return new int[] {4 * units()};
  }

  @Override
  protected Initializer effectiveBiasInitializer() {
    return unitForgetBias ? new ForgetBiasInitializer(biasInitializer(), units())
        : biasInitializer();
  }

  @Override
  protected Tensor inputBias() {
    return bias().value();
  }

  @Override
  protected Tensor[] initialStates(int batch) {
    return new Tensor[] {ops().zeros(batch, units()), ops().zeros(batch, units())};
  }

  @Override
  protected Tensor[] step(Tensor projected, Tensor[] states) {
    Tensor h = states[0];
    Tensor c = states[1];
    Tensor z = ops().add(projected, ops().matmul(h, recurrentKernel().value()));
    Tensor i = recurrentActivate(gate(z, 0));
    Tensor f = recurrentActivate(gate(z, 1));
    Tensor candidate = activate(gate(z, 2));
    Tensor o = recurrentActivate(gate(z, 3));
    Tensor newC = ops().add(ops().multiply(f, c), ops().multiply(i, candidate));
    Tensor newH = ops().multiply(o, activate(newC));
    return new Tensor[] {newH, newC};
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("unit_forget_bias", unitForgetBias);
    return m;
  }

  /** Keras's unit_forget_bias: {@code [init(units), ones(units), init(2 * units)]}. */
  private static final class ForgetBiasInitializer extends Initializer {
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
