package io.sparkeras.api.regularizers;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import java.util.Map;

/**
 * {@code l1 * sum(|x|) + l2 * sum(x^2)}, Keras's {@code L1L2} (both factors default to 0, as in
 * Keras 3, also for the name {@code "l1_l2"}). {@link L1} and {@link L2} are its one-term forms.
 *
 * <pre>{@code new Dense(8).kernelRegularizer(new L1L2(1e-5, 1e-4)); }</pre>
 */
public class L1L2 extends Regularizer {
  private final double l1;
  private final double l2;

  public L1L2(double l1, double l2) {
    this.l1 = factor(getClass().getSimpleName(), "l1", l1);
    this.l2 = factor(getClass().getSimpleName(), "l2", l2);
  }

  public static L1L2 fromConfig(Config c) {
    return new L1L2(c.getDouble("l1", 0.0), c.getDouble("l2", 0.0));
  }

  public double l1() {
    return l1;
  }

  public double l2() {
    return l2;
  }

  @Override
  public Tensor call(Tensor x) {
    Tensor r = ops().scalar(0);
    if (l1 != 0) {
      r = ops().add(r, ops().multiply(ops().sum(ops().abs(x)), l1));
    }
    if (l2 != 0) {
      r = ops().add(r, ops().multiply(ops().sum(ops().square(x)), l2));
    }
    return r;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = Config.newMap();
    m.put("l1", l1);
    m.put("l2", l2);
    return m;
  }
}
