package io.sparkeras.api.losses;

import static io.sparkeras.api.backend.Backends.ops;
import io.sparkeras.api.backend.DType;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import java.util.Map;

/**
 * Cross-entropy between one-hot (or soft) target rows and predicted class probabilities, or
 * logits with {@code fromLogits}, as Keras's {@code categorical_crossentropy}: per sample
 * {@code -sum(z * log(p))} over the last axis. Probabilities are renormalised to sum to one,
 * clipped to {@code [1e-7, 1 - 1e-7]} and logged; logits go through log-softmax. Label smoothing
 * uses {@code z * (1 - s) + s / numClasses}.
 *
 * <pre>{@code model.compile(new Adam(1e-3), Losses.categoricalCrossentropy(true)); }</pre>
 */
public class CategoricalCrossentropy extends Loss {
  private final boolean fromLogits;
  private final double labelSmoothing;

  public CategoricalCrossentropy() {
    this(false);
  }

  public CategoricalCrossentropy(boolean fromLogits) {
    this(fromLogits, 0.0);
  }

  public CategoricalCrossentropy(boolean fromLogits, double labelSmoothing) {
    this(fromLogits, labelSmoothing, "categorical_crossentropy");
  }

  public CategoricalCrossentropy(boolean fromLogits, double labelSmoothing, String name) {
    super(name);
    this.fromLogits = fromLogits;
    this.labelSmoothing = LossSupport.checkLabelSmoothing("CategoricalCrossentropy",
        labelSmoothing);
  }

  public static CategoricalCrossentropy fromConfig(Config c) {
    LossSupport.checkReduction("CategoricalCrossentropy", c);
    LossSupport.checkAxis("CategoricalCrossentropy", c.getInt("axis", -1));
    return new CategoricalCrossentropy(c.getBoolean("from_logits", false),
        c.getDouble("label_smoothing", 0.0), c.getString("name", "categorical_crossentropy"));
  }

  public boolean fromLogits() {
    return fromLogits;
  }

  public double labelSmoothing() {
    return labelSmoothing;
  }

  @Override
  public Tensor call(Tensor yTrue, Tensor yPred) {
    Tensor z = ops().cast(yTrue, DType.FLOAT32);
    if (labelSmoothing > 0) {
      int classes = yPred.dim(-1);
      z = ops().add(ops().multiply(z, 1.0 - labelSmoothing), labelSmoothing / classes);
    }
    Tensor logp;
    if (fromLogits) {
      logp = ops().logSoftmax(yPred, -1);
    } else {
      Tensor p = ops().divide(yPred, ops().sum(yPred, new int[] {-1}, true));
      logp = ops().log(ops().clip(p, LossSupport.EPSILON, 1 - LossSupport.EPSILON));
    }
    Tensor perPosition = ops().negative(ops().sum(ops().multiply(z, logp), new int[] {-1}, false));
    return LossSupport.perSample(perPosition);
  }

  @Override
  public void validateTargets(float[] yTrue, int rows, int[] predShape) {
    int classes = predShape.length == 0 ? 1 : predShape[predShape.length - 1];
    int perRow = LossSupport.checkTargetCount(name(), yTrue, rows, predShape,
        " (a one-hot row of " + classes + " values per position; for integer class labels use "
            + "sparse_categorical_crossentropy)");
    LossSupport.checkUnitInterval(name(), yTrue, perRow, "a value in [0, 1] (one-hot or class "
        + "probabilities)");
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("from_logits", fromLogits);
    m.put("label_smoothing", labelSmoothing);
    m.put("axis", -1);
    return m;
  }
}
