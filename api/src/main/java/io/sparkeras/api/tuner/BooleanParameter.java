package io.sparkeras.api.tuner;

import java.util.List;
import java.util.Map;

/**
 * True or false (KerasTuner's {@code hp.Boolean}), default false unless set.
 *
 * <pre>{@code
 * if (hp.bool("batch_norm")) { m.add(new BatchNormalization()); }
 * }</pre>
 */
public final class BooleanParameter extends HyperParameter {
  private final boolean defaultValue;

  private BooleanParameter(String name, boolean defaultValue) {
    super(name);
    this.defaultValue = defaultValue;
  }

  /** A boolean with this default. */
  public static BooleanParameter of(String name, boolean defaultValue) {
    return new BooleanParameter(name, defaultValue);
  }

  @Override
  public String className() {
    return "Boolean";
  }

  @Override
  public Object defaultValue() {
    return defaultValue;
  }

  @Override
  public List<Object> values() {
    return List.of(false, true);
  }

  @Override
  public Object probToValue(double prob) {
    return prob >= 0.5;
  }

  @Override
  public double valueToProb(Object value) {
    return Boolean.TRUE.equals(value) ? 0.75 : 0.25;
  }

  @Override
  public Object canonical(Object value, String where) {
    return JsonValues.bool(value, where);
  }

  @Override
  protected void addConfig(Map<String, Object> config) {}

  static BooleanParameter fromConfig(String name, Map<String, Object> c, String where) {
    Object d = c.get("default");
    return new BooleanParameter(name, d != null && JsonValues.bool(d, where + ".default"));
  }
}
