package io.sparkeras.bench.scale;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings of one command to a simulated host, as one line of {@code key=value} words (no
 * spaces inside values): what the orchestrator writes to a host JVM's stdin and the host reads
 * back. Every getter names the key when it is missing or malformed.
 *
 * <pre>{@code
 * SimSettings s = new SimSettings().put("workers", 4).put("mode", "sync");
 * String line = "worker " + s;                       // worker workers=4 mode=sync
 * SimSettings back = SimSettings.parse(line.substring(7));
 * int n = back.integer("workers");
 * }</pre>
 */
public final class SimSettings {
  private final Map<String, String> values = new LinkedHashMap<>();

  /** Reads {@code k=v k=v ...}. */
  public static SimSettings parse(String line) {
    SimSettings s = new SimSettings();
    for (String word : line.trim().split("\\s+")) {
      if (word.isEmpty()) {
        continue;
      }
      int eq = word.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("simulated host: expected key=value, found '" + word
            + "'");
      }
      s.values.put(word.substring(0, eq), word.substring(eq + 1));
    }
    return s;
  }

  public SimSettings put(String key, Object value) {
    String v = String.valueOf(value);
    if (v.isEmpty() || v.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("simulated host setting '" + key
          + "': a value without spaces is required, found '" + v + "'");
    }
    values.put(key, v);
    return this;
  }

  public String string(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("simulated host setting '" + key + "' is missing");
    }
    return v;
  }

  public String string(String key, String dflt) {
    return values.getOrDefault(key, dflt);
  }

  public int integer(String key) {
    return (int) number(key);
  }

  public long number(String key) {
    try {
      return Long.parseLong(string(key));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("simulated host setting '" + key
          + "': expected an integer, found '" + values.get(key) + "'");
    }
  }

  public double real(String key) {
    try {
      return Double.parseDouble(string(key));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("simulated host setting '" + key
          + "': expected a number, found '" + values.get(key) + "'");
    }
  }

  public boolean flag(String key) {
    String v = string(key);
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException("simulated host setting '" + key
          + "': expected true or false, found '" + v + "'");
    }
    return v.equals("true");
  }

  /** A comma-separated list of integers. */
  public long[] numbers(String key) {
    String[] parts = string(key).split(",");
    long[] out = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Long.parseLong(parts[i]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("simulated host setting '" + key
            + "': expected comma-separated integers, found '" + parts[i] + "'");
      }
    }
    return out;
  }

  /** Joins integers for {@link #numbers}. */
  public static String join(long[] values) {
    StringBuilder sb = new StringBuilder();
    for (long v : values) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(v);
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    values.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v));
    return sb.toString();
  }
}
