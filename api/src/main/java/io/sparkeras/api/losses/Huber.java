package io.sparkeras.api.losses;

import static io.sparkeras.api.backend.Backends.ops;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import java.util.Map;

/**
 * Huber loss, Keras's {@code huber}: with {@code e = yPred - yTrue}, {@code 0.5 * e^2} where
 * {@code |e| <= delta}, else {@code delta * |e| - 0.5 * delta^2}; per sample the mean over the
 * last axis. Keras's {@code Huber.get_config} drops {@code delta}; this one writes it, so a saved
 * non-default delta survives a round trip.
 *
 * <pre>{@code model.compile(new Adam(1e-3), Losses.huber(0.5)); }</pre>
 */
public class Huber extends Loss {
  private final double delta;

  public Huber() {
    this(1.0);
  }

  public Huber(double delta) {
    this(delta, "huber_loss");
  }

  public Huber(double delta, String name) {
    super(name);
    if (!(delta > 0) || Double.isInfinite(delta)) {
      throw new IllegalArgumentException("Huber: delta expected a positive finite number, found "
          + delta);
    }
    this.delta = delta;
  }

  public static Huber fromConfig(Config c) {
    LossSupport.checkReduction("Huber", c);
    return new Huber(c.getDouble("delta", 1.0), c.getString("name", "huber_loss"));
  }

  public double delta() {
    return delta;
  }

  @Override
  public Tensor call(Tensor yTrue, Tensor yPred) {
    Tensor[] tp = LossSupport.sameRank(yTrue, yPred);
    Tensor error = ops().subtract(tp[1], tp[0]);
    Tensor absError = ops().abs(error);
    Tensor quadratic = ops().multiply(ops().square(error), 0.5);
    Tensor linear = ops().add(ops().multiply(absError, delta), -0.5 * delta * delta);
    Tensor outside = ops().greater(absError, ops().scalar(delta));
    return LossSupport.perSample(ops().where(outside, linear, quadratic));
  }

  @Override
  public void validateTargets(float[] yTrue, int rows, int[] predShape) {
    int perRow = LossSupport.checkTargetCount(name(), yTrue, rows, predShape, "");
    LossSupport.checkFinite(name(), yTrue, perRow);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("delta", delta);
    return m;
  }
}
