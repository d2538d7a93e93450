package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.data.NDArray;

/**
 * In-memory columns read one sample at a time into {@link HostValue}s: how {@code adapt} and
 * local {@code fit}/{@code predict} take Java arrays. A one-dimensional array gives samples of
 * shape {@code [1]} (Keras's {@code (batch, 1)} feature column); an array of arrays gives one
 * list per sample; an {@link NDArray} gives samples of its sample shape. A null string, or a null
 * row of an array of arrays, is a missing value.
 *
 * <pre>{@code
 * HostArrays col = HostArrays.of("column 'zip'", new String[] {"10115", null, "80331"});
 * HostValue v = new HostValue(col.kind());
 * col.read(1, v);                            // v: one missing string
 * }</pre>
 */
public final class HostArrays {
  private final String what;
  private final Object data;
  private final HostValue.Kind kind;
  private final int length;

  private HostArrays(String what, Object data, HostValue.Kind kind, int length) {
    this.what = what;
    this.data = data;
    this.kind = kind;
    this.length = length;
  }

  /**
   * Wraps {@code data}: {@code String[]}, {@code String[][]}, {@code long[]}, {@code int[]},
   * {@code boolean[]}, {@code long[][]}, {@code int[][]}, {@code float[]}, {@code double[]},
   * {@code float[][]}, {@code double[][]} or an {@link NDArray}.
   *
   * @param what names the data in error messages ("column 'zip'")
   */
  public static HostArrays of(String what, Object data) {
    if (data instanceof String[]) {
      return new HostArrays(what, data, HostValue.Kind.STRING, ((String[]) data).length);
    } else if (data instanceof String[][]) {
      return new HostArrays(what, data, HostValue.Kind.STRING, ((String[][]) data).length);
    } else if (data instanceof long[]) {
      return new HostArrays(what, data, HostValue.Kind.INT, ((long[]) data).length);
    } else if (data instanceof int[]) {
      return new HostArrays(what, data, HostValue.Kind.INT, ((int[]) data).length);
    } else if (data instanceof boolean[]) {
      return new HostArrays(what, data, HostValue.Kind.INT, ((boolean[]) data).length);
    } else if (data instanceof long[][]) {
      return new HostArrays(what, data, HostValue.Kind.INT, ((long[][]) data).length);
    } else if (data instanceof int[][]) {
      return new HostArrays(what, data, HostValue.Kind.INT, ((int[][]) data).length);
    } else if (data instanceof float[]) {
      return new HostArrays(what, data, HostValue.Kind.FLOAT, ((float[]) data).length);
    } else if (data instanceof double[]) {
      return new HostArrays(what, data, HostValue.Kind.FLOAT, ((double[]) data).length);
    } else if (data instanceof float[][]) {
      return new HostArrays(what, data, HostValue.Kind.FLOAT, ((float[][]) data).length);
    } else if (data instanceof double[][]) {
      return new HostArrays(what, data, HostValue.Kind.FLOAT, ((double[][]) data).length);
    } else if (data instanceof NDArray) {
      return new HostArrays(what, data, HostValue.Kind.FLOAT, ((NDArray) data).length());
    }
    throw new IllegalArgumentException(what + ": expected String[], String[][], long[], int[], "
        + "boolean[], long[][], int[][], float[], double[], float[][], double[][] or an NDArray, "
        + "found " + (data == null ? "null" : data.getClass().getSimpleName()));
  }

  private static void putLong(HostValue v, long x) {
    if (v.kind() == HostValue.Kind.INT) {
      v.addInt(x);
    } else {
      v.addFloat(x);
    }
  }

  private void put(HostValue v, double x, int row) {
    if (v.kind() == HostValue.Kind.FLOAT) {
      v.addFloat((float) x);
    } else if (x == Math.rint(x)) {
      v.addInt((long) x);
    } else {
      throw new IllegalArgumentException(what + ": sample " + row + " holds " + x
          + ", expected a whole number");
    }
  }

  /** Element type of every sample. */
  public HostValue.Kind kind() {
    return kind;
  }

  /** Number of samples. */
  public int length() {
    return length;
  }

  /** What the data is called in messages. */
  public String what() {
    return what;
  }

  /** The wrapped array. */
  public Object data() {
    return data;
  }

  /**
   * Writes sample {@code i} into {@code v}: strings into a string value; numbers into an integer
   * or float value (a float into an integer value must be a whole number).
   */
  public void read(int i, HostValue v) {
    if ((kind == HostValue.Kind.STRING) != (v.kind() == HostValue.Kind.STRING)) {
      throw new IllegalArgumentException(what + ": holds " + kind.dtype() + " values, expected "
          + v.kind().dtype());
    }
    v.reset();
    if (data instanceof Object[]) {
      Object row = ((Object[]) data)[i];
      if (row == null) {
        v.addMissing();
      } else {
        readRow(row, v, i);
      }
    } else if (data instanceof long[]) {
      putLong(v, ((long[]) data)[i]);
    } else if (data instanceof int[]) {
      put(v, ((int[]) data)[i], i);
    } else if (data instanceof boolean[]) {
      put(v, ((boolean[]) data)[i] ? 1 : 0, i);
    } else if (data instanceof float[]) {
      put(v, ((float[]) data)[i], i);
    } else if (data instanceof double[]) {
      put(v, (float) ((double[]) data)[i], i);
    } else {
      readNdArray((NDArray) data, i, v);
    }
  }

  /** A string of a {@code String[]}, or one row of an array of arrays. */
  private void readRow(Object row, HostValue v, int i) {
    if (row instanceof String) {
      v.addString((String) row);
    } else if (row instanceof String[]) {
      for (String s : (String[]) row) {
        if (s == null) {
          v.addMissing();
        } else {
          v.addString(s);
        }
      }
    } else if (row instanceof long[]) {
      for (long x : (long[]) row) {
        putLong(v, x);
      }
    } else if (row instanceof int[]) {
      for (int x : (int[]) row) {
        put(v, x, i);
      }
    } else if (row instanceof float[]) {
      for (float x : (float[]) row) {
        put(v, x, i);
      }
    } else {
      for (double x : (double[]) row) {
        put(v, (float) x, i);
      }
    }
  }

  private void readNdArray(NDArray a, int i, HostValue v) {
    int[] s = a.sampleShape();
    int n = a.sampleSize();
    if (s.length == 0 || v.kind() != HostValue.Kind.FLOAT) {
      for (int k = 0; k < Math.max(1, n); k++) {
        put(v, a.get(i, k), i);
      }
      return;
    }
    v.resize(s);
    System.arraycopy(a.data(), a.offset() + i * n, v.floats(), 0, n);
  }
}
