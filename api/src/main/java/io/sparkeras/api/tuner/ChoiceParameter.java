package io.sparkeras.api.tuner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One of a list of values of one type: strings, whole numbers, real numbers or booleans
 * (KerasTuner's {@code hp.Choice}). The default is the first value unless set; numeric choices
 * are {@code ordered} (the Gaussian process treats them as a scale) unless said otherwise.
 *
 * <pre>{@code
 * String act = hp.choice("activation", "relu", "gelu", "tanh");
 * int batch = hp.choice("batch_size", 32, 64, 128);
 * String opt = hp.value(ChoiceParameter.of("optimizer", List.of("adam", "sgd")).defaultValue("sgd"));
 * }</pre>
 */
public final class ChoiceParameter extends HyperParameter {
  private final List<Object> values;
  private final Object defaultValue;
  private final boolean ordered;

  private ChoiceParameter(String name, List<?> values, Object defaultValue, Boolean ordered) {
    super(name);
    if (values == null || values.isEmpty()) {
      throw new IllegalArgumentException("Choice '" + name + "' values: expected a non-empty list");
    }
    List<Object> vs = new ArrayList<>();
    Class<?> kind = kindOf(values.get(0), name);
    for (Object v : values) {
      Class<?> k = kindOf(v, name);
      if (k != kind) {
        throw new IllegalArgumentException("Choice '" + name + "' values: expected values of one "
            + "type, found " + JsonValues.describe(values.get(0)) + " and " + JsonValues.describe(v));
      }
      Object c = kind == Integer.class ? Integer.valueOf(((Number) v).intValue())
          : kind == Double.class ? Double.valueOf(((Number) v).doubleValue()) : v;
      for (Object seen : vs) {
        if (sameValue(seen, c)) {
          throw new IllegalArgumentException("Choice '" + name + "' values: "
              + JsonValues.describe(c) + " appears twice");
        }
      }
      vs.add(c);
    }
    this.values = List.copyOf(vs);
    boolean numeric = kind == Integer.class || kind == Double.class;
    if (ordered != null && ordered && !numeric) {
      throw new IllegalArgumentException("Choice '" + name + "' ordered: only numeric values can "
          + "be ordered");
    }
    this.ordered = ordered != null ? ordered : numeric;
    this.defaultValue = defaultValue == null ? null : find(defaultValue, "Choice '" + name
        + "' default");
  }

  private static Class<?> kindOf(Object v, String name) {
    if (v instanceof String || v instanceof Boolean) {
      return v.getClass();
    }
    if (v instanceof Number) {
      double d = ((Number) v).doubleValue();
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("Choice '" + name + "' values: expected finite "
            + "numbers, found " + d);
      }
      return v instanceof Integer || v instanceof Long || v instanceof Short ? Integer.class
          : Double.class;
    }
    throw new IllegalArgumentException("Choice '" + name + "' values: expected strings, numbers "
        + "or booleans, found " + JsonValues.describe(v));
  }

  /** A choice among {@code values}, default the first. */
  public static ChoiceParameter of(String name, List<?> values) {
    return new ChoiceParameter(name, values, null, null);
  }

  /** The same with a default, which must be one of the values. */
  public ChoiceParameter defaultValue(Object v) {
    return new ChoiceParameter(name(), values, v, ordered);
  }

  /** The same, ordered or not (only numeric values can be ordered). */
  public ChoiceParameter ordered(boolean o) {
    return new ChoiceParameter(name(), values, defaultValue, o);
  }

  public boolean ordered() {
    return ordered;
  }

  private Object find(Object v, String where) {
    for (Object x : values) {
      if (sameValue(x, v) && (x instanceof Number) == (v instanceof Number)) {
        return x;
      }
    }
    throw new IllegalArgumentException(where + ": expected one of " + values + " for Choice '"
        + name() + "', found " + JsonValues.describe(v));
  }

  @Override
  public String className() {
    return "Choice";
  }

  @Override
  public Object defaultValue() {
    return defaultValue != null ? defaultValue : values.get(0);
  }

  @Override
  public List<Object> values() {
    return values;
  }

  @Override
  public Object probToValue(double prob) {
    return values.get(probToIndex(prob, values.size()));
  }

  @Override
  public double valueToProb(Object value) {
    return indexToProb(values.indexOf(find(value, name())), values.size());
  }

  @Override
  public Object canonical(Object value, String where) {
    return find(value, where);
  }

  @Override
  protected void addConfig(Map<String, Object> config) {
    config.put("values", new ArrayList<>(values));
    config.put("ordered", ordered);
  }

  static ChoiceParameter fromConfig(String name, Map<String, Object> c, String where) {
    List<Object> vs = JsonValues.list(c.get("values"), where + ".values");
    Object o = c.get("ordered");
    Boolean ordered = o == null ? null : JsonValues.bool(o, where + ".ordered");
    try {
      return new ChoiceParameter(name, vs, c.get("default"), ordered);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }
}
