package io.sparkeras.api.backend;

/** Test access to {@link Backends}' package-private loader. */
public final class BackendsAccess {
  private BackendsAccess() {}

  public static Backend load(String name) {
    return Backends.load(name);
  }
}
