package io.sparkeras.api.tuner;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A search space and one point in it, as KerasTuner's {@code HyperParameters}. A build function
 * asks it for values ({@code hp.intRange("units", 32, 512, 32)}); the first ask registers the
 * parameter in the space and answers its current value (the default until a tuner sets one), so
 * the space is discovered by running the build function, as in KerasTuner.
 *
 * <pre>{@code
 * HyperModel hm = hp -> {
 *   Sequential m = new Sequential(Input.of(784));
 *   for (int i = 0; i < hp.intRange("layers", 1, 3); i++) {
 *     m.add(new Dense(hp.intRange("units_" + i, 32, 512, 32))
 *         .activation(hp.choice("act", "relu", "gelu")));
 *   }
 *   String kind = hp.choice("head", "plain", "dropout");
 *   try (HyperParameters.Scope s = hp.conditionalScope("head", "dropout")) {
 *     if (kind.equals("dropout")) {
 *       m.add(new Dropout(hp.floatRange("rate", 0.1, 0.5, 0.1)));   // active only for "dropout"
 *     }
 *   }
 *   m.add(new Dense(10).activation("softmax"));
 *   m.compile(new Adam(hp.floatRange("lr", 1e-4, 1e-2, Sampling.LOG)),
 *       "sparse_categorical_crossentropy", "accuracy");
 *   return m;
 * };
 * }</pre>
 *
 * <p>Differences from KerasTuner: an inactive parameter answers its default rather than
 * {@code None} (Java's {@code int} has no None; the tuner neither records nor searches it), and
 * a name can be defined under one set of conditions only (reusing it elsewhere is an error that
 * says so).
 */
public final class HyperParameters {
  private final Map<String, HyperParameter> space = new LinkedHashMap<>();
  private final Map<String, Object> values = new LinkedHashMap<>();
  private final Deque<Condition> scope = new ArrayDeque<>();
  private final List<List<Condition>> activeScopes = new ArrayList<>();
  private final List<List<Condition>> inactiveScopes = new ArrayList<>();

  /** An empty space. */
  public HyperParameters() {}

  /** Closes a {@link #conditionalScope}. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  // ---- asking for values ---------------------------------------------------------------------

  /** A whole number in [min, max], step 1. */
  public int intRange(String name, int min, int max) {
    return value(IntParameter.of(name, min, max));
  }

  /** A whole number in [min, max] on steps of {@code step}. */
  public int intRange(String name, int min, int max, int step) {
    return value(IntParameter.of(name, min, max).step(step));
  }

  /** A real number in [min, max], linear. */
  public double floatRange(String name, double min, double max) {
    return value(FloatParameter.of(name, min, max));
  }

  /** A real number in [min, max] with this sampling. */
  public double floatRange(String name, double min, double max, Sampling sampling) {
    return value(FloatParameter.of(name, min, max).sampling(sampling));
  }

  /** A real number in [min, max] on steps of {@code step}. */
  public double floatRange(String name, double min, double max, double step) {
    return value(FloatParameter.of(name, min, max).step(step));
  }

  /** One of these strings, default the first. */
  public String choice(String name, String... choices) {
    return (String) value(ChoiceParameter.of(name, List.of(choices)));
  }

  /** One of these whole numbers, default the first. */
  public int choice(String name, int... choices) {
    List<Object> l = new ArrayList<>();
    for (int c : choices) {
      l.add(c);
    }
    return ((Number) value(ChoiceParameter.of(name, l))).intValue();
  }

  /** One of these real numbers, default the first. */
  public double choice(String name, double... choices) {
    List<Object> l = new ArrayList<>();
    for (double c : choices) {
      l.add(c);
    }
    return ((Number) value(ChoiceParameter.of(name, l))).doubleValue();
  }

  /** True or false, default false. */
  public boolean bool(String name) {
    return bool(name, false);
  }

  /** True or false with this default. */
  public boolean bool(String name, boolean defaultValue) {
    return (Boolean) value(BooleanParameter.of(name, defaultValue));
  }

  /** A fixed whole number, recorded with every trial. */
  public int fixed(String name, int v) {
    return ((Number) value(FixedParameter.of(name, v))).intValue();
  }

  /** A fixed real number, recorded with every trial. */
  public double fixed(String name, double v) {
    return ((Number) value(FixedParameter.of(name, v))).doubleValue();
  }

  /** A fixed string, recorded with every trial. */
  public String fixed(String name, String v) {
    return (String) value(FixedParameter.of(name, v));
  }

  /** The value of an {@link IntParameter} (registering it on first use). */
  public int value(IntParameter p) {
    return ((Number) retrieve(p)).intValue();
  }

  /** The value of a {@link FloatParameter} (registering it on first use). */
  public double value(FloatParameter p) {
    return ((Number) retrieve(p)).doubleValue();
  }

  /** The value of any parameter (registering it on first use). */
  public Object value(HyperParameter p) {
    return retrieve(p);
  }

  private Object retrieve(HyperParameter hp) {
    List<Condition> conditions = new ArrayList<>(scope);
    Collections.reverse(conditions);
    HyperParameter known = space.get(hp.name());
    if (known == null) {
      hp.conditions(conditions);
      space.put(hp.name(), hp);
      known = hp;
      if (isActive(hp) && !values.containsKey(hp.name())) {
        values.put(hp.name(), hp.defaultValue());
      }
    } else if (!known.conditions().equals(conditions)) {
      throw new IllegalArgumentException("hyperparameter '" + hp.name() + "' is defined under "
          + (known.conditions().isEmpty() ? "no condition" : "conditions " + known.conditions())
          + " and asked for again under " + (conditions.isEmpty() ? "none" : conditions)
          + "; give it another name");
    }
    if (!isActive(known)) {
      return known.defaultValue();
    }
    Object v = values.get(hp.name());
    return v != null ? v : known.defaultValue();
  }

  /**
   * Parameters asked for until the scope closes are active only while {@code parent} takes one
   * of {@code parentValues} (KerasTuner's {@code conditional_scope}); scopes nest.
   */
  public Scope conditionalScope(String parent, Object... parentValues) {
    HyperParameter p = space.get(parent);
    if (p == null) {
      throw new IllegalArgumentException("conditional scope: hyperparameter '" + parent
          + "' is not defined; ask for it before opening a scope on it");
    }
    List<Object> vs = new ArrayList<>();
    for (Object v : parentValues) {
      vs.add(p.canonical(v, "conditional scope on '" + parent + "'"));
    }
    Condition c = new Condition(parent, vs);
    scope.push(c);
    List<Condition> stack = new ArrayList<>(scope);
    Collections.reverse(stack);
    boolean active = true;
    for (Condition x : stack) {
      active &= x.isActive(values);
    }
    (active ? activeScopes : inactiveScopes).add(stack);
    return () -> {
      if (scope.peek() != c) {
        throw new IllegalStateException("conditional scopes closed out of order");
      }
      scope.pop();
    };
  }

  // ---- reading -------------------------------------------------------------------------------

  /** Whether the parameter's conditions hold for the current values (unknown names: false). */
  public boolean isActive(String name) {
    HyperParameter hp = space.get(name);
    return hp != null && isActive(hp);
  }

  boolean isActive(HyperParameter hp) {
    for (Condition c : hp.conditions()) {
      if (!c.isActive(values)) {
        return false;
      }
    }
    return true;
  }

  /** The current value of {@code name} (also the tuner's {@code tuner/...} entries). */
  public Object get(String name) {
    if (values.containsKey(name)) {
      return values.get(name);
    }
    HyperParameter hp = space.get(name);
    if (hp == null) {
      throw new IllegalArgumentException("hyperparameter '" + name + "' is not defined; the "
          + "space has " + space.keySet());
    }
    return hp.defaultValue();
  }

  /** {@link #get} as a whole number. */
  public int getInt(String name) {
    return ((Number) get(name)).intValue();
  }

  /** {@link #get} as a real number. */
  public double getDouble(String name) {
    return ((Number) get(name)).doubleValue();
  }

  /** {@link #get} as a string. */
  public String getString(String name) {
    return String.valueOf(get(name));
  }

  /** Whether {@code name} has a value (an active parameter or a tuner entry). */
  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** The parameters, in the order they were first asked for. */
  public List<HyperParameter> space() {
    return List.copyOf(space.values());
  }

  /** A parameter of the space by name, or null. */
  public HyperParameter parameter(String name) {
    return space.get(name);
  }

  /** The current values, by name (active parameters and tuner entries). */
  public Map<String, Object> values() {
    return Collections.unmodifiableMap(values);
  }

  /** Condition stacks of the scopes entered while active / while inactive (space exploration). */
  List<List<Condition>> activeScopes() {
    return activeScopes;
  }

  List<List<Condition>> inactiveScopes() {
    return inactiveScopes;
  }

  // ---- changing ------------------------------------------------------------------------------

  /** Sets a value, checked against the parameter when {@code name} is in the space. */
  public HyperParameters put(String name, Object value) {
    HyperParameter hp = space.get(name);
    values.put(name, hp == null ? value : hp.canonical(value, "value of '" + name + "'"));
    return this;
  }

  /** Replaces all values. */
  void setValues(Map<String, Object> vs) {
    values.clear();
    for (Map.Entry<String, Object> e : vs.entrySet()) {
      put(e.getKey(), e.getValue());
    }
  }

  /** Adds the parameters of {@code others} that this space lacks, in their order. */
  public void merge(List<HyperParameter> others) {
    for (HyperParameter hp : others) {
      space.putIfAbsent(hp.name(), hp);
    }
  }

  /** Gives every active parameter without a value its default, drops values of inactive ones. */
  void ensureActiveValues() {
    for (HyperParameter hp : space.values()) {
      if (isActive(hp)) {
        values.putIfAbsent(hp.name(), hp.defaultValue());
      } else {
        values.remove(hp.name());
      }
    }
  }

  /** A copy of space and values (no open scopes). */
  public HyperParameters copy() {
    HyperParameters c = new HyperParameters();
    c.space.putAll(space);
    c.values.putAll(values);
    return c;
  }

  /** The space alone, no values. */
  HyperParameters spaceOnly() {
    HyperParameters c = new HyperParameters();
    c.space.putAll(space);
    return c;
  }

  // ---- JSON ----------------------------------------------------------------------------------

  /** KerasTuner's {@code get_config()}: {@code {"space": [...], "values": {...}}}. */
  public Map<String, Object> toJson() {
    List<Object> s = new ArrayList<>();
    for (HyperParameter hp : space.values()) {
      s.add(hp.toJson());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("space", s);
    m.put("values", new LinkedHashMap<>(values));
    return m;
  }

  /** Reads {@link #toJson()}'s form; errors name {@code where} and the path inside. */
  public static HyperParameters fromJson(Object json, String where) {
    Map<String, Object> m = JsonValues.map(json, where);
    HyperParameters hps = new HyperParameters();
    List<Object> s = JsonValues.list(m.get("space"), where + ".space");
    for (int i = 0; i < s.size(); i++) {
      HyperParameter hp = HyperParameter.fromJson(s.get(i), where + ".space[" + i + "]");
      if (hps.space.putIfAbsent(hp.name(), hp) != null) {
        throw new IllegalArgumentException(where + ".space[" + i + "].config.name: '"
            + hp.name() + "' is defined twice");
      }
    }
    Object vs = m.get("values");
    if (vs != null) {
      for (Map.Entry<String, Object> e : JsonValues.map(vs, where + ".values").entrySet()) {
        HyperParameter hp = hps.space.get(e.getKey());
        hps.values.put(e.getKey(), hp == null ? e.getValue()
            : hp.canonical(e.getValue(), where + ".values." + e.getKey()));
      }
    }
    return hps;
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
