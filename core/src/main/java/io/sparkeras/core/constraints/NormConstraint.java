package io.sparkeras.core.constraints;

import java.nio.FloatBuffer;

/**
 * The norm constraints of Keras ({@code MaxNorm}, {@code MinMaxNorm}, {@code UnitNorm}): with
 * {@code norms = sqrt(sum(w^2, axis, keepdims=True))}, every value is multiplied by
 * {@code f(norms) / (epsilon + norms)} of its slice, {@code epsilon = 1e-7} (Keras's
 * {@code backend.epsilon()}), where {@code f} is {@code clip(norm, 0, max_value)},
 * {@code rate * clip(norm, min_value, max_value) + (1 - rate) * norm} or 1.
 */
final class NormConstraint implements FlatConstraint {
  static final double EPSILON = 1e-7;

  enum Kind { MAX, MIN_MAX, UNIT }

  private final Kind kind;
  private final double minValue;
  private final double maxValue;
  private final double rate;
  private final int[] shape;
  private final int size;
  /** Per axis: the step of the slice index when that axis' index grows by one (0 if reduced). */
  private final int[] groupStride;
  private final int[] index;
  private final double[] sums;

  NormConstraint(Kind kind, double minValue, double maxValue, double rate, int[] shape,
      boolean[] reduced) {
    this.kind = kind;
    this.minValue = minValue;
    this.maxValue = maxValue;
    this.rate = rate;
    this.shape = shape.clone();
    int n = 1;
    for (int d : shape) {
      n = Math.multiplyExact(n, d);
    }
    this.size = n;
    this.groupStride = new int[shape.length];
    int groups = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      if (!reduced[d]) {
        groupStride[d] = groups;
        groups *= shape[d];
      }
    }
    this.index = new int[shape.length];
    this.sums = new double[groups];
  }

  @Override
  public void apply(FloatBuffer values, int from) {
    java.util.Arrays.fill(sums, 0.0);
    java.util.Arrays.fill(index, 0);
    int group = 0;
    for (int i = 0; i < size; i++) {
      double v = values.get(from + i);
      sums[group] += v * v;
      group = next(group);
    }
    for (int g = 0; g < sums.length; g++) {
      double norm = Math.sqrt(sums[g]);
      double desired;
      switch (kind) {
        case MAX:
          desired = Math.min(Math.max(norm, 0), maxValue);
          break;
        case MIN_MAX:
          desired = rate * Math.min(Math.max(norm, minValue), maxValue) + (1 - rate) * norm;
          break;
        default:
          desired = 1;
          break;
      }
      sums[g] = desired / (EPSILON + norm);
    }
    java.util.Arrays.fill(index, 0);
    group = 0;
    for (int i = 0; i < size; i++) {
      int at = from + i;
      values.put(at, (float) (values.get(at) * sums[group]));
      group = next(group);
    }
  }

  /** Advances the row-major odometer by one element and returns the new slice index. */
  private int next(int group) {
    for (int d = shape.length - 1; d >= 0; d--) {
      if (++index[d] < shape[d]) {
        return group + groupStride[d];
      }
      group -= groupStride[d] * (shape[d] - 1);
      index[d] = 0;
    }
    return group;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public String className() {
    return kind == Kind.MAX ? "MaxNorm" : kind == Kind.MIN_MAX ? "MinMaxNorm" : "UnitNorm";
  }
}
