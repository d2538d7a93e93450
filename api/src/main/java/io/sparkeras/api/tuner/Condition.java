package io.sparkeras.api.tuner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * "Active only when parameter {@code parent} takes one of {@code values}": KerasTuner's
 * {@code conditions.Parent}, made by {@link HyperParameters#conditionalScope}.
 *
 * <pre>{@code
 * if (hp.choice("model", "mlp", "cnn").equals("cnn")) {
 *   try (HyperParameters.Scope s = hp.conditionalScope("model", "cnn")) {
 *     filters = hp.intRange("filters", 16, 64, 16);   // carries Condition(model in [cnn])
 *   }
 * }
 * }</pre>
 */
public final class Condition {
  private final String parent;
  private final List<Object> values;

  /** Active when {@code parent}'s value is one of {@code values}. */
  public Condition(String parent, List<?> values) {
    if (parent == null || parent.isEmpty()) {
      throw new IllegalArgumentException("condition: expected a parent name, found "
          + (parent == null ? "null" : "''"));
    }
    if (values == null || values.isEmpty()) {
      throw new IllegalArgumentException("condition on '" + parent
          + "': expected at least one parent value");
    }
    this.parent = parent;
    this.values = List.copyOf(values);
  }

  public String parent() {
    return parent;
  }

  public List<Object> values() {
    return values;
  }

  /** Whether the parent has a value among {@link #values()} in {@code current}. */
  public boolean isActive(Map<String, Object> current) {
    Object v = current.get(parent);
    if (v == null) {
      return false;
    }
    for (Object want : values) {
      if (HyperParameter.sameValue(want, v)) {
        return true;
      }
    }
    return false;
  }

  /** KerasTuner's JSON: {@code {"class_name": "Parent", "config": {"name", "values"}}}. */
  public Map<String, Object> toJson() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("name", parent);
    config.put("values", new ArrayList<>(values));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("class_name", "Parent");
    m.put("config", config);
    return m;
  }

  /** Reads {@link #toJson()}'s form; {@code where} names it in errors. */
  static Condition fromJson(Object json, String where) {
    Map<String, Object> m = JsonValues.map(json, where);
    Object cls = m.get("class_name");
    if (!"Parent".equals(cls)) {
      throw new IllegalArgumentException(where + ".class_name: expected 'Parent', found "
          + JsonValues.describe(cls));
    }
    Map<String, Object> c = JsonValues.map(m.get("config"), where + ".config");
    return new Condition(JsonValues.string(c.get("name"), where + ".config.name"),
        JsonValues.list(c.get("values"), where + ".config.values"));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Condition && ((Condition) o).parent.equals(parent)
        && ((Condition) o).values.equals(values);
  }

  @Override
  public int hashCode() {
    return parent.hashCode() * 31 + values.hashCode();
  }

  @Override
  public String toString() {
    return parent + " in " + values;
  }
}
