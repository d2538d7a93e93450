package io.sparkeras.api.initializers;

import io.sparkeras.api.config.Config;

/** He normal: truncated normal with {@code stddev = sqrt(2 / fan_in)}. For ReLU layers. */
public final class HeNormal extends VarianceScaling {
  public HeNormal() {
    this(null);
  }

  public HeNormal(Long seed) {
    super(2.0, "fan_in", "truncated_normal", seed);
  }

  public static HeNormal fromConfig(Config c) {
    return new HeNormal(seedOf(c));
  }
}
