package io.sparkeras.api.layers;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.backend.Tensor;

/** Small helpers for known-value layer tests. */
public final class LayerTesting {
  private LayerTesting() {}

  /** Output of one eager call (built on first use) on a constant input. */
  public static float[] run(Layer layer, boolean training, float[] x, int... shape) {
    try (Scope s = Backends.current().scope(false)) {
      return layer.apply(Backends.ops().constant(x, shape), training).toFloatArray();
    }
  }

  /** Full output shape (batch included) of one eager call. */
  public static int[] shapeOf(Layer layer, int... shape) {
    try (Scope s = Backends.current().scope(false)) {
      Tensor y = layer.apply(Backends.ops().zeros(shape), false);
      return y.shape();
    }
  }

  /** 1, 2, ..., n. */
  public static float[] range(int n) {
    float[] r = new float[n];
    for (int i = 0; i < n; i++) {
      r[i] = i + 1;
    }
    return r;
  }

  /** n copies of v. */
  public static float[] filled(int n, float v) {
    float[] r = new float[n];
    java.util.Arrays.fill(r, v);
    return r;
  }
}
