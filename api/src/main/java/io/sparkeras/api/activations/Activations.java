package io.sparkeras.api.activations;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Activation functions by Keras name: {@code linear}, {@code relu}, {@code sigmoid},
 * {@code tanh}, {@code softmax} (last axis), {@code gelu} (tanh approximation, Keras's default),
 * {@code silu} (alias {@code swish}), {@code softplus}.
 *
 * <pre>{@code
 * Tensor y = Activations.get("relu").apply(x);
 * new Dense(10).activation("softmax");
 * }</pre>
 */
public final class Activations {
  private static final Map<String, UnaryOperator<Tensor>> BY_NAME = new LinkedHashMap<>();

  static {
    BY_NAME.put("linear", x -> x);
    BY_NAME.put("relu", x -> ops().relu(x));
    BY_NAME.put("sigmoid", x -> ops().sigmoid(x));
    BY_NAME.put("tanh", x -> ops().tanh(x));
    BY_NAME.put("softmax", x -> ops().softmax(x, -1));
    BY_NAME.put("gelu", x -> ops().gelu(x, true));
    BY_NAME.put("silu", x -> ops().silu(x));
    BY_NAME.put("swish", x -> ops().silu(x));
    BY_NAME.put("softplus", x -> ops().softplus(x));
  }

  private Activations() {}

  /** The activation for a Keras name; null means linear. */
  public static UnaryOperator<Tensor> get(String name) {
    UnaryOperator<Tensor> f = BY_NAME.get(canonical(name));
    if (f == null) {
      throw new IllegalArgumentException("activation: unknown name '" + name + "'; expected one of "
          + BY_NAME.keySet());
    }
    return f;
  }

  /**
   * Adds an activation under a name (lower case) for configs that use it, e.g. the definitions
   * tf.keras 2 files were trained with where Keras 3 changed them (docs/keras-files.md).
   */
  public static synchronized void register(String name, UnaryOperator<Tensor> f) {
    BY_NAME.putIfAbsent(name.toLowerCase(Locale.ROOT), f);
  }

  /** The canonical name ("swish" stays "swish"; null becomes "linear"); fails on unknown names. */
  public static String canonical(String name) {
    String n = name == null ? "linear" : name.toLowerCase(Locale.ROOT);
    if (!BY_NAME.containsKey(n)) {
      throw new IllegalArgumentException("activation: unknown name '" + name + "'; expected one of "
          + BY_NAME.keySet());
    }
    return n;
  }
}
