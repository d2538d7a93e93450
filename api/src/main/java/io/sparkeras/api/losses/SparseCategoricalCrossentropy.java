package io.sparkeras.api.losses;

import static io.sparkeras.api.backend.Backends.ops;
import io.sparkeras.api.backend.DType;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import java.util.Map;

/**
 * Cross-entropy between integer class labels and predicted class probabilities (or logits with
 * {@code fromLogits}). Keras's formula: probabilities are renormalised, clipped to
 * {@code [1e-7, 1 - 1e-7]} and logged.
 *
 * <pre>{@code new SparseCategoricalCrossentropy(true); // model outputs logits }</pre>
 */
public class SparseCategoricalCrossentropy extends Loss {
  static final double EPSILON = 1e-7;
  private final boolean fromLogits;

  public SparseCategoricalCrossentropy() {
    this(false);
  }

  public SparseCategoricalCrossentropy(boolean fromLogits) {
    super("sparse_categorical_crossentropy");
    this.fromLogits = fromLogits;
  }

  public static SparseCategoricalCrossentropy fromConfig(Config c) {
    if (c.has("ignore_class")) {
      throw new IllegalArgumentException("SparseCategoricalCrossentropy: config key 'ignore_class'"
          + " is not supported yet (expected null), found " + c.get("ignore_class"));
    }
    return new SparseCategoricalCrossentropy(c.getBoolean("from_logits", false));
  }

  public boolean fromLogits() {
    return fromLogits;
  }

  @Override
  public Tensor call(Tensor yTrue, Tensor yPred) {
    Tensor logp;
    if (fromLogits) {
      logp = ops().logSoftmax(yPred, -1);
    } else {
      Tensor p = ops().divide(yPred, ops().sum(yPred, new int[] {-1}, true));
      logp = ops().log(ops().clip(p, EPSILON, 1 - EPSILON));
    }
    Tensor labels = ops().cast(yTrue, DType.INT64);
    if (labels.rank() == logp.rank()) {
      labels = ops().squeeze(labels, -1);
    }
    Tensor picked = ops().takeAlongAxis(logp, ops().expandDims(labels, -1), -1);
    return ops().negative(ops().squeeze(picked, -1));
  }

  @Override
  public void validateTargets(float[] yTrue, int rows, int[] predShape) {
    int classes = predShape[predShape.length - 1];
    int perRow = rows == 0 ? 0 : yTrue.length / rows;
    for (int i = 0; i < rows * perRow; i++) {
      float v = yTrue[i];
      if (!(v >= 0 && v < classes) || v != Math.rint(v)) {
        throw new IllegalArgumentException("sparse_categorical_crossentropy: label of sample "
            + (i / Math.max(perRow, 1)) + " in this batch is " + v + "; expected an integer class "
            + "index in [0, " + classes + ") to match the model's " + classes + " outputs");
      }
    }
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("from_logits", fromLogits);
    m.put("ignore_class", null);
    return m;
  }
}
