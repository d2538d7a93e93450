package io.sparkeras.api.losses;

import static io.sparkeras.api.backend.Backends.ops;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;

/**
 * Mean of absolute errors, Keras's {@code mean_absolute_error} ("mae"): per sample
 * {@code mean(abs(yTrue - yPred))} over the last axis.
 *
 * <pre>{@code model.compile(new Adam(1e-3), Losses.mae()); }</pre>
 */
public class MeanAbsoluteError extends Loss {
  public MeanAbsoluteError() {
    this("mean_absolute_error");
  }

  public MeanAbsoluteError(String name) {
    super(name);
  }

  public static MeanAbsoluteError fromConfig(Config c) {
    LossSupport.checkReduction("MeanAbsoluteError", c);
    return new MeanAbsoluteError(c.getString("name", "mean_absolute_error"));
  }

  @Override
  public Tensor call(Tensor yTrue, Tensor yPred) {
    Tensor[] tp = LossSupport.sameRank(yTrue, yPred);
    return LossSupport.perSample(ops().abs(ops().subtract(tp[0], tp[1])));
  }

  @Override
  public void validateTargets(float[] yTrue, int rows, int[] predShape) {
    int perRow = LossSupport.checkTargetCount(name(), yTrue, rows, predShape, "");
    LossSupport.checkFinite(name(), yTrue, perRow);
  }
}
