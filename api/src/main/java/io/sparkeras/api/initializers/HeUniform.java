package io.sparkeras.api.initializers;

import io.sparkeras.api.config.Config;

/** He uniform: {@code U(-l, l)}, {@code l = sqrt(6 / fan_in)}. */
public final class HeUniform extends VarianceScaling {
  public HeUniform() {
    this(null);
  }

  public HeUniform(Long seed) {
    super(2.0, "fan_in", "uniform", seed);
  }

  public static HeUniform fromConfig(Config c) {
    return new HeUniform(seedOf(c));
  }
}
