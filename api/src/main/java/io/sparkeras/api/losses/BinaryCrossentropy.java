package io.sparkeras.api.losses;

import static io.sparkeras.api.backend.Backends.ops;
import io.sparkeras.api.backend.DType;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import java.util.Map;

/**
 * Binary cross-entropy between 0/1 (or soft) targets and predicted probabilities, or logits with
 * {@code fromLogits}; per sample the mean over the last axis, as Keras's
 * {@code binary_crossentropy}.
 *
 * <p>Probabilities are clipped to {@code [1e-7, 1 - 1e-7]} and logged, like Keras. Logits use
 * the stable form {@code max(x, 0) - x * z + log(1 + exp(-|x|))}, written as
 * {@code (x + |x|) / 2 - x * z + softplus(-|x|)} so the gradient is {@code sigmoid(x) - z} even at
 * {@code x = 0}. Label smoothing squeezes targets toward 0.5:
 * {@code z * (1 - s) + 0.5 * s}.
 *
 * <pre>{@code model.compile(new Adam(1e-3), Losses.binaryCrossentropy(true)); }</pre>
 */
public class BinaryCrossentropy extends Loss {
  private final boolean fromLogits;
  private final double labelSmoothing;

  public BinaryCrossentropy() {
    this(false);
  }

  public BinaryCrossentropy(boolean fromLogits) {
    this(fromLogits, 0.0);
  }

  public BinaryCrossentropy(boolean fromLogits, double labelSmoothing) {
    this(fromLogits, labelSmoothing, "binary_crossentropy");
  }

  public BinaryCrossentropy(boolean fromLogits, double labelSmoothing, String name) {
    super(name);
    this.fromLogits = fromLogits;
    this.labelSmoothing = LossSupport.checkLabelSmoothing("BinaryCrossentropy", labelSmoothing);
  }

  public static BinaryCrossentropy fromConfig(Config c) {
    LossSupport.checkReduction("BinaryCrossentropy", c);
    LossSupport.checkAxis("BinaryCrossentropy", c.getInt("axis", -1));
    return new BinaryCrossentropy(c.getBoolean("from_logits", false),
        c.getDouble("label_smoothing", 0.0), c.getString("name", "binary_crossentropy"));
  }

  public boolean fromLogits() {
    return fromLogits;
  }

  public double labelSmoothing() {
    return labelSmoothing;
  }

  @Override
  public Tensor call(Tensor yTrue, Tensor yPred) {
    Tensor[] tp = LossSupport.sameRank(yTrue, yPred);
    Tensor z = ops().cast(tp[0], DType.FLOAT32);
    Tensor x = tp[1];
    if (labelSmoothing > 0) {
      z = ops().add(ops().multiply(z, 1.0 - labelSmoothing), 0.5 * labelSmoothing);
    }
    Tensor elementwise;
    if (fromLogits) {
      Tensor absX = ops().abs(x);
      Tensor positivePart = ops().multiply(ops().add(x, absX), 0.5);
      elementwise = ops().add(ops().subtract(positivePart, ops().multiply(x, z)),
          ops().softplus(ops().negative(absX)));
    } else {
      Tensor p = ops().clip(x, LossSupport.EPSILON, 1 - LossSupport.EPSILON);
      Tensor oneMinusZ = ops().add(ops().negative(z), 1.0);
      Tensor oneMinusP = ops().add(ops().negative(p), 1.0);
      elementwise = ops().negative(ops().add(ops().multiply(z, ops().log(p)),
          ops().multiply(oneMinusZ, ops().log(oneMinusP))));
    }
    return LossSupport.perSample(elementwise);
  }

  @Override
  public void validateTargets(float[] yTrue, int rows, int[] predShape) {
    int perRow = LossSupport.checkTargetCount(name(), yTrue, rows, predShape,
        " (one 0/1 label per output unit)");
    LossSupport.checkUnitInterval(name(), yTrue, perRow, "a value in [0, 1] (a 0/1 label or a "
        + "probability)");
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
