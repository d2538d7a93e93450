package io.sparkeras.api.initializers;

import io.sparkeras.api.config.Config;

/** All ones (e.g. normalisation scales). */
public final class Ones extends Constant {
  public Ones() {
    super(1.0);
  }

  public static Ones fromConfig(Config c) {
    return new Ones();
  }
}
