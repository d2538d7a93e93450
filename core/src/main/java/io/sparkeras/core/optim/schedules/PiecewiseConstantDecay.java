package io.sparkeras.core.optim.schedules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras 3's {@code PiecewiseConstantDecay}: {@code values[0]} while
 * {@code step <= boundaries[0]}, {@code values[i]} while
 * {@code boundaries[i-1] < step <= boundaries[i]}, and the last value once
 * {@code step > boundaries[last]}. Boundaries are step counts (Keras casts them to the step's
 * integer type) and must be strictly increasing; there is one more value than boundaries.
 *
 * <pre>{@code
 * // 1.0 for steps 0..100000, 0.5 for 100001..110000, then 0.1
 * LearningRateSchedule s = new PiecewiseConstantDecay(
 *     new long[] {100000, 110000}, new double[] {1.0, 0.5, 0.1});
 * }</pre>
 */
public final class PiecewiseConstantDecay implements LearningRateSchedule {
  private final long[] boundaries;
  private final float[] values;
  private final double[] rawValues;
  private final String name;

  /** With Keras's default name "PiecewiseConstant". */
  public PiecewiseConstantDecay(long[] boundaries, double[] values) {
    this(boundaries, values, "PiecewiseConstant");
  }

  /**
   * @param boundaries strictly increasing step counts
   * @param values {@code boundaries.length + 1} learning rates, each &gt;= 0
   */
  public PiecewiseConstantDecay(long[] boundaries, double[] values, String name) {
    if (values.length != boundaries.length + 1) {
      throw new IllegalArgumentException("schedule PiecewiseConstantDecay config 'values': "
          + "expected " + (boundaries.length + 1) + " values (one more than 'boundaries', which has "
          + boundaries.length + "), found " + values.length);
    }
    for (int i = 1; i < boundaries.length; i++) {
      if (boundaries[i] <= boundaries[i - 1]) {
        throw new IllegalArgumentException("schedule PiecewiseConstantDecay config 'boundaries': "
            + "expected strictly increasing step counts, found " + Arrays.toString(boundaries));
      }
    }
    for (double v : values) {
      Schedules.check("PiecewiseConstantDecay", "values", v, 0, true);
    }
    this.boundaries = boundaries.clone();
    this.rawValues = values.clone();
    this.values = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      this.values[i] = (float) values[i];
    }
    this.name = name;
  }

  @Override
  public float learningRate(long step) {
    int i = 0;
    while (i < boundaries.length && step > boundaries[i]) {
      i++;
    }
    return values[i];
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Map<String, Object> config() {
    List<Long> b = new ArrayList<>();
    for (long x : boundaries) {
      b.add(x);
    }
    List<Double> v = new ArrayList<>();
    for (double x : rawValues) {
      v.add(x);
    }
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("boundaries", b);
    c.put("values", v);
    c.put("name", name);
    return c;
  }
}
