package io.sparkeras.api.tuner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The range arithmetic that {@link IntParameter} and {@link FloatParameter} share (KerasTuner's
 * {@code Numerical}): sampling a range linearly or logarithmically, with or without a step (a
 * multiplier under log sampling).
 */
abstract class NumericParameter extends HyperParameter {
  final double min;
  final double max;
  /** Null: any value of the range. */
  final Double step;
  final Sampling sampling;

  NumericParameter(String name, double min, double max, Double step, Sampling sampling) {
    super(name);
    String what = className() + " '" + name + "'";
    if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
      throw new IllegalArgumentException(what + ": expected min_value <= max_value, found "
          + min + " and " + max);
    }
    if (sampling == null) {
      throw new IllegalArgumentException(what + " sampling: expected linear, log or reverse_log");
    }
    if (sampling != Sampling.LINEAR && min <= 0) {
      throw new IllegalArgumentException(what + ": " + sampling.kerasName()
          + " sampling needs min_value > 0, found " + min);
    }
    if (step != null) {
      boolean multiplier = sampling != Sampling.LINEAR;
      if (!Double.isFinite(step) || step <= 0 || (multiplier && step <= 1)) {
        throw new IllegalArgumentException(what + " step: expected " + (multiplier
            ? "a multiplier > 1 under " + sampling.kerasName() + " sampling" : "a number > 0")
            + ", found " + step);
      }
    }
    this.min = min;
    this.max = max;
    this.step = step;
    this.sampling = sampling;
  }

  /** Throws unless {@code v} lies in [min, max]. */
  final double checkRange(double v, String where) {
    if (!(v >= min && v <= max)) {
      throw new IllegalArgumentException(where + ": expected a value in [" + fmt(min) + ", "
          + fmt(max) + "] for " + className() + " '" + name() + "', found " + fmt(v));
    }
    return v;
  }

  abstract String fmt(double v);

  /** A number of the range in the kind's Java type. */
  abstract Object box(double v);

  @Override
  public final List<Object> values() {
    if (step == null) {
      return tenSamples();
    }
    List<Object> out = new ArrayList<>();
    for (int i = 0, n = stepCount(); i < n; i++) {
      out.add(box(valueByIndex(i)));
    }
    return out;
  }

  @Override
  protected final void addConfig(Map<String, Object> config) {
    config.put("min_value", box(min));
    config.put("max_value", box(max));
    config.put("step", step == null ? null : box(step));
    config.put("sampling", sampling.kerasName());
  }

  /** Makes the kind from checked settings. */
  interface Factory<T> {
    T make(double min, double max, Double step, Sampling sampling, Double defaultValue);
  }

  /** Reads min_value, max_value, step, sampling, default; {@code whole}: integers only. */
  static <T> T fromConfig(Map<String, Object> c, String where, boolean whole, Factory<T> f) {
    double lo = read(c.get("min_value"), where + ".min_value", whole);
    double hi = read(c.get("max_value"), where + ".max_value", whole);
    Object st = c.get("step");
    Object def = c.get("default");
    Double step = st == null ? null : read(st, where + ".step", whole);
    Sampling sampling = samplingOf(c, where);
    Double dv = def == null ? null : read(def, where + ".default", whole);
    try {
      return f.make(lo, hi, step, sampling, dv);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  private static double read(Object v, String where, boolean whole) {
    return whole ? JsonValues.integer(v, where) : JsonValues.number(v, where);
  }

  final double sampleNumerical(double prob, double hi) {
    switch (sampling) {
      case LOG:
        return min * Math.pow(hi / min, prob);
      case REVERSE_LOG:
        return hi + min - min * Math.pow(hi / min, 1 - prob);
      default:
        return prob * (hi - min) + min;
    }
  }

  final double numericalToProb(double value, double hi) {
    if (hi == min) {
      return 0.5;
    }
    switch (sampling) {
      case LOG:
        return Math.log(value / min) / Math.log(hi / min);
      case REVERSE_LOG:
        return 1 - Math.log((hi + min - value) / min) / Math.log(hi / min);
      default:
        return (value - min) / (hi - min);
    }
  }

  /** Values of the range with the step (max included when the step reaches it). */
  final int stepCount() {
    if (sampling == Sampling.LINEAR) {
      return (int) Math.floor((max - min) / step + 1e-9) + 1;
    }
    return (int) Math.floor(Math.log(max / min) / Math.log(step) + 1e-9) + 1;
  }

  final double valueByIndex(int index) {
    switch (sampling) {
      case LOG:
        return min * Math.pow(step, index);
      case REVERSE_LOG:
        return max + min - min * Math.pow(step, index);
      default:
        return min + index * step;
    }
  }

  final int indexOf(double value) {
    double i;
    switch (sampling) {
      case LOG:
        i = Math.log(value / min) / Math.log(step);
        break;
      case REVERSE_LOG:
        i = Math.log((max - value + min) / min) / Math.log(step);
        break;
      default:
        i = (value - min) / step;
    }
    return Math.max(0, Math.min(stepCount() - 1, (int) Math.floor(i + 1e-9)));
  }

  final double sampleWithStep(double prob) {
    return valueByIndex(probToIndex(prob, stepCount()));
  }

  final double toProbWithStep(double value) {
    return indexToProb(indexOf(value), stepCount());
  }

  /** Without a step: ten values at the centres of ten equal probability buckets, sorted. */
  final List<Object> tenSamples() {
    TreeSet<Double> seen = new TreeSet<>();
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Object v = probToValue(i * 0.1 + 0.05);
      if (seen.add(((Number) v).doubleValue())) {
        out.add(v);
      }
    }
    out.sort((a, b) -> Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue()));
    return out;
  }

  static Sampling samplingOf(Map<String, Object> c, String where) {
    Object s = c.get("sampling");
    return s == null ? Sampling.LINEAR : Sampling.parse(JsonValues.string(s, where + ".sampling"),
        where + ".sampling");
  }
}
