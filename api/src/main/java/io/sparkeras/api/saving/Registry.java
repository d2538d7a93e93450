package io.sparkeras.api.saving;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Registered names of one kind of object (layers, initializers, losses, ...) and the factories
 * that rebuild them from their Keras config. Serialised form, as Keras 3 writes it:
 * {@code {"module": "keras.layers", "class_name": "Dense", "config": {...}, "registered_name": null}}.
 * A plain string ({@code "relu"}, {@code "glorot_uniform"}) is accepted where Keras accepts one.
 *
 * <p>Custom objects register themselves once, like {@code keras.saving.register_keras_serializable}:
 * <pre>{@code
 * Registry.LAYERS.register("MyLayer", "Custom", MyLayer.class, MyLayer::fromConfig);
 * }</pre>
 */
public final class Registry<T> {
  /** Layers and models. */
  public static final Registry<io.sparkeras.api.layers.Layer> LAYERS =
      new Registry<>("layer", "keras.layers");
  /** Weight initializers. */
  public static final Registry<io.sparkeras.api.initializers.Initializer> INITIALIZERS =
      new Registry<>("initializer", "keras.initializers");
  /** Losses. */
  public static final Registry<io.sparkeras.api.losses.Loss> LOSSES =
      new Registry<>("loss", "keras.losses");
  /** Metrics. */
  public static final Registry<io.sparkeras.api.metrics.Metric> METRICS =
      new Registry<>("metric", "keras.metrics");
  /** Optimizers. */
  public static final Registry<io.sparkeras.api.optimizers.Optimizer> OPTIMIZERS =
      new Registry<>("optimizer", "keras.optimizers");
  /** Weight and activity regularizers. */
  public static final Registry<io.sparkeras.api.regularizers.Regularizer> REGULARIZERS =
      new Registry<>("regularizer", "keras.regularizers");
  /** Weight constraints. */
  public static final Registry<io.sparkeras.api.constraints.Constraint> CONSTRAINTS =
      new Registry<>("constraint", "keras.constraints");

  private final String kind;
  private final String defaultModule;
  private final Map<String, Entry<T>> byName = new ConcurrentHashMap<>();
  private final Map<Class<?>, Entry<T>> byClass = new ConcurrentHashMap<>();

  private static final class Entry<T> {
    final String className;
    final String module;
    final String registeredName;
    final Function<Config, ? extends T> factory;

    Entry(String className, String module, String registeredName,
        Function<Config, ? extends T> factory) {
      this.className = className;
      this.module = module;
      this.registeredName = registeredName;
      this.factory = factory;
    }
  }

  private Registry(String kind, String defaultModule) {
    this.kind = kind;
    this.defaultModule = defaultModule;
  }

  /** Registers a built-in object under its Keras class name, with optional aliases. */
  public void registerBuiltIn(String className, Class<? extends T> type,
      Function<Config, ? extends T> factory, String... aliases) {
    Entry<T> e = new Entry<>(className, defaultModule, null, factory);
    byName.put(key(className), e);
    for (String a : aliases) {
      byName.put(key(a), e);
    }
    byClass.put(type, e);
  }

  /**
   * Registers a custom object; it is written with {@code registered_name = package + ">" + name},
   * as Keras's {@code register_keras_serializable(package)} does.
   */
  public void register(String className, String pkg, Class<? extends T> type,
      Function<Config, ? extends T> factory) {
    String registered = pkg + ">" + className;
    Entry<T> e = new Entry<>(className, null, registered, factory);
    byName.put(key(className), e);
    byName.put(key(registered), e);
    byClass.put(type, e);
  }

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT).replace("_", "");
  }

  /** Whether a name is registered. */
  public boolean contains(String name) {
    BuiltIns.ensureRegistered();
    return byName.containsKey(key(name));
  }

  /** The registered Keras class name of an object. */
  public String classNameOf(Object o) {
    BuiltIns.ensureRegistered();
    Entry<T> e = byClass.get(o.getClass());
    if (e == null) {
      throw new IllegalStateException(kind + " class " + o.getClass().getName()
          + " is not registered; call Registry." + kind.toUpperCase(Locale.ROOT)
          + "S.register(...) once before saving it");
    }
    return e.className;
  }

  /** Serialises a configurable object to Keras's {module, class_name, config, registered_name} form. */
  public Map<String, Object> serialize(T o) {
    BuiltIns.ensureRegistered();
    Entry<T> e = byClass.get(o.getClass());
    if (e == null) {
      classNameOf(o);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("module", e.module);
    m.put("class_name", e.className);
    m.put("config", ((Configurable) o).getConfig());
    m.put("registered_name", e.registeredName);
    return m;
  }

  /**
   * Rebuilds an object from its serialised form: a {@code {"class_name", "config"}} map or a
   * registered name string.
   */
  @SuppressWarnings("unchecked")
  public T deserialize(Object serialized) {
    BuiltIns.ensureRegistered();
    if (serialized instanceof String) {
      return create((String) serialized, Map.of());
    }
    if (serialized instanceof Map) {
      Map<String, Object> m = (Map<String, Object>) serialized;
      Object cn = m.get("class_name");
      Object reg = m.get("registered_name");
      if (!(cn instanceof String)) {
        throw new IllegalArgumentException(kind + ": expected a 'class_name' string in " + m);
      }
      String name = reg instanceof String && byName.containsKey(key((String) reg))
          ? (String) reg : (String) cn;
      Object cfg = m.get("config");
      return create(name, cfg instanceof Map ? (Map<String, Object>) cfg : Map.of());
    }
    throw new IllegalArgumentException(kind + ": expected a name or a {class_name, config} object, "
        + "found " + serialized);
  }

  /** Creates an object from a registered name and config map. */
  public T create(String name, Map<String, Object> config) {
    BuiltIns.ensureRegistered();
    Entry<T> e = byName.get(key(name));
    if (e == null) {
      throw new IllegalArgumentException("unknown " + kind + " '" + name + "'; expected one of "
          + names());
    }
    return e.factory.apply(new Config(e.className + (config.get("name") != null
        ? " '" + config.get("name") + "'" : ""), config));
  }

  /** The registered class names, sorted. */
  public List<String> names() {
    BuiltIns.ensureRegistered();
    TreeSet<String> s = new TreeSet<>();
    for (Entry<T> e : byName.values()) {
      s.add(e.className);
    }
    return new ArrayList<>(s);
  }
}
