package io.sparkeras.core.optim;

import java.nio.FloatBuffer;

/**
 * Gradient clipping with Keras 3 semantics ({@code BaseOptimizer._clip_gradients}), in place on
 * absolute-indexed float buffers, allocation-free. A "variable" is a {@code [from, to)} range of
 * the flat gradient vector; a list of variables is an {@code int[]} of pairs
 * {@code {from0, to0, from1, to1, ...}}.
 *
 * <ul>
 * <li>{@code clipvalue}: each element clipped to {@code [-clipvalue, clipvalue]}.</li>
 * <li>{@code clipnorm}: each variable's gradient scaled by
 *     {@code clipnorm / max(l2norm(variable), clipnorm)}, i.e. left alone unless its own L2
 *     norm exceeds clipnorm.</li>
 * <li>{@code global_clipnorm}: all variables scaled by {@code min(1, global_clipnorm / n)}, with
 *     {@code n} the L2 norm over all of them; if {@code n} is infinite or NaN every gradient
 *     becomes NaN, as in Keras.</li>
 * </ul>
 *
 * <p>Sums of squares are accumulated in double. Where Keras would multiply by exactly 1 (norm
 * below the limit) nothing is written, so gradients are left bit-for-bit unchanged. For a
 * global norm over a vector split across parameter-server shards, each shard computes
 * {@link #sumOfSquares(FloatBuffer, int[])} over its ranges, the sums are added, and each shard
 * applies {@link #scale(FloatBuffer, int[], float)} with {@link #globalNormScale(double, double)}.
 *
 * <pre>{@code
 * int[] variables = {0, 784 * 128, 784 * 128, 784 * 128 + 128};  // kernel, bias
 * GradientClipping.clipByNorm(grads, variables, 1.0f);           // Keras clipnorm=1.0
 * GradientClipping.clipByGlobalNorm(grads, variables, 5.0f);     // Keras global_clipnorm=5.0
 * GradientClipping.clipByValue(grads, 0, grads.capacity(), 0.5f); // Keras clipvalue=0.5
 * }</pre>
 */
public final class GradientClipping {
  private GradientClipping() {}

  /** Clips each element of {@code g[from, to)} to {@code [-clipValue, clipValue]} (NaN stays NaN). */
  public static void clipByValue(FloatBuffer g, int from, int to, float clipValue) {
    float lo = -clipValue;
    for (int i = from; i < to; i++) {
      float x = g.get(i);
      if (x > clipValue) {
        g.put(i, clipValue);
      } else if (x < lo) {
        g.put(i, lo);
      }
    }
  }

  /** {@link #clipByValue(FloatBuffer, int, int, float)} over every range of {@code ranges}. */
  public static void clipByValue(FloatBuffer g, int[] ranges, float clipValue) {
    for (int r = 0; r < ranges.length; r += 2) {
      clipByValue(g, ranges[r], ranges[r + 1], clipValue);
    }
  }

  /**
   * Scales {@code g[from, to)} so that its L2 norm is at most {@code clipNorm}:
   * {@code g * clipNorm / max(norm, clipNorm)}. A NaN norm makes the range NaN, as in Keras.
   *
   * @return the norm before clipping
   */
  public static double clipByNorm(FloatBuffer g, int from, int to, float clipNorm) {
    double norm = Math.sqrt(sumOfSquares(g, from, to));
    if (norm > clipNorm || Double.isNaN(norm)) {
      float c = clipNorm;
      float n = (float) norm;
      for (int i = from; i < to; i++) {
        g.put(i, g.get(i) * c / n);
      }
    }
    return norm;
  }

  /** Keras's {@code clipnorm}: {@link #clipByNorm(FloatBuffer, int, int, float)} on each variable separately. */
  public static void clipByNorm(FloatBuffer g, int[] ranges, float clipNorm) {
    for (int r = 0; r < ranges.length; r += 2) {
      clipByNorm(g, ranges[r], ranges[r + 1], clipNorm);
    }
  }

  /**
   * Keras's {@code global_clipnorm}: scales all ranges together so that their joint L2 norm is at
   * most {@code clipNorm}.
   *
   * @return the global norm before clipping
   */
  public static double clipByGlobalNorm(FloatBuffer g, int[] ranges, float clipNorm) {
    double sum = sumOfSquares(g, ranges);
    double scale = globalNormScale(sum, clipNorm);
    if (scale != 1.0) {
      scale(g, ranges, (float) scale);
    }
    return Math.sqrt(sum);
  }

  /**
   * The factor Keras's {@code clip_by_global_norm} multiplies by, from the sum of squares over
   * all variables: {@code min(1, clipNorm / sqrt(sum))}, NaN when the sum is infinite or NaN.
   */
  public static double globalNormScale(double sumOfSquares, double clipNorm) {
    double norm = Math.sqrt(sumOfSquares);
    if (Double.isNaN(norm) || Double.isInfinite(norm)) {
      return Double.NaN;
    }
    return norm > clipNorm ? clipNorm / norm : 1.0;
  }

  /** The L2 norm of all ranges together. */
  public static double globalNorm(FloatBuffer g, int[] ranges) {
    return Math.sqrt(sumOfSquares(g, ranges));
  }

  /** Sum of squares of {@code g[from, to)}, accumulated in double. */
  public static double sumOfSquares(FloatBuffer g, int from, int to) {
    // Four independent accumulators let the loop pipeline; the order is fixed, so the result is
    // deterministic for a given range.
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = from;
    for (; i + 3 < to; i += 4) {
      double a = g.get(i);
      double b = g.get(i + 1);
      double c = g.get(i + 2);
      double d = g.get(i + 3);
      s0 += a * a;
      s1 += b * b;
      s2 += c * c;
      s3 += d * d;
    }
    for (; i < to; i++) {
      double a = g.get(i);
      s0 += a * a;
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** Sum of squares over every range of {@code ranges}. */
  public static double sumOfSquares(FloatBuffer g, int[] ranges) {
    double s = 0;
    for (int r = 0; r < ranges.length; r += 2) {
      s += sumOfSquares(g, ranges[r], ranges[r + 1]);
    }
    return s;
  }

  /** Multiplies every element of every range by {@code factor}. */
  public static void scale(FloatBuffer g, int[] ranges, float factor) {
    for (int r = 0; r < ranges.length; r += 2) {
      for (int i = ranges[r], to = ranges[r + 1]; i < to; i++) {
        g.put(i, g.get(i) * factor);
      }
    }
  }
}
