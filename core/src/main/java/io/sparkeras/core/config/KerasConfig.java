package io.sparkeras.core.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads and validates values of a Keras {@code get_config()} dictionary (parsed JSON: numbers,
 * booleans, strings, lists, nested maps). Every failure is an {@link IllegalArgumentException}
 * whose message names the owner, the key, what was expected and what was found, e.g.
 * {@code optimizer adam config 'beta_1': expected a number in [0, 1), found 1.5}.
 *
 * <pre>{@code
 * KerasConfig c = KerasConfig.of("optimizer sgd", config, Set.of("momentum", "nesterov"));
 * double momentum = c.number("momentum", 0.0, 0.0, true, 1.0, true);
 * boolean nesterov = c.bool("nesterov", false);
 * }</pre>
 */
public final class KerasConfig {
  private final String owner;
  private final Map<String, ?> map;

  private KerasConfig(String owner, Map<String, ?> map) {
    this.owner = owner;
    this.map = map;
  }

  /**
   * Wraps {@code map}, rejecting any key outside {@code allowedKeys} (a typo must not be
   * ignored silently).
   *
   * @param owner what the config configures, used in messages ("optimizer adam")
   */
  public static KerasConfig of(String owner, Map<String, ?> map, Collection<String> allowedKeys) {
    if (map == null) {
      throw new IllegalArgumentException(owner + " config: expected a map, found null");
    }
    for (String key : map.keySet()) {
      if (!allowedKeys.contains(key)) {
        throw new IllegalArgumentException(owner + " config '" + key + "': unknown key; expected one of "
            + new TreeSet<>(allowedKeys));
      }
    }
    return new KerasConfig(owner, map);
  }

  /** Whether the key is present with a non-null value. */
  public boolean has(String key) {
    return map.get(key) != null;
  }

  /** The raw value of a key, or null. */
  public Object raw(String key) {
    return map.get(key);
  }

  /** The owner given to {@link #of}, for messages. */
  public String owner() {
    return owner;
  }

  /**
   * A number in a range; absent or null gives {@code dflt} (which is not range checked).
   * Infinite bounds are written as {@code Double.NEGATIVE_INFINITY} / {@code POSITIVE_INFINITY}.
   * NaN is always rejected.
   */
  public double number(String key, double dflt, double lo, boolean loInclusive, double hi,
      boolean hiInclusive) {
    Object v = map.get(key);
    if (v == null) {
      return dflt;
    }
    return check(key, v, toNumber(key, v, lo, loInclusive, hi, hiInclusive), lo, loInclusive,
        hi, hiInclusive);
  }

  /** A required number in a range (see {@link #number(String, double, double, boolean, double, boolean)}). */
  public double requiredNumber(String key, double lo, boolean loInclusive, double hi,
      boolean hiInclusive) {
    Object v = map.get(key);
    if (v == null) {
      throw fail(key, rangeText(lo, loInclusive, hi, hiInclusive), "nothing (the key is required)");
    }
    return check(key, v, toNumber(key, v, lo, loInclusive, hi, hiInclusive), lo, loInclusive,
        hi, hiInclusive);
  }

  /** A boolean; absent or null gives {@code dflt}. */
  public boolean bool(String key, boolean dflt) {
    Object v = map.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Boolean) {
      return (Boolean) v;
    }
    throw fail(key, "true or false", describe(v));
  }

  /** Checks {@code value} against a range, failing with a message naming {@code key}. */
  public double checkRange(String key, double value, double lo, boolean loInclusive, double hi,
      boolean hiInclusive) {
    return check(key, value, value, lo, loInclusive, hi, hiInclusive);
  }

  private double check(String key, Object raw, double value, double lo, boolean loInclusive,
      double hi, boolean hiInclusive) {
    boolean ok = (loInclusive ? value >= lo : value > lo) && (hiInclusive ? value <= hi : value < hi);
    if (!ok) {
      throw fail(key, rangeText(lo, loInclusive, hi, hiInclusive), describe(raw));
    }
    return value;
  }

  /** An {@link IllegalArgumentException} in this config's message format. */
  public IllegalArgumentException fail(String key, String expected, String found) {
    return new IllegalArgumentException(owner + " config '" + key + "': expected " + expected
        + ", found " + found);
  }

  private double toNumber(String key, Object v, double lo, boolean loInclusive, double hi,
      boolean hiInclusive) {
    if (v instanceof Number) {
      return ((Number) v).doubleValue();
    }
    throw fail(key, rangeText(lo, loInclusive, hi, hiInclusive), describe(v));
  }

  /** "a number in [0, 1)", "a number >= 0", "a number > 0", "a number". */
  public static String rangeText(double lo, boolean loInclusive, double hi, boolean hiInclusive) {
    boolean hasLo = lo != Double.NEGATIVE_INFINITY;
    boolean hasHi = hi != Double.POSITIVE_INFINITY;
    if (hasLo && hasHi) {
      return "a number in " + (loInclusive ? "[" : "(") + fmt(lo) + ", " + fmt(hi)
          + (hiInclusive ? "]" : ")");
    }
    if (hasLo) {
      return "a number " + (loInclusive ? ">= " : "> ") + fmt(lo);
    }
    if (hasHi) {
      return "a number " + (hiInclusive ? "<= " : "< ") + fmt(hi);
    }
    return "a finite number";
  }

  /** Formats a found value for a message: as written (1.0 stays "1.0"), strings quoted. */
  public static String describe(Object v) {
    if (v instanceof String) {
      return "'" + v + "'";
    }
    return String.valueOf(v);
  }

  private static String fmt(double d) {
    if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
      return String.format(Locale.ROOT, "%d", (long) d);
    }
    return String.valueOf(d);
  }

  /** Union of key sets, for building the allowed keys of a config. */
  @SafeVarargs
  public static Set<String> keys(Collection<String>... parts) {
    Set<String> all = new TreeSet<>();
    for (Collection<String> p : parts) {
      all.addAll(p);
    }
    return all;
  }
}
