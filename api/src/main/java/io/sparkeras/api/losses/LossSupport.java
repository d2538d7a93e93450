package io.sparkeras.api.losses;

import static io.sparkeras.api.backend.Backends.ops;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import java.util.Arrays;

/**
 * Shared pieces of the built-in losses: Keras's rank alignment of targets and predictions, the
 * reduction to one value per sample, config checks and the host-side target checks.
 *
 * <pre>{@code Tensor[] tp = LossSupport.sameRank(yTrue, yPred); }</pre>
 */
final class LossSupport {
  /** Keras's {@code backend.epsilon()}, used to clip probabilities before taking logs. */
  static final double EPSILON = 1e-7;

  private LossSupport() {}

  /**
   * Keras's {@code squeeze_or_expand_to_same_rank}: when the ranks differ by one and the longer
   * tensor ends in a unit axis, a rank-1 partner gains that axis, otherwise the unit axis goes.
   */
  static Tensor[] sameRank(Tensor yTrue, Tensor yPred) {
    int rt = yTrue.rank();
    int rp = yPred.rank();
    if (rt == rp + 1 && yTrue.dim(-1) == 1) {
      if (rp == 1) {
        yPred = ops().expandDims(yPred, -1);
      } else {
        yTrue = ops().squeeze(yTrue, -1);
      }
    } else if (rp == rt + 1 && yPred.dim(-1) == 1) {
      if (rt == 1) {
        yTrue = ops().expandDims(yTrue, -1);
      } else {
        yPred = ops().squeeze(yPred, -1);
      }
    }
    return new Tensor[] {yTrue, yPred};
  }

  /**
   * One value per sample: the mean over every axis but the batch axis. Keras takes the mean over
   * the last axis and leaves the rest to the {@code sum_over_batch_size} reduction; since every
   * sample has the same number of entries, the batch mean is the same.
   */
  static Tensor perSample(Tensor values) {
    int rank = values.rank();
    if (rank <= 1) {
      return values;
    }
    int[] axes = new int[rank - 1];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i + 1;
    }
    return ops().mean(values, axes, false);
  }

  /** Only Keras's default reduction is supported; anything else is refused by name. */
  static void checkReduction(String owner, Config c) {
    Object r = c.get("reduction");
    if (r != null && !"sum_over_batch_size".equals(r)) {
      throw new IllegalArgumentException(owner + ": config key 'reduction' expected "
          + "\"sum_over_batch_size\" (the only reduction supported), found " + r);
    }
  }

  /** Only the last axis (-1) is supported as the class/feature axis. */
  static int checkAxis(String owner, int axis) {
    if (axis != -1) {
      throw new IllegalArgumentException(owner + ": axis expected -1 (the last axis; others are "
          + "not supported yet), found " + axis);
    }
    return axis;
  }

  static double checkLabelSmoothing(String owner, double labelSmoothing) {
    if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
      throw new IllegalArgumentException(owner + ": label_smoothing expected a number in [0, 1], "
          + "found " + labelSmoothing);
    }
    return labelSmoothing;
  }

  static int product(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /**
   * Checks that a batch holds one target per output value (a rank-1 target is fine for one
   * output unit) and returns the number of target values per sample.
   */
  static int checkTargetCount(String loss, float[] yTrue, int rows, int[] predShape, String hint) {
    int expected = product(predShape);
    if (rows > 0 && yTrue.length != (long) rows * expected) {
      String found = yTrue.length % rows == 0
          ? "target of sample 0 in this batch has " + (yTrue.length / rows) + " value(s)"
          : "this batch has " + yTrue.length + " target values for " + rows + " samples";
      throw new IllegalArgumentException(loss + ": " + found + "; expected " + expected
          + " per sample to match the model's output shape " + Arrays.toString(predShape)
          + hint);
    }
    return expected;
  }

  /** Checks that every target is a finite number, naming the first sample that is not. */
  static void checkFinite(String loss, float[] yTrue, int perRow) {
    for (int i = 0; i < yTrue.length; i++) {
      if (!Float.isFinite(yTrue[i])) {
        throw new IllegalArgumentException(loss + ": target of sample " + (i / Math.max(perRow, 1))
            + " in this batch (entry " + (i % Math.max(perRow, 1)) + ") is " + yTrue[i]
            + "; expected a finite number");
      }
    }
  }

  /** Checks that every target lies in [0, 1], naming the first sample that does not. */
  static void checkUnitInterval(String loss, float[] yTrue, int perRow, String what) {
    for (int i = 0; i < yTrue.length; i++) {
      float v = yTrue[i];
      if (!(v >= 0 && v <= 1)) {
        throw new IllegalArgumentException(loss + ": target of sample " + (i / Math.max(perRow, 1))
            + " in this batch (entry " + (i % Math.max(perRow, 1)) + ") is " + v + "; expected "
            + what);
      }
    }
  }
}
