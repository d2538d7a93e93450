package io.sparkeras.api.initializers;

import io.sparkeras.api.config.Config;

/**
 * Lecun normal: truncated normal with {@code stddev = sqrt(1 / fan_in)}. For SELU layers.
 *
 * <pre>{@code new Dense(64).activation("selu").kernelInitializer(new LecunNormal(7L)); }</pre>
 */
public final class LecunNormal extends VarianceScaling {
  public LecunNormal() {
    this(null);
  }

  public LecunNormal(Long seed) {
    super(1.0, "fan_in", "truncated_normal", seed);
  }

  public static LecunNormal fromConfig(Config c) {
    return new LecunNormal(seedOf(c));
  }
}
