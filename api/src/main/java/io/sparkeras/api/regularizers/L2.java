package io.sparkeras.api.regularizers;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import java.util.Map;

/**
 * {@code l2 * sum(x^2)}, Keras's {@code L2} (default factor 0.01, also for the name
 * {@code "l2"}). Unlike weight decay it goes through the loss, so every optimizer sees it.
 *
 * <pre>{@code new Dense(8).kernelRegularizer(new L2(1e-4)); }</pre>
 */
public final class L2 extends Regularizer {
  private final double l2;

  public L2() {
    this(0.01);
  }

  public L2(double l2) {
    this.l2 = factor("L2", "l2", l2);
  }

  public static L2 fromConfig(Config c) {
    return new L2(c.getDouble("l2", 0.01));
  }

  @Override
  public Tensor call(Tensor x) {
    return ops().multiply(ops().sum(ops().square(x)), l2);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = Config.newMap();
    m.put("l2", l2);
    return m;
  }
}
