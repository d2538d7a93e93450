package io.sparkeras.driver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which DataFrame column(s) feed which model input (or output), by the input's name, as
 * Keras's dicts of inputs and targets: {@code image=img_col,meta=meta_col}. A model with one
 * input may be given its column(s) without a name ({@code pixels}, or several numeric columns
 * {@code a,b,c}); a model with several needs every input named, each with one column. The same
 * for the targets of outputs ({@code cls=label,reg=target}).
 *
 * <pre>{@code
 * Map<String, List<String>> in = ColumnMapping.of(model.inputNames(),
 *     List.of("image=img_col", "meta=meta_col"), "features", "input");
 * String text = ColumnMapping.text(Map.of("cls", "label"));   // "cls=label"
 * }</pre>
 */
public final class ColumnMapping {
  private ColumnMapping() {}

  /** The entries of a comma-separated text ({@code a,b} or {@code in=col,in2=col2}). */
  public static List<String> split(String text) {
    List<String> out = new ArrayList<>();
    for (String s : text.split(",")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }

  /** The text form of a mapping by name ({@code in=col,in2=col2}), in the map's order. */
  static List<String> entries(Map<String, String> byName) {
    List<String> out = new ArrayList<>();
    byName.forEach((name, column) -> {
      if (name == null || name.isBlank() || column == null || column.isBlank()) {
        throw new IllegalArgumentException("column mapping: expected a name and a column, "
            + "found " + name + "=" + column);
      }
      out.add(name + "=" + column);
    });
    return out;
  }

  /**
   * Each of {@code names} (the model's inputs or outputs, in order) with its column(s).
   *
   * @param role "features" or "label", for messages
   * @param what "input" or "output", for messages
   */
  public static Map<String, List<String>> of(List<String> names, List<String> given, String role,
      String what) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    boolean named = given.stream().anyMatch(g -> g.contains("="));
    if (!named) {
      if (names.size() != 1) {
        throw new IllegalArgumentException(role + " " + given + ": the model has " + names.size()
            + " " + what + "s " + names + "; map each to a column by name, e.g. "
            + example(names));
      }
      out.put(names.get(0), List.copyOf(given));
      return out;
    }
    Map<String, String> byName = new LinkedHashMap<>();
    for (String g : given) {
      int eq = g.indexOf('=');
      if (eq <= 0 || eq == g.length() - 1) {
        throw new IllegalArgumentException(role + ": expected " + what + "=column, found '" + g
            + "'");
      }
      String name = g.substring(0, eq).trim();
      if (!names.contains(name)) {
        throw new IllegalArgumentException(role + ": '" + name + "' is not an " + what
            + " of the model; its " + what + "s are " + names);
      }
      if (byName.put(name, g.substring(eq + 1).trim()) != null) {
        throw new IllegalArgumentException(role + ": " + what + " '" + name + "' given twice");
      }
    }
    for (String name : names) {
      String column = byName.get(name);
      if (column == null) {
        throw new IllegalArgumentException(role + ": no column for " + what + " '" + name
            + "'; expected one for each of " + names);
      }
      out.put(name, List.of(column));
    }
    return out;
  }

  private static String example(List<String> names) {
    StringBuilder sb = new StringBuilder();
    for (String n : names) {
      sb.append(sb.length() == 0 ? "" : ",").append(n).append("=").append(n).append("_col");
    }
    return sb.toString();
  }
}
