package io.sparkeras.api.initializers;

import io.sparkeras.api.config.Config;

/**
 * Lecun uniform: uniform in {@code [-limit, limit]}, {@code limit = sqrt(3 / fan_in)}.
 *
 * <pre>{@code new Dense(64).activation("selu").kernelInitializer(new LecunUniform(7L)); }</pre>
 */
public final class LecunUniform extends VarianceScaling {
  public LecunUniform() {
    this(null);
  }

  public LecunUniform(Long seed) {
    super(1.0, "fan_in", "uniform", seed);
  }

  public static LecunUniform fromConfig(Config c) {
    return new LecunUniform(seedOf(c));
  }
}
