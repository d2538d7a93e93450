package io.sparkeras.api.saving.keras;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.activations.Activations;
import java.util.List;
import java.util.Map;

/**
 * Model configs written by Keras 2 / tf.keras 2, made to mean here what they meant when the model
 * was trained. {@code hard_sigmoid} changed its definition in Keras 3 and keeps its old math under
 * its own name: tf.keras 2's is {@code clip(0.2 x + 0.5, 0, 1)} (Keras 3: {@code relu6(x + 3) / 6})
 * and becomes {@value #HARD_SIGMOID}. ({@code gelu} by name is the exact erf form in both.) Keys
 * Keras 3 rejects but older Keras wrote ({@code dtype} inside initializer configs,
 * {@code time_major} in recurrent layers, a {@code Bidirectional} inner layer without
 * {@code module}) are dropped or filled in.
 *
 * <pre>{@code
 * Map<String, Object> cfg = LegacyConfigs.upgrade(modelConfig, "2.15.0");
 * }</pre>
 */
public final class LegacyConfigs {
  /** tf.keras 2's hard_sigmoid, {@code clip(0.2 x + 0.5, 0, 1)}. */
  public static final String HARD_SIGMOID = "tf_keras2_hard_sigmoid";

  static {
    Activations.register(HARD_SIGMOID,
        x -> ops().clip(ops().add(ops().multiply(x, 0.2), 0.5), 0.0, 1.0));
  }

  private LegacyConfigs() {}

  /** Makes sure the legacy activations are registered (for configs saved from such models). */
  public static void ensureRegistered() {
    // the static initialiser does the work
  }

  /** Whether a file's {@code keras_version} is older than Keras 3 (missing: Keras 1). */
  public static boolean isBeforeKeras3(String kerasVersion) {
    if (kerasVersion == null || kerasVersion.isEmpty()) {
      return true;
    }
    int dot = kerasVersion.indexOf('.');
    try {
      return Integer.parseInt(dot < 0 ? kerasVersion : kerasVersion.substring(0, dot)) < 3;
    } catch (NumberFormatException e) {
      return true;
    }
  }

  /**
   * Rewrites {@code config} in place for this Sparkeras and returns it; activations are renamed
   * only when {@code kerasVersion} is older than Keras 3.
   */
  public static Map<String, Object> upgrade(Map<String, Object> config, String kerasVersion) {
    walk(config, isBeforeKeras3(kerasVersion));
    return config;
  }

  @SuppressWarnings("unchecked")
  private static void walk(Object node, boolean legacyMath) {
    if (node instanceof List) {
      for (Object o : (List<Object>) node) {
        walk(o, legacyMath);
      }
      return;
    }
    if (!(node instanceof Map)) {
      return;
    }
    Map<String, Object> m = (Map<String, Object>) node;
    Object cls = m.get("class_name");
    Object cfg = m.get("config");
    if (cls instanceof String && cfg instanceof Map) {
      Map<String, Object> c = (Map<String, Object>) cfg;
      if (isInitializer(m, (String) cls)) {
        c.remove("dtype");
      }
      c.remove("time_major");
      if ("Bidirectional".equals(cls) && c.get("layer") instanceof Map) {
        ((Map<String, Object>) c.get("layer")).putIfAbsent("module", "keras.layers");
      }
      if (legacyMath) {
        rename(c, "activation");
        rename(c, "recurrent_activation");
      }
    }
    for (Object v : m.values()) {
      walk(v, legacyMath);
    }
  }

  private static boolean isInitializer(Map<String, Object> m, String cls) {
    Object module = m.get("module");
    return module instanceof String && ((String) module).contains("initializers")
        || cls.endsWith("Initializer") || cls.equals("VarianceScaling") || cls.startsWith("Glorot")
        || cls.startsWith("He") || cls.startsWith("Lecun") || cls.startsWith("Random")
        || cls.equals("TruncatedNormal") || cls.equals("Orthogonal") || cls.equals("Zeros")
        || cls.equals("Ones") || cls.equals("Constant") || cls.equals("Identity");
  }

  private static void rename(Map<String, Object> c, String key) {
    Object a = c.get(key);
    if ("hard_sigmoid".equals(a)) {
      ensureRegistered();
      c.put(key, HARD_SIGMOID);
    }
  }
}
