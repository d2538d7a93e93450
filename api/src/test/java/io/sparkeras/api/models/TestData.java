package io.sparkeras.api.models;

import io.sparkeras.api.data.NDArray;
import java.util.SplittableRandom;

/** Small synthetic data sets for model tests. */
public final class TestData {
  private TestData() {}

  /** {@code n} points in {@code dims} dimensions, 3 classes separated by a linear rule. */
  public static NDArray[] threeClasses(int n, int dims, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n * dims];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int d = 0; d < dims; d++) {
        float v = (float) (r.nextDouble() * 2 - 1);
        x[i * dims + d] = v;
        s += (d % 2 == 0 ? 1 : -0.5) * v;
      }
      y[i] = s < -0.3 ? 0 : s < 0.3 ? 1 : 2;
    }
    return new NDArray[] {NDArray.of(x, n, dims), NDArray.of(y, n)};
  }
}
