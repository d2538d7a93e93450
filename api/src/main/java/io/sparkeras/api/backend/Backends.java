package io.sparkeras.api.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Chooses the JVM's backend once, like Keras's {@code KERAS_BACKEND}: the system property
 * {@value #BACKEND_PROP_NAME}, else the environment variable {@value #BACKEND_ENV_NAME}, else
 * {@value #BACKEND_DEFAULT}.
 *
 * <pre>{@code
 * import static io.sparkeras.api.backend.Backends.ops;
 * Tensor y = ops().relu(x);
 * Backends.current().name();   // "torch"
 * }</pre>
 */
public final class Backends {
  /** System property naming the backend. */
  public static final String BACKEND_PROP_NAME = "sparkeras.backend";
  /** Environment variable naming the backend. */
  public static final String BACKEND_ENV_NAME = "SPARKERAS_BACKEND";
  /** The backend used when nothing is set. */
  public static final String BACKEND_DEFAULT = "torch";

  private static volatile Backend current;

  private Backends() {}

  /** The JVM's backend, loaded on first use. */
  public static Backend current() {
    Backend b = current;
    if (b == null) {
      synchronized (Backends.class) {
        b = current;
        if (b == null) {
          b = load(configuredName());
          current = b;
        }
      }
    }
    return b;
  }

  /**
   * Makes the backend named by {@code setting} (a configuration key the user set, such as
   * Spark's {@code spark.sparkeras.backend}) this JVM's backend, or checks that it already is:
   * how a Spark application names one backend for its driver and every executor.
   *
   * <pre>{@code
   * Backends.select("tensorflow", "spark.sparkeras.backend");   // before any model is built
   * }</pre>
   *
   * @throws IllegalStateException when the JVM already runs another backend, or its
   *     {@value #BACKEND_PROP_NAME} / {@value #BACKEND_ENV_NAME} names another one: a JVM runs one
   *     backend, and the message says which setting to change
   */
  public static Backend select(String name, String setting) {
    String want = name.trim().toLowerCase(Locale.ROOT);
    synchronized (Backends.class) {
      if (current == null) {
        String explicit = explicitSetting();
        if (explicit != null && !configuredName().equals(want)) {
          throw new IllegalStateException(setting + " asks for the '" + want + "' backend but "
              + explicit + " names '" + configuredName() + "': a JVM runs one backend; set the same "
              + "name in both, or only one of them");
        }
        current = load(want, setting);
      } else if (!current.name().equals(want)) {
        throw new IllegalStateException(setting + " asks for the '" + want + "' backend but this "
            + "JVM already runs '" + current.name() + "' (from " + BACKEND_PROP_NAME + ", "
            + BACKEND_ENV_NAME + " or the default '" + BACKEND_DEFAULT + "', chosen when the "
            + "first model or tensor was made): a JVM runs one backend; set " + setting + " before "
            + "anything is built, or start the JVM with -D" + BACKEND_PROP_NAME + "=" + want);
      }
      return current;
    }
  }

  /** Where the property or environment names a backend ({@code -Dsparkeras.backend} ...). */
  private static String explicitSetting() {
    String p = System.getProperty(BACKEND_PROP_NAME);
    if (p != null && !p.isBlank()) {
      return "-D" + BACKEND_PROP_NAME;
    }
    String e = System.getenv(BACKEND_ENV_NAME);
    return e != null && !e.isBlank() ? BACKEND_ENV_NAME : null;
  }

  /** Shorthand for {@code current().ops()}, meant for static import. */
  public static Ops ops() {
    return current().ops();
  }

  /** The name configured by property or environment, or the default. */
  public static String configuredName() {
    String name = System.getProperty(BACKEND_PROP_NAME);
    if (name == null || name.isBlank()) {
      name = System.getenv(BACKEND_ENV_NAME);
    }
    if (name == null || name.isBlank()) {
      name = BACKEND_DEFAULT;
    }
    return name.trim().toLowerCase(Locale.ROOT);
  }

  /** Names of the backends found on the classpath. */
  public static List<String> available() {
    List<String> names = new ArrayList<>();
    for (Backend b : ServiceLoader.load(Backend.class)) {
      names.add(b.name());
    }
    return names;
  }

  /**
   * Makes {@code b} the JVM's backend and returns the previous one (null if none was loaded):
   * for tests that compare two backends in one JVM, between steps only.
   */
  static synchronized Backend swap(Backend b) {
    Backend previous = current;
    current = b;
    return previous;
  }

  static Backend load(String name) {
    return load(name, BACKEND_PROP_NAME + "/" + BACKEND_ENV_NAME);
  }

  private static Backend load(String name, String setting) {
    List<String> found = new ArrayList<>();
    for (Backend b : ServiceLoader.load(Backend.class)) {
      found.add(b.name());
      if (b.name().equals(name)) {
        if (!b.isAvailable()) {
          throw new IllegalStateException("backend '" + name + "' is on the classpath but its "
              + "native libraries did not load; see the log above");
        }
        return b;
      }
    }
    throw new IllegalArgumentException(setting + ": unknown backend '" + name + "'; expected one "
        + "of " + found + (name.equals("tensorflow") ? " (the tensorflow backend's jar, "
        + "sparkeras-backend-tensorflow, is not on this JVM's classpath: docs/backends.md)" : ""));
  }
}
