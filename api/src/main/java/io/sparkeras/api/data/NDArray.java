package io.sparkeras.api.data;

import java.util.Arrays;

/**
 * An in-memory float32 array with a shape whose first dimension is the number of samples, the
 * JVM stand-in for the NumPy arrays Keras's {@code fit} takes. Row-major; no copy is made of the
 * data given.
 *
 * <pre>{@code
 * NDArray x = NDArray.of(pixels, 60000, 28, 28, 1);
 * NDArray y = NDArray.ofLabels(labels);            // int[] -> shape [n]
 * NDArray first = x.rows(0, 128);
 * }</pre>
 */
public final class NDArray {
  private final float[] data;
  private final int[] shape;
  private final int offset;

  private NDArray(float[] data, int offset, int[] shape) {
    this.data = data;
    this.offset = offset;
    this.shape = shape;
  }

  /** Wraps {@code data} with this shape (first dimension = samples). */
  public static NDArray of(float[] data, int... shape) {
    if (shape.length == 0) {
      throw new IllegalArgumentException("NDArray: shape needs at least the sample dimension");
    }
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("NDArray: negative dimension in shape "
            + Arrays.toString(shape));
      }
      n *= d;
    }
    if (n != data.length) {
      throw new IllegalArgumentException("NDArray: shape " + Arrays.toString(shape) + " holds " + n
          + " values, data has " + data.length);
    }
    return new NDArray(data, 0, shape.clone());
  }

  /** Integer labels as a {@code [n]} array. */
  public static NDArray ofLabels(int[] labels) {
    float[] f = new float[labels.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = labels[i];
    }
    return new NDArray(f, 0, new int[] {labels.length});
  }

  /** Rows given as arrays of equal length: shape {@code [rows, cols]}. */
  public static NDArray ofRows(float[][] rows) {
    int cols = rows.length == 0 ? 0 : rows[0].length;
    float[] f = new float[rows.length * cols];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != cols) {
        throw new IllegalArgumentException("NDArray: row " + i + " has " + rows[i].length
            + " values, row 0 has " + cols);
      }
      System.arraycopy(rows[i], 0, f, i * cols, cols);
    }
    return new NDArray(f, 0, new int[] {rows.length, cols});
  }

  /** Number of samples. */
  public int length() {
    return shape[0];
  }

  /** The full shape. */
  public int[] shape() {
    return shape.clone();
  }

  /** One sample's shape (batch dimension dropped). */
  public int[] sampleShape() {
    return Arrays.copyOfRange(shape, 1, shape.length);
  }

  /** Values per sample. */
  public int sampleSize() {
    int n = 1;
    for (int i = 1; i < shape.length; i++) {
      n *= shape[i];
    }
    return n;
  }

  /** The backing array (shared, not copied); the samples start at {@link #offset()}. */
  public float[] data() {
    return data;
  }

  /** Where sample 0 starts in {@link #data()}. */
  public int offset() {
    return offset;
  }

  /** A view of samples {@code [from, to)}. */
  public NDArray rows(int from, int to) {
    if (from < 0 || to > shape[0] || from > to) {
      throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") of " + shape[0]);
    }
    int[] s = shape.clone();
    s[0] = to - from;
    return new NDArray(data, offset + from * sampleSize(), s);
  }

  /** One value of sample {@code row} at flat position {@code col}. */
  public float get(int row, int col) {
    return data[offset + row * sampleSize() + col];
  }

  /** A compact copy of the values. */
  public float[] toArray() {
    int n = shape[0] * sampleSize();
    return Arrays.copyOfRange(data, offset, offset + n);
  }

  @Override
  public String toString() {
    return "NDArray" + Arrays.toString(shape);
  }
}
