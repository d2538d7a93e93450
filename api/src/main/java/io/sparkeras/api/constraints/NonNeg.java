package io.sparkeras.api.constraints;

import io.sparkeras.api.config.Config;
import java.util.Map;

/**
 * Keras's {@code NonNeg}: negative weights become 0 after every step.
 *
 * <pre>{@code new Dense(64).biasConstraint(new NonNeg()); }</pre>
 */
public final class NonNeg extends Constraint {

  public NonNeg() {}

  public static NonNeg fromConfig(Config c) {
    return new NonNeg();
  }

  @Override
  public String className() {
    return "NonNeg";
  }

  @Override
  public Map<String, Object> getConfig() {
    return Config.newMap();
  }
}
