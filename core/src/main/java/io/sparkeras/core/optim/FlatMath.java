package io.sparkeras.core.optim;

import java.nio.FloatBuffer;

/**
 * Element-wise sums and means over ranges of flat vectors, the parameter server's other per-step
 * loops next to the update rule (summing the workers' gradients, dividing by the worker count).
 * Like the rules they run over per-thread {@code float[]} tiles so that the JIT vectorises them,
 * and allocate nothing.
 *
 * <pre>{@code
 * FlatMath.add(sum, 0, incoming, 0, n);   // sum[0, n) += incoming[0, n)
 * FlatMath.divide(sum, 0, n, workers);    // sum[i] = sum[i] / workers
 * }</pre>
 */
public final class FlatMath {
  private FlatMath() {}

  /** {@code target[targetFrom + i] += source[sourceFrom + i]} for i in [0, n). */
  public static void add(FloatBuffer target, int targetFrom, FloatBuffer source, int sourceFrom,
      int n) {
    float[][] t = Tiles.get();
    float[] a = t[0];
    float[] b = t[1];
    for (int done = 0; done < n; done += Tiles.SIZE) {
      int k = Math.min(Tiles.SIZE, n - done);
      target.get(targetFrom + done, a, 0, k);
      source.get(sourceFrom + done, b, 0, k);
      for (int i = 0; i < k; i++) {
        a[i] += b[i];
      }
      target.put(targetFrom + done, a, 0, k);
    }
  }

  /** {@code v[i] = v[i] / divisor} for i in [from, to) (a division, as Keras's mean computes it). */
  public static void divide(FloatBuffer v, int from, int to, int divisor) {
    divide(v, v, from, to, divisor);
  }

  /** {@code target[i] = source[i] / divisor} for i in [from, to). */
  public static void divide(FloatBuffer target, FloatBuffer source, int from, int to,
      int divisor) {
    float d = divisor;
    float[] a = Tiles.get()[0];
    for (int s = from; s < to; s += Tiles.SIZE) {
      int k = Math.min(Tiles.SIZE, to - s);
      source.get(s, a, 0, k);
      for (int i = 0; i < k; i++) {
        a[i] = a[i] / d;
      }
      target.put(s, a, 0, k);
    }
  }
}
