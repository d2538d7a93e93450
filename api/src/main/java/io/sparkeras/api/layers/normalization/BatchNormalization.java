package io.sparkeras.api.layers.normalization;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.initializers.Initializer;
import io.sparkeras.api.initializers.Ones;
import io.sparkeras.api.initializers.Zeros;
import io.sparkeras.api.layers.Variable;
import java.util.List;
import java.util.Map;

/**
 * Batch normalization, as Keras's {@code BatchNormalization}: per feature along {@code axis},
 * {@code gamma * (x - mean) / sqrt(variance + epsilon) + beta}. In training (and only while the
 * layer is trainable) mean and variance are the batch's (population variance, over every axis but
 * {@code axis}) and the moving statistics are updated as
 * {@code moving = moving * momentum + batch * (1 - momentum)}; in inference the moving statistics
 * are used. Weights, in Keras's order: {@code gamma}, {@code beta} (trainable), then
 * {@code moving_mean}, {@code moving_variance} (non-trainable).
 *
 * <pre>{@code
 * new BatchNormalization().momentum(0.9).epsilon(1e-5);
 * }</pre>
 */
public class BatchNormalization extends BaseNormalization<BatchNormalization> {
  private int axis = -1;
  private double momentum = 0.99;
  private Initializer movingMeanInitializer = new Zeros();
  private Initializer movingVarianceInitializer = new Ones();
  private Variable movingMean;
  private Variable movingVariance;

  public BatchNormalization() {}

  public static BatchNormalization fromConfig(Config c) {
    BatchNormalization b = new BatchNormalization().readScaleOffset(c);
    if (c.get("axis") instanceof List) {
      int[] axes = c.getInts("axis", -1);
      if (axes.length != 1) {
        throw new IllegalArgumentException(c.getString("name", "BatchNormalization")
            + ": config key 'axis' expected one integer, found " + c.get("axis"));
      }
      b.axis(axes[0]);
    } else {
      b.axis(c.getInt("axis", -1));
    }
    b.momentum(c.getDouble("momentum", 0.99));
    if (c.has("moving_mean_initializer")) {
      b.movingMeanInitializer(Initializer.REGISTRY.deserialize(c.get("moving_mean_initializer")));
    }
    if (c.has("moving_variance_initializer")) {
      b.movingVarianceInitializer(
          Initializer.REGISTRY.deserialize(c.get("moving_variance_initializer")));
    }
    if (c.getBoolean("synchronized", false)) {
      throw new IllegalArgumentException(c.getString("name", "BatchNormalization")
          + ": config key 'synchronized' is not supported by Sparkeras yet (expected false), "
          + "found true");
    }
    return b;
  }

  // ---- settings --------------------------------------------------------------------------

  /** The feature axis, counted in the full shape (batch = 0); negative counts from the end. */
  public BatchNormalization axis(int axis) {
    if (axis == 0) {
      throw new IllegalArgumentException("BatchNormalization axis: the batch axis 0 cannot be the "
          + "feature axis");
    }
    this.axis = axis;
    return this;
  }

  /** Weight of the old value in the moving averages, in [0, 1]; default 0.99. */
  public BatchNormalization momentum(double momentum) {
    if (!(momentum >= 0 && momentum <= 1)) {
      throw new IllegalArgumentException("BatchNormalization momentum: expected a value in [0, 1],"
          + " found " + momentum);
    }
    this.momentum = momentum;
    return this;
  }

  public BatchNormalization movingMeanInitializer(Initializer init) {
    this.movingMeanInitializer = init;
    return this;
  }

  public BatchNormalization movingVarianceInitializer(Initializer init) {
    this.movingVarianceInitializer = init;
    return this;
  }

  public double momentum() {
    return momentum;
  }

  public Variable movingMean() {
    return movingMean;
  }

  public Variable movingVariance() {
    return movingVariance;
  }

  // ---- life cycle ------------------------------------------------------------------------

  /** The axis as an index into a full shape (batch included) of this rank, checked. */
  private int resolve(int fullRank, int[] inputShape) {
    int a = axis < 0 ? axis + fullRank : axis;
    if (a < 1 || a >= fullRank) {
      throw new IllegalArgumentException("layer '" + getName() + "' (BatchNormalization) has axis "
          + axis + ", which is not a feature axis of input " + shapeString(inputShape)
          + "; expected an input of rank >= 2 (batch included) with that axis");
    }
    return a;
  }

  @Override
  public void build(int[] inputShape) {
    int a = resolve(inputShape.length + 1, inputShape);
    int n = inputShape[a - 1];
    if (n < 0) {
      throw new IllegalArgumentException("layer '" + getName() + "' (BatchNormalization) needs a "
          + "known size on axis " + axis + ", found input shape " + shapeString(inputShape));
    }
    int[] shape = {n};
    addScaleOffset(shape, isScale(), isCenter());
    movingMean = addWeight("moving_mean", shape, movingMeanInitializer, false);
    movingVariance = addWeight("moving_variance", shape, movingVarianceInitializer, false);
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    int r = x.rank();
    int a = resolve(r, java.util.Arrays.copyOfRange(x.shape(), 1, r));
    int[] reduce = new int[r - 1];
    for (int i = 0, k = 0; i < r; i++) {
      if (i != a) {
        reduce[k++] = i;
      }
    }
    Tensor mean;
    Tensor variance;
    if (training && isTrainable()) {
      mean = ops().mean(x, reduce, false);
      variance = ops().variance(x, reduce, false);
      updateMoving(movingMean, ops().stopGradient(mean));
      updateMoving(movingVariance, ops().stopGradient(variance));
    } else {
      mean = movingMean.value();
      variance = movingVariance.value();
    }
    Tensor[] is = scaleAndShift(mean, variance, null);
    Tensor inv = is[0];
    Tensor shift = is[1];
    if (a != r - 1) {
      int[] b = new int[r];
      java.util.Arrays.fill(b, 1);
      b[a] = x.dim(a);
      inv = ops().reshape(inv, b);
      shift = ops().reshape(shift, b);
    }
    return ops().add(ops().multiply(x, inv), shift);
  }

  private void updateMoving(Variable moving, Tensor batchValue) {
    Tensor v = moving.value();
    ops().assign(v, ops().add(ops().multiply(v, momentum),
        ops().multiply(batchValue, 1 - momentum)));
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    resolve(inputShape.length + 1, inputShape);
    return inputShape.clone();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("axis", axis);
    m.put("momentum", momentum);
    m.put("epsilon", epsilon());
    putScaleOffset(m, true, true, false);
    m.put("moving_mean_initializer", Initializer.REGISTRY.serialize(movingMeanInitializer));
    m.put("moving_variance_initializer",
        Initializer.REGISTRY.serialize(movingVarianceInitializer));
    putScaleOffset(m, false, false, true);
    m.put("synchronized", false);
    return m;
  }
}
