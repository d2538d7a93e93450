package io.sparkeras.api.tuner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One dimension of a search space, as KerasTuner's {@code HyperParameter}: a name, a default,
 * the values a grid walks, and the map between values and the unit interval that random search
 * and the Gaussian process work in ({@link #probToValue}, {@link #valueToProb}). Kinds:
 * {@link IntParameter}, {@link FloatParameter}, {@link ChoiceParameter},
 * {@link BooleanParameter}, {@link FixedParameter}.
 *
 * <pre>{@code
 * HyperParameter units = IntParameter.of("units", 32, 512).step(32);
 * int u = (Integer) units.probToValue(0.5);          // 288
 * Map<String, Object> json = units.toJson();          // {"class_name": "Int", "config": {...}}
 * HyperParameter same = HyperParameter.fromJson(json, "$.space[0]");
 * }</pre>
 *
 * <p>The JSON form is KerasTuner's {@code get_config()} with its {@code class_name}, so a
 * search's state files read like KerasTuner's. A parameter's settings are fixed once it is in a
 * {@link HyperParameters} space.
 */
public abstract class HyperParameter {
  private static final List<String> NUMERIC_KEYS =
      List.of("name", "default", "conditions", "min_value", "max_value", "step", "sampling");
  private static final Map<String, List<String>> KEYS = Map.of(
      "Int", NUMERIC_KEYS, "Float", NUMERIC_KEYS,
      "Choice", List.of("name", "default", "conditions", "values", "ordered"),
      "Boolean", List.of("name", "default", "conditions"),
      "Fixed", List.of("name", "conditions", "value"));

  private final String name;
  private List<Condition> conditions = List.of();

  protected HyperParameter(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("hyperparameter name: expected a non-empty string, found "
          + (name == null ? "null" : "''"));
    }
    this.name = name;
  }

  public final String name() {
    return name;
  }

  /** The conditions under which it is active (all must hold); empty: always active. */
  public final List<Condition> conditions() {
    return conditions;
  }

  final HyperParameter conditions(List<Condition> c) {
    this.conditions = List.copyOf(c);
    return this;
  }

  /** KerasTuner's class name: {@code Int}, {@code Float}, {@code Choice}, {@code Boolean}, {@code Fixed}. */
  public abstract String className();

  /** The value a build gets when the search has not chosen one. */
  public abstract Object defaultValue();

  /** The values a grid search walks (KerasTuner's {@code values}), default not necessarily first. */
  public abstract List<Object> values();

  /** The value at cumulative probability {@code prob} in [0, 1]. */
  public abstract Object probToValue(double prob);

  /** The cumulative probability of {@code value}, in [0, 1] (bucket centres for discrete values). */
  public abstract double valueToProb(Object value);

  /**
   * Checks that {@code value} is one this parameter can take and returns it in its Java type
   * ({@code Integer}, {@code Double}, {@code String}, {@code Boolean}); {@code where} names it.
   */
  public abstract Object canonical(Object value, String where);

  /** A random value: the value at a uniform draw from a generator seeded with {@code seed}. */
  public Object randomSample(long seed) {
    return probToValue(new SplittableRandom(seed).nextDouble());
  }

  /** The kind's own settings, added to name, default and conditions in {@link #toJson()}. */
  protected abstract void addConfig(Map<String, Object> config);

  /** KerasTuner's {@code {"class_name": ..., "config": {...}}}. */
  public final Map<String, Object> toJson() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("name", name);
    if (!(this instanceof FixedParameter)) {
      config.put("default", defaultValue());
    }
    List<Object> cs = new ArrayList<>();
    for (Condition c : conditions) {
      cs.add(c.toJson());
    }
    config.put("conditions", cs);
    addConfig(config);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("class_name", className());
    m.put("config", config);
    return m;
  }

  /**
   * Reads {@link #toJson()}'s form (KerasTuner's config). Errors name {@code where} plus the
   * path inside, e.g. {@code $.space[2].config.max_value: expected a whole number, found 'x'}.
   */
  public static HyperParameter fromJson(Object json, String where) {
    Map<String, Object> m = JsonValues.map(json, where);
    String cls = JsonValues.string(m.get("class_name"), where + ".class_name");
    Map<String, Object> c = JsonValues.map(m.get("config"), where + ".config");
    HyperParameter hp = fromConfig(cls, c, where + ".config", where + ".class_name");
    Object conds = c.get("conditions");
    if (conds != null) {
      List<Condition> list = new ArrayList<>();
      List<Object> raw = JsonValues.list(conds, where + ".config.conditions");
      for (int i = 0; i < raw.size(); i++) {
        list.add(Condition.fromJson(raw.get(i), where + ".config.conditions[" + i + "]"));
      }
      hp.conditions(list);
    }
    return hp;
  }

  /**
   * One parameter from a KerasTuner class name and config map (keys {@code name},
   * {@code min_value}, {@code max_value}, {@code step}, {@code sampling}, {@code default},
   * {@code values}, {@code ordered}, {@code value}); {@code where} names the config in errors.
   */
  public static HyperParameter fromConfig(String className, Map<String, Object> c, String where,
      String classWhere) {
    String name = JsonValues.string(c.get("name"), where + ".name");
    List<String> keys = KEYS.get(className);
    if (keys == null) {
      throw new IllegalArgumentException(classWhere + ": expected one of Int, Float, Choice, "
          + "Boolean, Fixed, found '" + className + "'");
    }
    for (String k : c.keySet()) {
      if (!keys.contains(k)) {
        throw new IllegalArgumentException(where + "." + k + ": unknown key for " + className
            + "; expected one of " + keys);
      }
    }
    switch (className) {
      case "Int":
        return IntParameter.fromConfig(name, c, where);
      case "Float":
        return FloatParameter.fromConfig(name, c, where);
      case "Choice":
        return ChoiceParameter.fromConfig(name, c, where);
      case "Boolean":
        return BooleanParameter.fromConfig(name, c, where);
      case "Fixed":
        return FixedParameter.fromConfig(name, c, where);
      default:
        throw new IllegalArgumentException(classWhere + ": expected one of Int, Float, Choice, "
            + "Boolean, Fixed, found '" + className + "'");
    }
  }

  /** Equal values, numbers compared by value ({@code 3} equals {@code 3.0}). */
  static boolean sameValue(Object a, Object b) {
    if (a instanceof Number && b instanceof Number) {
      return ((Number) a).doubleValue() == ((Number) b).doubleValue();
    }
    return a == null ? b == null : a.equals(b);
  }

  /** KerasTuner's {@code prob_to_index}: the bucket of {@code prob} among {@code n}. */
  static int probToIndex(double prob, int n) {
    int index = (int) Math.floor(prob * n);
    return Math.max(0, Math.min(n - 1, index));
  }

  /** KerasTuner's {@code index_to_prob}: the centre of bucket {@code index} among {@code n}. */
  static double indexToProb(int index, int n) {
    return (index + 0.5) / n;
  }

  /** The default first, then the other values in order: the order a grid search tries them. */
  final List<Object> gridOrder() {
    List<Object> out = new ArrayList<>();
    Object def = defaultValue();
    out.add(def);
    for (Object v : values()) {
      if (!sameValue(v, def)) {
        out.add(v);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return className() + toJson().get("config");
  }
}
