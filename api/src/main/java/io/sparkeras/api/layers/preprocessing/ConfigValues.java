package io.sparkeras.api.layers.preprocessing;

import java.util.ArrayList;
import java.util.List;

/** Numbers to and from the forms Keras writes in configs (a number, or a list of them). */
final class ConfigValues {
  private ConfigValues() {}

  /** A list of doubles as a config list. */
  static List<Object> list(double... values) {
    List<Object> l = new ArrayList<>(values.length);
    for (double v : values) {
      l.add(v);
    }
    return l;
  }

  /** One number as itself, several as a list (Keras's scalar-or-list arguments). */
  static Object scalarOrList(double[] values) {
    return values.length == 1 ? (Object) values[0] : list(values);
  }

  /** Every number in a number or a (nested) list, in order. */
  static double[] doubles(Object o, String what) {
    List<Double> out = new ArrayList<>();
    collect(o, out, what);
    double[] d = new double[out.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = out.get(i);
    }
    return d;
  }

  private static void collect(Object o, List<Double> out, String what) {
    if (o instanceof Number) {
      out.add(((Number) o).doubleValue());
    } else if (o instanceof List) {
      for (Object x : (List<?>) o) {
        collect(x, out, what);
      }
    } else {
      throw new IllegalArgumentException(what + ": expected numbers, found " + o);
    }
  }

  /** {@link #doubles} rounded to float32. */
  static float[] floats(Object o, String what) {
    double[] d = doubles(o, what);
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }
}
