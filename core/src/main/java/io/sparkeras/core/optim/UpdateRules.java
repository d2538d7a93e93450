package io.sparkeras.core.optim;

import io.sparkeras.core.config.KerasConfig;
import io.sparkeras.core.optim.schedules.Schedules;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds {@link UpdateRule}s from a Keras optimizer config (the {@code config} object of
 * {@code optimizer.get_config()}: {@code beta_1}, {@code momentum}, ...), with Keras 3's
 * registered names and defaults:
 *
 * <table>
 * <caption>Registered optimizers</caption>
 * <tr><th>name</th><th>keys (defaults)</th></tr>
 * <tr><td>sgd</td><td>learning_rate (0.01), momentum (0.0, in [0, 1]), nesterov (false)</td></tr>
 * <tr><td>adam</td><td>learning_rate (0.001), beta_1 (0.9), beta_2 (0.999), epsilon (1e-7),
 *     amsgrad (false)</td></tr>
 * <tr><td>adamw</td><td>as adam, plus weight_decay (0.004, required not null)</td></tr>
 * <tr><td>rmsprop</td><td>learning_rate (0.001), rho (0.9), momentum (0.0), epsilon (1e-7),
 *     centered (false)</td></tr>
 * <tr><td>adagrad</td><td>learning_rate (0.001), initial_accumulator_value (0.1),
 *     epsilon (1e-7)</td></tr>
 * </table>
 *
 * <p>Every optimizer also accepts Keras's base keys: {@code name}, {@code weight_decay} (default
 * none; applied by the rule), {@code learning_rate}, {@code clipnorm}, {@code clipvalue},
 * {@code global_clipnorm} (validated here, applied by {@link FlatOptimizer}), and
 * {@code use_ema}, {@code ema_momentum}, {@code ema_overwrite_frequency},
 * {@code loss_scale_factor}, {@code gradient_accumulation_steps}, {@code decay}, which are
 * accepted only at their "off" values (false / null / 0) because this module does not implement
 * them. Unknown names, unknown keys and out-of-range values fail with an
 * {@link IllegalArgumentException} naming the key, the expected range and the found value.
 *
 * <pre>{@code
 * UpdateRule rule = UpdateRules.create("adam", Map.of("beta_1", 0.9, "amsgrad", true));
 * FloatBuffer[] state = UpdateRules.allocateState(rule, params.capacity());
 * }</pre>
 */
public final class UpdateRules {
  /** The registered names, as Keras's {@code keras.optimizers.get} accepts them. */
  public static final List<String> NAMES = List.of("sgd", "adam", "adamw", "rmsprop", "adagrad");

  /** Keys of Keras's {@code BaseOptimizer.get_config()}, plus the legacy {@code decay}. */
  public static final Set<String> BASE_KEYS = Set.of("name", "learning_rate", "weight_decay",
      "clipnorm", "global_clipnorm", "clipvalue", "use_ema", "ema_momentum",
      "ema_overwrite_frequency", "loss_scale_factor", "gradient_accumulation_steps", "decay");

  private static final double INF = Double.POSITIVE_INFINITY;

  private UpdateRules() {}

  /**
   * Creates the rule for a registered optimizer name (case-insensitive, so Keras class names
   * such as "RMSprop" or "AdamW" work too) with the given Keras config values.
   */
  public static UpdateRule create(String name, Map<String, ?> config) {
    String key = canonicalName(name);
    String owner = "optimizer " + key;
    switch (key) {
      case "sgd": {
        KerasConfig c = KerasConfig.of(owner, config,
            KerasConfig.keys(BASE_KEYS, Set.of("momentum", "nesterov")));
        validateBase(c, key);
        return new SGD(c.number("momentum", 0.0, 0.0, true, 1.0, true),
            c.bool("nesterov", false), weightDecay(c, 0.0));
      }
      case "adam":
      case "adamw": {
        KerasConfig c = KerasConfig.of(owner, config,
            KerasConfig.keys(BASE_KEYS, Set.of("beta_1", "beta_2", "epsilon", "amsgrad")));
        validateBase(c, key);
        double b1 = c.number("beta_1", 0.9, 0.0, true, 1.0, false);
        double b2 = c.number("beta_2", 0.999, 0.0, true, 1.0, false);
        double eps = c.number("epsilon", 1e-7, 0.0, true, INF, false);
        boolean ams = c.bool("amsgrad", false);
        if (key.equals("adam")) {
          return new Adam(b1, b2, eps, ams, weightDecay(c, 0.0));
        }
        if (config.containsKey("weight_decay") && config.get("weight_decay") == null) {
          throw c.fail("weight_decay", "a number >= 0 (AdamW requires it)", "null");
        }
        return new AdamW(b1, b2, eps, ams, weightDecay(c, AdamW.DEFAULT_WEIGHT_DECAY));
      }
      case "rmsprop": {
        KerasConfig c = KerasConfig.of(owner, config,
            KerasConfig.keys(BASE_KEYS, Set.of("rho", "momentum", "epsilon", "centered")));
        validateBase(c, key);
        return new RMSprop(c.number("rho", 0.9, 0.0, true, 1.0, false),
            c.number("momentum", 0.0, 0.0, true, 1.0, true),
            c.number("epsilon", 1e-7, 0.0, true, INF, false),
            c.bool("centered", false), weightDecay(c, 0.0));
      }
      case "adagrad": {
        KerasConfig c = KerasConfig.of(owner, config,
            KerasConfig.keys(BASE_KEYS, Set.of("initial_accumulator_value", "epsilon")));
        validateBase(c, key);
        return new Adagrad(c.number("initial_accumulator_value", 0.1, 0.0, true, INF, false),
            c.number("epsilon", 1e-7, 0.0, true, INF, false), weightDecay(c, 0.0));
      }
      default:
        throw new IllegalArgumentException("optimizer: unknown name '" + name
            + "'; expected one of " + NAMES);
    }
  }

