package io.sparkeras.api.tuner;

import java.util.Map;

/**
 * A whole number in [min, max], both included (KerasTuner's {@code hp.Int}). Under linear sampling
 * the step defaults to 1; under log sampling the step is a multiplier and, if left out, any whole
 * number of the range can be drawn. The default is min unless set.
 *
 * <pre>{@code
 * int units = hp.value(IntParameter.of("units", 32, 512).step(32));          // 32, 64, ..., 512
 * int batch = hp.value(IntParameter.of("batch", 16, 256).step(2).sampling(Sampling.LOG)); // 16..256
 * }</pre>
 */
public final class IntParameter extends NumericParameter {
  private final Integer defaultValue;

  private IntParameter(String name, int min, int max, Integer step, Sampling sampling,
      Integer defaultValue) {
    super(name, min, max, step == null && sampling == Sampling.LINEAR ? Double.valueOf(1)
        : step == null ? null : Double.valueOf(step), sampling);
    if (defaultValue != null) {
      checkRange(defaultValue, "Int '" + name + "' default");
    }
    this.defaultValue = defaultValue;
  }

  /** Every whole number in [min, max] (linear, step 1). */
  public static IntParameter of(String name, int min, int max) {
    return new IntParameter(name, min, max, null, Sampling.LINEAR, null);
  }

  /** The same with a step (a multiplier under log sampling). */
  public IntParameter step(int step) {
    return new IntParameter(name(), (int) min, (int) max, step, sampling, defaultValue);
  }

  /** The same with another sampling; a linear step of 1 is dropped for log sampling. */
  public IntParameter sampling(Sampling s) {
    Integer st = step == null || (sampling == Sampling.LINEAR && step == 1 && s != Sampling.LINEAR)
        ? null : Integer.valueOf(step.intValue());
    return new IntParameter(name(), (int) min, (int) max, st, s, defaultValue);
  }

  /** The same with a default. */
  public IntParameter defaultValue(int v) {
    Integer st = step == null ? null : Integer.valueOf(step.intValue());
    return new IntParameter(name(), (int) min, (int) max, st, sampling, v);
  }

  public int min() {
    return (int) min;
  }

  public int max() {
    return (int) max;
  }

  @Override
  public String className() {
    return "Int";
  }

  @Override
  public Object defaultValue() {
    return defaultValue != null ? defaultValue : Integer.valueOf((int) min);
  }

  @Override
  public Object probToValue(double prob) {
    if (step == null) {
      // max + 1 so that max can be drawn from [0, 1)
      return (int) Math.min(max, Math.floor(sampleNumerical(prob, max + 1)));
    }
    return (int) Math.round(sampleWithStep(prob));
  }

  @Override
  public double valueToProb(Object value) {
    double v = ((Number) value).doubleValue();
    if (step == null) {
      return numericalToProb(v + 0.5, max + 1);
    }
    return toProbWithStep(v);
  }

  @Override
  public Object canonical(Object value, String where) {
    int v = JsonValues.integer(value, where);
    checkRange(v, where);
    return v;
  }

  @Override
  String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  @Override
  Object box(double v) {
    return (int) Math.round(v);
  }

  static IntParameter fromConfig(String name, Map<String, Object> c, String where) {
    return fromConfig(c, where, true, (lo, hi, step, sampling, def) -> new IntParameter(name,
        (int) lo, (int) hi, step == null ? null : step.intValue(), sampling,
        def == null ? null : def.intValue()));
  }
}
