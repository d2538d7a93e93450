package io.sparkeras.api.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Registered names of one kind of object (layers, initializers, losses, ...) and the factories
 * that rebuild them from their Keras config. Serialised form, as Keras 3 writes it:
 * {@code {"module": "keras.layers", "class_name": "Dense", "config": {...}, "registered_name": null}}.
 * A plain string ({@code "relu"}, {@code "glorot_uniform"}) is accepted where Keras accepts one.
 *
 * <p>Each kind keeps its registry beside its base class ({@code Layer.REGISTRY},
 * {@code Initializer.REGISTRY}, {@code Loss.REGISTRY}, {@code Metric.REGISTRY},
 * {@code Optimizer.REGISTRY}); this class knows none of them. The built-in names are registered
 * by the {@link Registrations} found through {@link ServiceLoader}, once, before any registry is
 * first read. Custom objects register themselves once, like Keras's
 * {@code keras.saving.register_keras_serializable}:
 * <pre>{@code
 * Layer.REGISTRY.register("MyLayer", "Custom", MyLayer.class, MyLayer::fromConfig);
 * }</pre>
 */
public final class Registry<T> {
  private static final Object LOADING = new Object();
  private static volatile boolean loaded;
  /** True while the loading thread runs the registrations (guarded by {@code LOADING}). */
  private static boolean running;

  private final String kind;
  private final String defaultModule;
  private final String accessor;
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

  /**
   * A registry of one kind of object.
   *
   * @param kind what it holds, for messages ("layer")
   * @param defaultModule the Keras module written for built-ins ("keras.layers")
   * @param accessor how code reaches it, for messages ("Layer.REGISTRY")
   */
  public Registry(String kind, String defaultModule, String accessor) {
    this.kind = kind;
    this.defaultModule = defaultModule;
    this.accessor = accessor;
  }

  /**
   * Runs every {@link Registrations} on the class path once (the built-ins first of all). Other
   * threads wait until every registration is in: one that saw a half-filled registry would fail
   * to save a model ("initializer GlorotUniform is not registered"). A registration that reads a
   * registry meanwhile (the loading thread itself) sees what is registered so far.
   */
  private static void ensureRegistered() {
    if (loaded) {
      return;
    }
    synchronized (LOADING) {
      if (loaded || running) {
        return;
      }
      running = true;
      try {
        ServiceLoader<Registrations> found = ServiceLoader.load(Registrations.class);
        if (!found.iterator().hasNext()) {
          found = ServiceLoader.load(Registrations.class, Registry.class.getClassLoader());
        }
        for (Registrations r : found) {
          r.register();
        }
      } finally {
        running = false;
      }
      loaded = true;
    }
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
    ensureRegistered();
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
    ensureRegistered();
    return byName.containsKey(key(name));
  }

  /** The registered Keras class name of an object. */
  public String classNameOf(Object o) {
    ensureRegistered();
    Entry<T> e = byClass.get(o.getClass());
    if (e == null) {
      throw new IllegalStateException(kind + " class " + o.getClass().getName()
          + " is not registered; call " + accessor + ".register(...) once before saving it");
    }
    return e.className;
  }

  /** Serialises a configurable object to Keras's {module, class_name, config, registered_name} form. */
  public Map<String, Object> serialize(T o) {
    ensureRegistered();
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
    ensureRegistered();
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
    ensureRegistered();
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
    ensureRegistered();
    TreeSet<String> s = new TreeSet<>();
    for (Entry<T> e : byName.values()) {
      s.add(e.className);
    }
    return new ArrayList<>(s);
  }
}
