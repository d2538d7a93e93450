package io.sparkeras.api.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of a Keras config object ({@code layer.get_config()} and friends), with errors that
 * name the object, the key, what was expected and what was found.
 *
 * <pre>{@code
 * Config c = new Config("Dense 'dense_1'", map);
 * int units = c.getInt("units");
 * String act = c.getString("activation", "linear");
 * }</pre>
 */
public final class Config {
  private final String owner;
  private final Map<String, Object> map;

  public Config(String owner, Map<String, Object> map) {
    this.owner = owner;
    this.map = map == null ? Map.of() : map;
  }

  public Map<String, Object> map() {
    return map;
  }

  public boolean has(String key) {
    return map.get(key) != null;
  }

  private IllegalArgumentException wrong(String key, String expected, Object found) {
    return new IllegalArgumentException(owner + ": config key '" + key + "' expected " + expected
        + ", found " + (found == null ? "nothing" : found));
  }

  public Object get(String key) {
    return map.get(key);
  }

  public int getInt(String key) {
    Object v = map.get(key);
    if (v instanceof Number && ((Number) v).doubleValue() == Math.rint(((Number) v).doubleValue())) {
      return ((Number) v).intValue();
    }
    throw wrong(key, "an integer", v);
  }

  public int getInt(String key, int dflt) {
    return has(key) ? getInt(key) : dflt;
  }

  public double getDouble(String key) {
    Object v = map.get(key);
    if (v instanceof Number) {
      return ((Number) v).doubleValue();
    }
    throw wrong(key, "a number", v);
  }

  public double getDouble(String key, double dflt) {
    return has(key) ? getDouble(key) : dflt;
  }

  public boolean getBoolean(String key, boolean dflt) {
    Object v = map.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Boolean) {
      return (Boolean) v;
    }
    throw wrong(key, "true or false", v);
  }

  public String getString(String key, String dflt) {
    Object v = map.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof String) {
      return (String) v;
    }
    throw wrong(key, "a string", v);
  }

  public String getString(String key) {
    String s = getString(key, null);
    if (s == null) {
      throw wrong(key, "a string", null);
    }
    return s;
  }

  /**
   * An int tuple such as {@code kernel_size}: a list of integers (nulls become -1), or a single
   * integer repeated {@code n} times.
   */
  public int[] getInts(String key, int n) {
    Object v = map.get(key);
    if (v instanceof Number) {
      int[] r = new int[n];
      java.util.Arrays.fill(r, getInt(key));
      return r;
    }
    if (v instanceof List) {
      List<?> l = (List<?>) v;
      if (n >= 0 && l.size() != n) {
        throw wrong(key, n + " integers", v);
      }
      int[] r = new int[l.size()];
      for (int i = 0; i < r.length; i++) {
        Object e = l.get(i);
        if (e == null) {
          r[i] = -1;
        } else if (e instanceof Number) {
          r[i] = ((Number) e).intValue();
        } else {
          throw wrong(key, "a list of integers", v);
        }
      }
      return r;
    }
    throw wrong(key, n < 0 ? "a list of integers" : n + " integers", v);
  }

  @SuppressWarnings("unchecked")
  public Map<String, Object> getMap(String key) {
    Object v = map.get(key);
    if (v == null) {
      return null;
    }
    if (v instanceof Map) {
      return (Map<String, Object>) v;
    }
    throw wrong(key, "an object", v);
  }

  /** A list of ints for JSON, with -1 written as null (Keras's None). */
  public static List<Object> shapeList(int[] dims) {
    List<Object> l = new ArrayList<>(dims.length);
    for (int d : dims) {
      l.add(d < 0 ? null : d);
    }
    return l;
  }

  /** A fresh ordered map for building configs. */
  public static Map<String, Object> newMap() {
    return new LinkedHashMap<>();
  }
}
