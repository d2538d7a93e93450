package io.sparkeras.core.constraints;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A constraint on one range of a flat parameter vector, as plain data: where the variable starts,
 * its shape, the Keras constraint name and its config (numbers, and integer lists for
 * {@code axis}). This is what the parameter server receives with its optimizer config; it knows
 * nothing of layers. {@link #build()} validates it into a {@link FlatConstraint}.
 *
 * <p>Text form, for command lines: {@code FROM:D0xD1x...:NAME[:KEY=VALUE,KEY=VALUE]}, list values
 * joined by {@code |}:
 *
 * <pre>{@code
 * RangeConstraint c = RangeConstraint.parse("0:784x128:max_norm:max_value=2,axis=0");
 * RangeConstraint same = new RangeConstraint(0, new int[] {784, 128}, "max_norm",
 *     Map.of("max_value", 2.0, "axis", 0));
 * c.build().apply(params, c.from());
 * }</pre>
 */
public final class RangeConstraint {
  private final int from;
  private final int[] shape;
  private final String name;
  private final Map<String, Object> config;

  /** Validates the name, shape and config at once (see {@link Constraints#create}). */
  public RangeConstraint(int from, int[] shape, String name, Map<String, ?> config) {
    if (from < 0) {
      throw new IllegalArgumentException("constraint range: expected a start >= 0, found " + from);
    }
    this.from = from;
    this.shape = shape.clone();
    this.name = name;
    this.config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
    build();
  }

  /** First float of the variable in the flat vector. */
  public int from() {
    return from;
  }

  /** One past its last float. */
  public int to() {
    return from + size();
  }

  /** Number of floats. */
  public int size() {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  public int[] shape() {
    return shape.clone();
  }

  public String name() {
    return name;
  }

  public Map<String, Object> config() {
    return config;
  }

  /** The same constraint on a range {@code delta} floats earlier (a shard's local view). */
  public RangeConstraint shifted(int delta) {
    return new RangeConstraint(from - delta, shape, name, config);
  }

  /** A new {@link FlatConstraint} (each owner builds its own: they keep scratch state). */
  public FlatConstraint build() {
    return Constraints.create(name, config, shape);
  }

  /** Applies the constraint to {@code values[from, to)}. */
  public void applyOnce(FloatBuffer values) {
    build().apply(values, from);
  }

  /** Parses the text form {@code FROM:D0xD1:NAME[:KEY=VALUE,...]} (lists as {@code 0|1}). */
  public static RangeConstraint parse(String text) {
    String[] parts = text.split(":", 4);
    if (parts.length < 3) {
      throw new IllegalArgumentException("constraint '" + text + "': expected "
          + "FROM:D0xD1...:NAME[:KEY=VALUE,...]");
    }
    try {
      int from = Integer.parseInt(parts[0].trim());
      String[] dims = parts[1].trim().isEmpty() ? new String[0] : parts[1].trim().split("x");
      int[] shape = new int[dims.length];
      for (int i = 0; i < dims.length; i++) {
        shape[i] = Integer.parseInt(dims[i]);
      }
      Map<String, Object> config = new LinkedHashMap<>();
      if (parts.length == 4 && !parts[3].isEmpty()) {
        for (String kv : parts[3].split(",")) {
          int eq = kv.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("expected KEY=VALUE, found '" + kv + "'");
          }
          String v = kv.substring(eq + 1);
          if (v.contains("|")) {
            List<Object> l = new ArrayList<>();
            for (String e : v.split("\\|")) {
              l.add(Integer.parseInt(e));
            }
            config.put(kv.substring(0, eq), l);
          } else {
            config.put(kv.substring(0, eq), Double.parseDouble(v));
          }
        }
      }
      return new RangeConstraint(from, shape, parts[2].trim(), config);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("constraint '" + text + "': " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("constraint '" + text + "': " + e.getMessage(), e);
    }
  }

  /** The text form {@link #parse} reads. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder().append(from).append(':');
    for (int i = 0; i < shape.length; i++) {
      b.append(i == 0 ? "" : "x").append(shape[i]);
    }
    b.append(':').append(name);
    String sep = ":";
    for (Map.Entry<String, Object> e : config.entrySet()) {
      b.append(sep).append(e.getKey()).append('=');
      Object v = e.getValue();
      if (v instanceof List) {
        List<?> l = (List<?>) v;
        for (int i = 0; i < l.size(); i++) {
          b.append(i == 0 ? "" : "|").append(((Number) l.get(i)).intValue());
        }
      } else if (v instanceof Number && ((Number) v).doubleValue()
          == Math.rint(((Number) v).doubleValue())) {
        b.append(((Number) v).longValue());
      } else {
        b.append(v);
      }
      sep = ",";
    }
    return b.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RangeConstraint && ((RangeConstraint) o).from == from
        && Arrays.equals(((RangeConstraint) o).shape, shape) && ((RangeConstraint) o).name
        .equals(name) && ((RangeConstraint) o).config.equals(config);
  }

  @Override
  public int hashCode() {
    return (from * 31 + Arrays.hashCode(shape)) * 31 + name.hashCode();
  }
}
