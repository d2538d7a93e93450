package io.sparkeras.api.losses;

import static io.sparkeras.api.backend.Backends.ops;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;

/**
 * Mean of squared errors, Keras's {@code mean_squared_error} ("mse"): per sample
 * {@code mean(square(yTrue - yPred))} over the last axis.
 *
 * <pre>{@code model.compile(new Adam(1e-3), Losses.mse()); }</pre>
 */
public class MeanSquaredError extends Loss {
  public MeanSquaredError() {
    this("mean_squared_error");
  }

  public MeanSquaredError(String name) {
    super(name);
  }

  public static MeanSquaredError fromConfig(Config c) {
    LossSupport.checkReduction("MeanSquaredError", c);
    return new MeanSquaredError(c.getString("name", "mean_squared_error"));
  }

  @Override
  public Tensor call(Tensor yTrue, Tensor yPred) {
    Tensor[] tp = LossSupport.sameRank(yTrue, yPred);
    return LossSupport.perSample(ops().square(ops().subtract(tp[0], tp[1])));
  }

  @Override
  public void validateTargets(float[] yTrue, int rows, int[] predShape) {
    int perRow = LossSupport.checkTargetCount(name(), yTrue, rows, predShape, "");
    LossSupport.checkFinite(name(), yTrue, perRow);
  }
}
