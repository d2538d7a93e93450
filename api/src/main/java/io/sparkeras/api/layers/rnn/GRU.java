package io.sparkeras.api.layers.rnn;

import static io.sparkeras.api.backend.Backends.ops;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import java.util.Map;

/**
 * Gated Recurrent Unit (Cho et al. 2014) with Keras 3's weights and math. Weights:
 * {@code kernel [features, 3 * units]}, {@code recurrent_kernel [units, 3 * units]}, split into
 * the gates z (update), r (reset), h (candidate) in that order, and with {@code reset_after}
 * (the Keras 3 default) {@code bias [2, 3 * units]}: row 0 is added to {@code x @ kernel}, row 1
 * to {@code h @ recurrent_kernel}. Per step, with {@code reset_after}:
 * {@code z = σ(x_z + r_z)}, {@code r = σ(x_r + r_r)}, {@code hh = tanh(x_h + r * r_h)},
 * {@code h = z * h + (1 - z) * hh}, where {@code x_* = (x @ kernel + bias[0])_*} and
 * {@code r_* = (h @ recurrent_kernel + bias[1])_*}. With {@code resetAfter(false)} the bias is
 * {@code [3 * units]} (input side only) and {@code hh = tanh(x_h + (r * h) @ recurrent_kernel_h)}.
 * See {@link Recurrent} for the shared settings and what is not supported yet.
 *
 * <pre>{@code new GRU(32).returnSequences(true); }</pre>
 */
public class GRU extends Recurrent<GRU> {
  private boolean resetAfter = true;

  public GRU(int units) {
    super(units, 3);
  }

  public static GRU fromConfig(Config c) {
    GRU g = new GRU(c.getInt("units"));
    g.readCommonConfig(c);
    g.resetAfter(c.getBoolean("reset_after", true));
    return g;
  }

  @Override
  protected GRU self() {
    return this;
  }

  /** Apply the reset gate after the recurrent matmul (Keras 3 default true, cuDNN-compatible). */
  public GRU resetAfter(boolean resetAfter) {
    if (isBuilt()) {
      throw new IllegalStateException("layer '" + getName() + "' (GRU) is built: set reset_after "
          + "before use, it changes the bias shape");
    }
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
    Tensor b = bias().value();
    return resetAfter ? ops().squeeze(ops().slice(b, 0, 0, 1), 0) : b;
  }

  @Override
  protected Tensor[] initialStates(int batch) {
    return new Tensor[] {ops().zeros(batch, units())};
  }

  @Override
  protected Tensor[] step(Tensor projected, Tensor[] states) {
    Tensor h = states[0];
    Tensor kernel = recurrentKernel().value();
    int u = units();
    Tensor z;
    Tensor r;
    Tensor hh;
    if (resetAfter) {
      Tensor inner = ops().matmul(h, kernel);
      if (isUseBias()) {
        inner = ops().add(inner, ops().squeeze(ops().slice(bias().value(), 0, 1, 1), 0));
      }
      z = recurrentActivate(ops().add(gate(projected, 0), gate(inner, 0)));
      r = recurrentActivate(ops().add(gate(projected, 1), gate(inner, 1)));
      hh = activate(ops().add(gate(projected, 2), ops().multiply(r, gate(inner, 2))));
    } else {
      Tensor inner = ops().matmul(h, ops().slice(kernel, 1, 0, 2 * u));
      z = recurrentActivate(ops().add(gate(projected, 0), gate(inner, 0)));
      r = recurrentActivate(ops().add(gate(projected, 1), gate(inner, 1)));
      Tensor recurrentH = ops().matmul(ops().multiply(r, h), ops().slice(kernel, 1, 2 * u, u));
      hh = activate(ops().add(gate(projected, 2), recurrentH));
    }
    Tensor oneMinusZ = ops().add(ops().negative(z), 1.0);
    Tensor newH = ops().add(ops().multiply(z, h), ops().multiply(oneMinusZ, hh));
    return new Tensor[] {newH};
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("reset_after", resetAfter);
    return m;
  }
}
