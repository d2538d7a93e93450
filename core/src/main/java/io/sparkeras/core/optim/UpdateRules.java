package io.sparkeras.core.optim;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Builds {@link UpdateRule}s from a Keras optimizer config (the {@code config} object of
 * {@code optimizer.get_config()}: {@code beta_1}, {@code momentum}, ...). Unknown names and
 * out-of-range values fail with a message naming the key.
 */
public final class UpdateRules {
  private UpdateRules() {}

  /** Creates the rule for a registered optimizer name with the given Keras config values. */
  public static UpdateRule create(String name, Map<String, ?> config) {
    String key = name.toLowerCase(java.util.Locale.ROOT);
    switch (key) {
      case "adam":
        return new Adam(num(config, "beta_1", 0.9), num(config, "beta_2", 0.999),
            num(config, "epsilon", 1e-7), bool(config, "amsgrad", false));
      default:
        throw new IllegalArgumentException("optimizer: unknown name '" + name
            + "'; expected one of [adam]");
    }
  }

  /** Allocates the rule's state slots for {@code size} parameters, each filled with its initial value. */
  public static FloatBuffer[] allocateState(UpdateRule rule, int size) {
    FloatBuffer[] state = new FloatBuffer[rule.stateSlots()];
    for (int s = 0; s < state.length; s++) {
      state[s] = ByteBuffer.allocateDirect(size * Float.BYTES).order(ByteOrder.nativeOrder())
          .asFloatBuffer();
      float init = rule.initialState(s);
      if (init != 0f) {
        for (int i = 0; i < size; i++) {
          state[s].put(i, init);
        }
      }
    }
    return state;
  }

  static double num(Map<String, ?> config, String key, double dflt) {
    Object v = config.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number) {
      return ((Number) v).doubleValue();
    }
    throw new IllegalArgumentException("optimizer config '" + key + "': expected a number, found "
        + v);
  }

  static boolean bool(Map<String, ?> config, String key, boolean dflt) {
    Object v = config.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Boolean) {
      return (Boolean) v;
    }
    throw new IllegalArgumentException("optimizer config '" + key + "': expected true or false, found "
        + v);
  }
}
