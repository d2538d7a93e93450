package io.sparkeras.api.tuner;

import java.util.List;
import java.util.Map;

/**
 * A value that is not searched but recorded with each trial (KerasTuner's {@code hp.Fixed}):
 * a string, a whole or real number, or a boolean.
 *
 * <pre>{@code
 * int classes = hp.fixed("classes", 10);
 * }</pre>
 */
public final class FixedParameter extends HyperParameter {
  private final Object value;

  private FixedParameter(String name, Object value) {
    super(name);
    if (value instanceof Long || value instanceof Short) {
      value = Integer.valueOf(((Number) value).intValue());
    } else if (value instanceof java.lang.Float) {
      value = Double.valueOf(((Number) value).doubleValue());
    }
    if (!(value instanceof String || value instanceof Boolean || value instanceof Integer
        || value instanceof Double)) {
      throw new IllegalArgumentException("Fixed '" + name + "' value: expected a string, number "
          + "or boolean, found " + JsonValues.describe(value));
    }
    this.value = value;
  }

  /** A fixed value. */
  public static FixedParameter of(String name, Object value) {
    return new FixedParameter(name, value);
  }

  @Override
  public String className() {
    return "Fixed";
  }

  @Override
  public Object defaultValue() {
    return value;
  }

  @Override
  public List<Object> values() {
    return List.of(value);
  }

  @Override
  public Object probToValue(double prob) {
    return value;
  }

  @Override
  public double valueToProb(Object v) {
    return 0.5;
  }

  @Override
  public Object canonical(Object v, String where) {
    if (!sameValue(v, value)) {
      throw new IllegalArgumentException(where + ": Fixed '" + name() + "' is "
          + JsonValues.describe(value) + ", found " + JsonValues.describe(v));
    }
    return value;
  }

  @Override
  protected void addConfig(Map<String, Object> config) {
    config.put("value", value);
  }

  static FixedParameter fromConfig(String name, Map<String, Object> c, String where) {
    try {
      return new FixedParameter(name, c.get("value"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ".value: " + e.getMessage(), e);
    }
  }
}
