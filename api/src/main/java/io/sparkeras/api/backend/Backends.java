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
    throw new IllegalArgumentException(BACKEND_PROP_NAME + "/" + BACKEND_ENV_NAME + ": unknown backend '"
        + name + "'; expected one of " + found);
  }
}
