package io.sparkeras.api.tuner;

import java.util.List;
import java.util.Map;

/** Typed reads of parsed JSON values whose errors name the value's path and what was expected. */
final class JsonValues {
  private JsonValues() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object v, String where) {
    if (v instanceof Map) {
      return (Map<String, Object>) v;
    }
    throw new IllegalArgumentException(where + ": expected an object, found " + describe(v));
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object v, String where) {
    if (v instanceof List) {
      return (List<Object>) v;
    }
    throw new IllegalArgumentException(where + ": expected a list, found " + describe(v));
  }

  static String string(Object v, String where) {
    if (v instanceof String) {
      return (String) v;
    }
    throw new IllegalArgumentException(where + ": expected a string, found " + describe(v));
  }

  static double number(Object v, String where) {
    if (v instanceof Number) {
      double d = ((Number) v).doubleValue();
      if (Double.isFinite(d)) {
        return d;
      }
    }
    throw new IllegalArgumentException(where + ": expected a finite number, found " + describe(v));
  }

  /** A double for JSON: finite numbers as numbers, NaN and infinities as strings. */
  static Object encode(double d) {
    return Double.isFinite(d) ? (Object) d : String.valueOf(d);
  }

  /** Reads {@link #encode}'s form. */
  static double decode(Object v, String where) {
    if (v instanceof String && List.of("NaN", "Infinity", "-Infinity").contains(v)) {
      return Double.parseDouble((String) v);
    }
    if (v instanceof Number) {
      return ((Number) v).doubleValue();
    }
    throw new IllegalArgumentException(where + ": expected a number, found " + describe(v));
  }

  /** A whole number that fits an int (JSON {@code 32} or {@code 32.0}). */
  static int integer(Object v, String where) {
    if (v instanceof Number) {
      double d = ((Number) v).doubleValue();
      if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
        return (int) d;
      }
    }
    throw new IllegalArgumentException(where + ": expected a whole number, found " + describe(v));
  }

  static boolean bool(Object v, String where) {
    if (v instanceof Boolean) {
      return (Boolean) v;
    }
    throw new IllegalArgumentException(where + ": expected true or false, found " + describe(v));
  }

  /** How a value reads in an error message: {@code 'relu'}, {@code 3}, {@code null}, {@code a list}. */
  static String describe(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String) {
      return "'" + v + "'";
    }
    if (v instanceof Map) {
      return "an object";
    }
    if (v instanceof List) {
      return "a list";
    }
    return String.valueOf(v);
  }
}
