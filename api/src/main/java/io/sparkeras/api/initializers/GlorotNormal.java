package io.sparkeras.api.initializers;

import io.sparkeras.api.config.Config;

/** Glorot normal: truncated normal with {@code stddev = sqrt(2 / (fan_in + fan_out))}. */
public final class GlorotNormal extends VarianceScaling {
  public GlorotNormal() {
    this(null);
  }

  public GlorotNormal(Long seed) {
    super(1.0, "fan_avg", "truncated_normal", seed);
  }

  public static GlorotNormal fromConfig(Config c) {
    return new GlorotNormal(seedOf(c));
  }
}
