package io.sparkeras.api.initializers;

import io.sparkeras.api.config.Config;

/** Glorot (Xavier) uniform: {@code U(-l, l)}, {@code l = sqrt(6 / (fan_in + fan_out))}. The default kernel initializer. */
public final class GlorotUniform extends VarianceScaling {
  public GlorotUniform() {
    this(null);
  }

  public GlorotUniform(Long seed) {
    super(1.0, "fan_avg", "uniform", seed);
  }

  public static GlorotUniform fromConfig(Config c) {
    return new GlorotUniform(seedOf(c));
  }
}
