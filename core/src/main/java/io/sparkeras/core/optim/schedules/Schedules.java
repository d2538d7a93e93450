package io.sparkeras.core.optim.schedules;

import io.sparkeras.core.config.KerasConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds {@link LearningRateSchedule}s from Keras class names and config keys:
 *
 * <table>
 * <caption>Registered schedules</caption>
 * <tr><th>class name</th><th>keys (defaults)</th></tr>
 * <tr><td>ExponentialDecay</td><td>initial_learning_rate, decay_steps (&gt; 0), decay_rate,
 *     staircase (false), name ("ExponentialDecay")</td></tr>
 * <tr><td>CosineDecay</td><td>initial_learning_rate, decay_steps (&gt; 0), alpha (0.0),
 *     warmup_target (null = no warmup), warmup_steps (0), name ("CosineDecay")</td></tr>
 * <tr><td>PiecewiseConstantDecay</td><td>boundaries, values, name ("PiecewiseConstant")</td></tr>
 * </table>
 *
 * <p>Keys without a default are required. Errors name the key, the expected range and the value.
 *
 * <pre>{@code
 * LearningRateSchedule s = Schedules.create("CosineDecay",
 *     Map.of("initial_learning_rate", 0.0, "decay_steps", 1000, "warmup_target", 0.1,
 *         "warmup_steps", 100));
 * // or the serialized form found in an optimizer's "learning_rate":
 * LearningRateSchedule t = Schedules.fromKerasConfig(Map.of("class_name", "ExponentialDecay",
 *     "config", Map.of("initial_learning_rate", 0.1, "decay_steps", 10, "decay_rate", 0.5)));
 * }</pre>
 */
public final class Schedules {
  /** The class names {@link #create} accepts. */
  public static final List<String> CLASS_NAMES =
      List.of("ExponentialDecay", "CosineDecay", "PiecewiseConstantDecay");

  private static final double INF = Double.POSITIVE_INFINITY;

  private Schedules() {}

  /** A constant learning rate. */
  public static LearningRateSchedule constant(double learningRate) {
    return new ConstantLearningRate(learningRate);
  }

  /** Creates a schedule from its Keras class name and {@code get_config()} values. */
  public static LearningRateSchedule create(String className, Map<String, ?> config) {
    String owner = "schedule " + className;
    if (className == null) {
      throw new IllegalArgumentException("schedule: expected a class name, one of " + CLASS_NAMES
          + ", found null");
    }
    switch (className) {
      case "ExponentialDecay": {
        KerasConfig c = KerasConfig.of(owner, config, Set.of("initial_learning_rate",
            "decay_steps", "decay_rate", "staircase", "name"));
        return new ExponentialDecay(
            c.requiredNumber("initial_learning_rate", 0, true, INF, false),
            c.requiredNumber("decay_steps", 0, false, INF, false),
            c.requiredNumber("decay_rate", 0, true, INF, false),
            c.bool("staircase", false), name(c, "ExponentialDecay"));
      }
      case "CosineDecay": {
        KerasConfig c = KerasConfig.of(owner, config, Set.of("initial_learning_rate",
            "decay_steps", "alpha", "warmup_target", "warmup_steps", "name"));
        Double target = c.has("warmup_target")
            ? c.requiredNumber("warmup_target", 0, true, INF, false) : null;
        return new CosineDecay(
            c.requiredNumber("initial_learning_rate", 0, true, INF, false),
            c.requiredNumber("decay_steps", 0, false, INF, false),
            c.number("alpha", 0.0, 0, true, 1, true),
            target,
            c.number("warmup_steps", 0, 0, true, INF, false),
            name(c, "CosineDecay"));
      }
      case "PiecewiseConstantDecay": {
        KerasConfig c = KerasConfig.of(owner, config, Set.of("boundaries", "values", "name"));
        double[] b = numbers(c, "boundaries");
        long[] bl = new long[b.length];
        for (int i = 0; i < b.length; i++) {
          bl[i] = (long) b[i]; // Keras casts the boundaries to the step's integer type
        }
        return new PiecewiseConstantDecay(bl, numbers(c, "values"), name(c, "PiecewiseConstant"));
      }
      default:
        throw new IllegalArgumentException("schedule: unknown class name '" + className
            + "'; expected one of " + CLASS_NAMES);
    }
  }

  /**
   * Creates a schedule from Keras's serialized form, as found in an optimizer config's
   * {@code learning_rate}: {@code {"class_name": ..., "config": {...}}} (keys {@code module}
   * and {@code registered_name} are accepted and ignored).
   */
  @SuppressWarnings("unchecked")
  public static LearningRateSchedule fromKerasConfig(Map<?, ?> serialized) {
    KerasConfig c = KerasConfig.of("learning_rate schedule", (Map<String, ?>) serialized,
        Set.of("module", "class_name", "config", "registered_name"));
    Object cls = c.raw("class_name");
    if (!(cls instanceof String)) {
      throw c.fail("class_name", "one of " + CLASS_NAMES, KerasConfig.describe(cls));
    }
    Object cfg = c.raw("config");
    if (!(cfg instanceof Map)) {
      throw c.fail("config", "a map of the schedule's settings", KerasConfig.describe(cfg));
    }
    return create((String) cls, (Map<String, ?>) cfg);
  }

  /** Range check shared by the schedule constructors: value &gt; lo (or &gt;= lo), finite. */
  static void check(String cls, String key, double value, double lo, boolean inclusive) {
    boolean ok = (inclusive ? value >= lo : value > lo) && !Double.isInfinite(value);
    if (!ok) {
      throw new IllegalArgumentException("schedule " + cls + " config '" + key + "': expected a "
          + "finite number " + (inclusive ? ">= " : "> ") + (lo == (long) lo ? "" + (long) lo : "" + lo)
          + ", found " + value);
    }
  }

  private static String name(KerasConfig c, String dflt) {
    Object n = c.raw("name");
    if (n == null) {
      return dflt;
    }
    if (!(n instanceof String)) {
      throw c.fail("name", "a string", KerasConfig.describe(n));
    }
    return (String) n;
  }

  private static double[] numbers(KerasConfig c, String key) {
    Object v = c.raw(key);
    if (v instanceof List) {
      List<?> l = (List<?>) v;
      double[] out = new double[l.size()];
      for (int i = 0; i < out.length; i++) {
        Object x = l.get(i);
        if (!(x instanceof Number)) {
          throw c.fail(key, "a list of numbers", "element " + i + " = " + KerasConfig.describe(x));
        }
        out[i] = ((Number) x).doubleValue();
      }
      return out;
    }
    if (v instanceof double[]) {
      return ((double[]) v).clone();
    }
    if (v instanceof long[]) {
      long[] a = (long[]) v;
      double[] out = new double[a.length];
      for (int i = 0; i < a.length; i++) {
        out[i] = a[i];
      }
      return out;
    }
    if (v instanceof int[]) {
      int[] a = (int[]) v;
      double[] out = new double[a.length];
      for (int i = 0; i < a.length; i++) {
        out[i] = a[i];
      }
      return out;
    }
    throw c.fail(key, "a list of numbers", v == null ? "nothing (the key is required)"
        : KerasConfig.describe(v));
  }
}
