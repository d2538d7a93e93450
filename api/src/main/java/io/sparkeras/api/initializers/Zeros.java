package io.sparkeras.api.initializers;

import io.sparkeras.api.config.Config;

/** All zeros: the default bias initializer. */
public final class Zeros extends Constant {
  public Zeros() {
    super(0.0);
  }

  public static Zeros fromConfig(Config c) {
    return new Zeros();
  }
}
