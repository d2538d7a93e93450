package io.sparkeras.api.layers.preprocessing;

import java.util.Arrays;

/**
 * One array of a layer's saved state, as Keras's weights store holds it (a variable's value
 * under a key such as {@code "0"} or {@code "idf_weights"}): a shape and float32 or int64
 * values.
 *
 * <pre>{@code
 * StoredArray mean = StoredArray.floats(new int[] {3}, new float[] {1, 2, 3});
 * StoredArray count = StoredArray.ints(new int[0], new long[] {0});
 * }</pre>
 */
public record StoredArray(int[] shape, float[] floats, long[] ints) {
  public StoredArray {
    shape = shape.clone();
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    int have = floats != null ? floats.length : ints != null ? ints.length : -1;
    if (have != n || (floats == null) == (ints == null)) {
      throw new IllegalArgumentException("stored array of shape " + Arrays.toString(shape)
          + ": expected " + n + " float32 or int64 values");
    }
  }

  public static StoredArray floats(int[] shape, float[] values) {
    return new StoredArray(shape, values.clone(), null);
  }

  public static StoredArray ints(int[] shape, long[] values) {
    return new StoredArray(shape, null, values.clone());
  }

  /** Whether the values are int64 (else float32). */
  public boolean isInt() {
    return ints != null;
  }

  /** The values as float32 (int64 values converted). */
  public float[] asFloats() {
    if (floats != null) {
      return floats.clone();
    }
    float[] f = new float[ints.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = ints[i];
    }
    return f;
  }

  /** Number of values. */
  public int size() {
    return floats != null ? floats.length : ints.length;
  }
}