  /** Keras's default {@code learning_rate} for a registered optimizer: 0.01 for sgd, else 0.001. */
  public static double defaultLearningRate(String name) {
    String key = canonicalName(name);
    if (!NAMES.contains(key)) {
      throw new IllegalArgumentException("optimizer: unknown name '" + name
          + "'; expected one of " + NAMES);
    }
    return key.equals("sgd") ? 0.01 : 0.001;
  }

  /** Allocates the rule's state slots for {@code size} parameters, each filled with its initial value. */
  public static FloatBuffer[] allocateState(UpdateRule rule, int size) {
    if (size < 0) {
      throw new IllegalArgumentException("state size: expected a number >= 0, found " + size);
    }
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

  private static String canonicalName(String name) {
    if (name == null) {
      throw new IllegalArgumentException("optimizer: expected a name, one of " + NAMES
          + ", found null");
    }
    return name.toLowerCase(Locale.ROOT);
  }

  private static double weightDecay(KerasConfig c, double dflt) {
    return c.number("weight_decay", dflt, 0.0, true, INF, false);
  }

  /** Validates the base-optimizer keys shared by every optimizer. */
  private static void validateBase(KerasConfig c, String name) {
    Object lr = c.raw("learning_rate");
    if (lr instanceof Map) {
      Schedules.fromKerasConfig((Map<?, ?>) lr);
    } else if (lr != null) {
      c.number("learning_rate", 0.0, 0.0, true, INF, false);
    }
    int clips = 0;
    for (String k : List.of("clipnorm", "clipvalue", "global_clipnorm")) {
      if (c.has(k)) {
        c.number(k, 0.0, 0.0, true, INF, false);
        clips++;
      }
    }
    if (clips > 1) {
      throw new IllegalArgumentException("optimizer " + name + " config 'clipnorm', 'clipvalue', "
          + "'global_clipnorm': expected at most one of them set, found clipnorm="
          + c.raw("clipnorm") + ", clipvalue=" + c.raw("clipvalue") + ", global_clipnorm="
          + c.raw("global_clipnorm"));
    }
    if (c.bool("use_ema", false)) {
      throw c.fail("use_ema", "false (EMA of weights is not implemented in sparkeras-core)",
          "true");
    }
    if (c.has("ema_momentum")) {
      c.number("ema_momentum", 0.99, 0.0, true, 1.0, true);
    }
    for (String k : List.of("ema_overwrite_frequency", "loss_scale_factor",
        "gradient_accumulation_steps")) {
      if (c.has(k)) {
        throw c.fail(k, "null (not implemented in sparkeras-core)", KerasConfig.describe(c.raw(k)));
      }
    }
    Object decay = c.raw("decay");
    if (decay != null && !(decay instanceof Number && ((Number) decay).doubleValue() == 0.0)) {
      throw c.fail("decay", "0 or null (Keras 3 no longer supports 'decay'; use a learning-rate "
          + "schedule)", KerasConfig.describe(decay));
    }
    Object n = c.raw("name");
    if (n != null && !(n instanceof String)) {
      throw c.fail("name", "a string", KerasConfig.describe(n));
    }
  }
}
