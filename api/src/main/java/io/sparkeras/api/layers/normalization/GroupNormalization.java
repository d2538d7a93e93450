package io.sparkeras.api.layers.normalization;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import java.util.Map;

/**
 * Keras's {@code GroupNormalization}: the channels along {@code axis} (default -1) are split into
 * {@code groups} equal groups (-1: one per channel, instance normalization; 1: layer
 * normalization over everything), and each sample is normalised per group over the group's
 * channels and every other non-batch axis, then scaled by {@code gamma} and shifted by
 * {@code beta} per channel. Same in training and inference.
 *
 * <pre>{@code new GroupNormalization(8).epsilon(1e-5); }</pre>
 */
public class GroupNormalization extends BaseNormalization<GroupNormalization> {
  private int groups;
  private int axis = -1;

  /** 32 groups, as Keras's default. */
  public GroupNormalization() {
    this(32);
  }

  /** @param groups the number of groups, or -1 for one per channel */
  public GroupNormalization(int groups) {
    if (groups == 0 || groups < -1) {
      throw new IllegalArgumentException("GroupNormalization groups: expected a positive number "
          + "or -1 (one group per channel), found " + groups);
    }
    this.groups = groups;
  }

  public static GroupNormalization fromConfig(Config c) {
    return new GroupNormalization(c.getInt("groups", 32)).readScaleOffset(c)
        .axis(c.getInt("axis", -1));
  }

  /** The channels axis, counted in the full shape (batch = 0); default -1. */
  public GroupNormalization axis(int axis) {
    if (axis == 0) {
      throw new IllegalArgumentException("GroupNormalization axis: the batch axis 0 cannot be "
          + "the channels axis");
    }
    this.axis = axis;
    return this;
  }

  /** The channels axis as an index of a full shape of this rank. */
  private int resolve(int fullRank, int[] inputShape) {
    int a = axis < 0 ? axis + fullRank : axis;
    if (a < 1 || a >= fullRank) {
      throw new IllegalArgumentException("layer '" + getName() + "' (GroupNormalization): axis "
          + axis + " is not a non-batch axis of input " + shapeString(inputShape));
    }
    return a;
  }

  private int groupsFor(int channels, int[] inputShape) {
    int g = groups == -1 ? channels : groups;
    if (channels < 0) {
      throw new IllegalArgumentException("layer '" + getName() + "' (GroupNormalization) needs a "
          + "known size on axis " + axis + ", found input " + shapeString(inputShape));
    }
    if (channels < g || channels % g != 0) {
      throw new IllegalArgumentException("layer '" + getName() + "' (GroupNormalization): "
          + channels + " channels cannot be split into " + g + " equal groups");
    }
    return g;
  }

  @Override
  public void build(int[] inputShape) {
    int a = resolve(inputShape.length + 1, inputShape);
    int channels = inputShape[a - 1];
    groupsFor(channels, inputShape);
    addScaleOffset(new int[] {channels}, isScale(), isCenter());
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    int[] shape = x.shape();
    int r = shape.length;
    int a = resolve(r, java.util.Arrays.copyOfRange(shape, 1, r));
    int channels = shape[a];
    int g = groupsFor(channels, java.util.Arrays.copyOfRange(shape, 1, r));
    // (b, ..., C, ...) -> (b, ..., g, C / g, ...)
    int[] grouped = new int[r + 1];
    for (int i = 0, k = 0; i < r; i++) {
      if (i == a) {
        grouped[k++] = g;
        grouped[k++] = channels / g;
      } else {
        grouped[k++] = shape[i];
      }
    }
    Tensor xg = ops().reshape(x, grouped);
    int[] reduce = new int[r - 1];
    for (int i = 1, k = 0; i <= r; i++) {
      if (i != a) {
        reduce[k++] = i;
      }
    }
    int[] param = new int[r + 1];
    java.util.Arrays.fill(param, 1);
    param[a] = g;
    param[a + 1] = channels / g;
    Tensor[] is = scaleAndShift(ops().mean(xg, reduce, true), ops().variance(xg, reduce, true),
        param);
    return ops().reshape(ops().add(ops().multiply(xg, is[0]), is[1]), shape);
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    resolve(inputShape.length + 1, inputShape);
    return inputShape.clone();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("groups", groups);
    m.put("axis", axis);
    m.put("epsilon", epsilon());
    putScaleOffset(m, true, true, true);
    return m;
  }
}
