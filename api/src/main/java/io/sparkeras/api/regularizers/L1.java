package io.sparkeras.api.regularizers;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import java.util.Map;

/**
 * {@code l1 * sum(|x|)}, Keras's {@code L1} (default factor 0.01, also for the name
 * {@code "l1"}).
 *
 * <pre>{@code new Dense(8).kernelRegularizer(new L1(1e-4)); }</pre>
 */
public final class L1 extends Regularizer {
  private final double l1;

  public L1() {
    this(0.01);
  }

  public L1(double l1) {
    this.l1 = factor("L1", "l1", l1);
  }

  public static L1 fromConfig(Config c) {
    return new L1(c.getDouble("l1", 0.01));
  }

  @Override
  public Tensor call(Tensor x) {
    return ops().multiply(ops().sum(ops().abs(x)), l1);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = Config.newMap();
    m.put("l1", l1);
    return m;
  }
}
