package io.sparkeras.api.tuner;

import java.util.Map;

/**
 * A real number in [min, max] (KerasTuner's {@code hp.Float}), drawn linearly, logarithmically
 * or reverse-logarithmically, optionally on a grid of steps (a multiplier under log sampling).
 * The default is min unless set. Without a step a grid search tries ten values.
 *
 * <pre>{@code
 * double lr = hp.value(FloatParameter.of("lr", 1e-4, 1e-2).sampling(Sampling.LOG));
 * double dropout = hp.value(FloatParameter.of("dropout", 0.0, 0.5).step(0.1));
 * }</pre>
 */
public final class FloatParameter extends NumericParameter {
  private final Double defaultValue;

  private FloatParameter(String name, double min, double max, Double step, Sampling sampling,
      Double defaultValue) {
    super(name, min, max, step, sampling);
    if (defaultValue != null) {
      checkRange(defaultValue, "Float '" + name + "' default");
    }
    this.defaultValue = defaultValue;
  }

  /** Any real number in [min, max], linear. */
  public static FloatParameter of(String name, double min, double max) {
    return new FloatParameter(name, min, max, null, Sampling.LINEAR, null);
  }

  /** The same on a grid of steps (a multiplier under log sampling). */
  public FloatParameter step(double step) {
    return new FloatParameter(name(), min, max, step, sampling, defaultValue);
  }

  /** The same with another sampling. */
  public FloatParameter sampling(Sampling s) {
    return new FloatParameter(name(), min, max, step, s, defaultValue);
  }

  /** The same with a default. */
  public FloatParameter defaultValue(double v) {
    return new FloatParameter(name(), min, max, step, sampling, v);
  }

  public double min() {
    return min;
  }

  public double max() {
    return max;
  }

  @Override
  public String className() {
    return "Float";
  }

  @Override
  public Object defaultValue() {
    return defaultValue != null ? defaultValue : Double.valueOf(min);
  }

  @Override
  public Object probToValue(double prob) {
    double v = step == null ? sampleNumerical(prob, max) : sampleWithStep(prob);
    return Math.max(min, Math.min(max, v));
  }

  @Override
  public double valueToProb(Object value) {
    double v = ((Number) value).doubleValue();
    return step == null ? numericalToProb(v, max) : toProbWithStep(v);
  }

  @Override
  public Object canonical(Object value, String where) {
    return checkRange(JsonValues.number(value, where), where);
  }

  @Override
  String fmt(double v) {
    return String.valueOf(v);
  }

  @Override
  Object box(double v) {
    return v;
  }

  static FloatParameter fromConfig(String name, Map<String, Object> c, String where) {
    return fromConfig(c, where, false, (lo, hi, step, sampling, def) -> new FloatParameter(name,
        lo, hi, step, sampling, def));
  }
}
