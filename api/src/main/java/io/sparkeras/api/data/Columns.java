package io.sparkeras.api.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named in-memory columns of raw values, one element per sample: what a model with
 * preprocessing layers takes locally in place of {@link NDArray}s (Keras's dict of NumPy
 * arrays). A column is a {@code String[]}, {@code String[][]}, {@code long[]}, {@code int[]},
 * {@code boolean[]}, {@code long[][]}, {@code int[][]}, {@code float[]}, {@code double[]},
 * {@code float[][]}, {@code double[][]} or an {@link NDArray}; a null string is a missing value.
 * Every column has the same number of samples.
 *
 * <pre>{@code
 * Columns x = Columns.of("age", new float[] {39, 50})
 *     .with("occupation", new String[] {"Adm-clerical", "Exec-managerial"});
 * NDArray p = model.predict(x);
 * }</pre>
 */
public final class Columns {
  private final Map<String, Object> columns;
  private final int length;

  private Columns(Map<String, Object> columns, int length) {
    this.columns = columns;
    this.length = length;
  }

  /** One column. */
  public static Columns of(String name, Object values) {
    return new Columns(new LinkedHashMap<>(), -1).with(name, values);
  }

  /** These columns plus one more (a new object; this one is unchanged). */
  public Columns with(String name, Object values) {
    int n = lengthOf(name, values);
    if (length >= 0 && n != length) {
      throw new IllegalArgumentException("Columns: column '" + name + "' has " + n
          + " samples, the others " + length);
    }
    if (columns.containsKey(name)) {
      throw new IllegalArgumentException("Columns: column '" + name + "' is given twice");
    }
    Map<String, Object> m = new LinkedHashMap<>(columns);
    m.put(name, values);
    return new Columns(m, n);
  }

  private static int lengthOf(String name, Object v) {
    if (v instanceof Object[]) {
      return ((Object[]) v).length;
    } else if (v instanceof long[]) {
      return ((long[]) v).length;
    } else if (v instanceof int[]) {
      return ((int[]) v).length;
    } else if (v instanceof boolean[]) {
      return ((boolean[]) v).length;
    } else if (v instanceof float[]) {
      return ((float[]) v).length;
    } else if (v instanceof double[]) {
      return ((double[]) v).length;
    } else if (v instanceof NDArray) {
      return ((NDArray) v).length();
    }
    throw new IllegalArgumentException("Columns: column '" + name + "': expected an array or an "
        + "NDArray, found " + (v == null ? "null" : v.getClass().getSimpleName()));
  }

  /** Number of samples. */
  public int length() {
    return length;
  }

  /** Column names, in order. */
  public List<String> names() {
    return Collections.unmodifiableList(new ArrayList<>(columns.keySet()));
  }

  public boolean has(String name) {
    return columns.containsKey(name);
  }

  /** The array of column {@code name}; throws naming the columns there are when absent. */
  public Object get(String name) {
    Object v = columns.get(name);
    if (v == null) {
      throw new IllegalArgumentException("Columns: no column '" + name + "'; there are "
          + columns.keySet());
    }
    return v;
  }

  @Override
  public String toString() {
    return "Columns" + columns.keySet() + "[" + length + "]";
  }
}
