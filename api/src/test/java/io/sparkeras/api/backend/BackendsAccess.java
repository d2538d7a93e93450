package io.sparkeras.api.backend;

/** Test access to {@link Backends}' package-private loader. */
public final class BackendsAccess {
  private BackendsAccess() {}

  public static Backend load(String name) {
    return Backends.load(name);
  }

  /** Makes {@code b} the JVM's backend; returns the previous one. */
  public static Backend swap(Backend b) {
    return Backends.swap(b);
  }
}
