package io.sparkeras.api.activations;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Activation functions by Keras 3 name, every name {@code keras.activations.get} accepts:
 * {@code celu, elu, exponential, gelu, glu, hard_shrink, hard_sigmoid, hard_silu} (alias
 * {@code hard_swish}), {@code hard_tanh, leaky_relu, linear, log_sigmoid, log_softmax, mish, relu,
 * relu6, selu, sigmoid, silu} (alias {@code swish}), {@code soft_shrink, softmax, softplus,
 * softsign, sparse_plus, sparse_sigmoid, sparsemax, squareplus, tanh, tanh_shrink}, each with
 * Keras's default arguments (for instance {@code gelu} is the exact, erf-based GELU and
 * {@code hard_sigmoid} is Keras 3's {@code relu6(x + 3) / 6}). {@code threshold} needs two more
 * arguments, so it has no name-only form (Keras's fails too): call {@link #threshold}.
 *
 * <p>The functions with parameters are public for layers and custom code:
 *
 * <pre>{@code
 * Tensor y = Activations.get("relu").apply(x);
 * Tensor z = Activations.relu(x, 0.1, 6.0, 0.0);   // negative_slope, max_value, threshold
 * new Dense(10).activation("softmax");
 * }</pre>
 */
public final class Activations {
  /** SELU's constants, as in Keras. */
  public static final double SELU_ALPHA = 1.6732632423543772848170429916717;
  public static final double SELU_SCALE = 1.0507009873554804934193349852946;

  private static final Map<String, UnaryOperator<Tensor>> BY_NAME = new LinkedHashMap<>();

  static {
    BY_NAME.put("linear", x -> x);
    BY_NAME.put("relu", x -> ops().relu(x));
    BY_NAME.put("sigmoid", x -> ops().sigmoid(x));
    BY_NAME.put("tanh", x -> ops().tanh(x));
    BY_NAME.put("softmax", x -> ops().softmax(x, -1));
    BY_NAME.put("gelu", x -> ops().gelu(x, false));
    BY_NAME.put("silu", x -> ops().silu(x));
    BY_NAME.put("swish", x -> ops().silu(x));
    BY_NAME.put("softplus", x -> ops().softplus(x));
    BY_NAME.put("celu", x -> celu(x, 1.0));
    BY_NAME.put("elu", x -> ops().elu(x, 1.0));
    BY_NAME.put("selu", Activations::selu);
    BY_NAME.put("exponential", x -> ops().exp(x));
    BY_NAME.put("glu", x -> glu(x, -1));
    BY_NAME.put("hard_shrink", x -> hardShrink(x, 0.5));
    BY_NAME.put("hard_sigmoid", Activations::hardSigmoid);
    BY_NAME.put("hard_silu", x -> ops().multiply(x, hardSigmoid(x)));
    BY_NAME.put("hard_swish", x -> ops().multiply(x, hardSigmoid(x)));
    BY_NAME.put("hard_tanh", x -> ops().clip(x, -1, 1));
    BY_NAME.put("leaky_relu", x -> leakyRelu(x, 0.2));
    BY_NAME.put("log_sigmoid", x -> ops().negative(ops().softplus(ops().negative(x))));
    BY_NAME.put("log_softmax", x -> ops().logSoftmax(x, -1));
    BY_NAME.put("mish", x -> ops().multiply(x, ops().tanh(ops().softplus(x))));
    BY_NAME.put("relu6", x -> ops().clip(x, 0, 6));
    BY_NAME.put("soft_shrink", x -> softShrink(x, 0.5));
    BY_NAME.put("softsign", x -> ops().divide(x, ops().add(ops().abs(x), 1)));
    BY_NAME.put("sparse_plus", Activations::sparsePlus);
    BY_NAME.put("sparse_sigmoid", x -> ops().clip(ops().add(ops().multiply(x, 0.5), 0.5), 0, 1));
    BY_NAME.put("sparsemax", x -> sparsemax(x, -1));
    BY_NAME.put("squareplus", x -> squareplus(x, 4));
    BY_NAME.put("tanh_shrink", x -> ops().subtract(x, ops().tanh(x)));
  }

  private Activations() {}

  /** The activation for a Keras name; null means linear. */
  public static UnaryOperator<Tensor> get(String name) {
    return BY_NAME.get(canonical(name));
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
    if (n.equals("threshold")) {
      throw new IllegalArgumentException("activation: 'threshold' needs its threshold and "
          + "default_value arguments and cannot be used by name (Keras cannot call it by name "
          + "either); use Activations.threshold(x, threshold, defaultValue) in a custom layer");
    }
    if (!BY_NAME.containsKey(n)) {
      throw new IllegalArgumentException("activation: unknown name '" + name + "'; expected one of "
          + names());
    }
    return n;
  }

  /** Every name {@link #get} accepts. */
  public static List<String> names() {
    return new ArrayList<>(BY_NAME.keySet());
  }

  // ---- the functions with parameters -----------------------------------------------------

  /**
   * Keras's {@code relu(x, negative_slope, max_value, threshold)}: values at or below
   * {@code threshold} become {@code negative_slope * (x - threshold)}, the rest stay {@code x},
   * capped at {@code max_value} (null: no cap).
   */
  public static Tensor relu(Tensor x, double negativeSlope, Double maxValue, double threshold) {
    if (negativeSlope != 0 && maxValue == null && threshold == 0) {
      return leakyRelu(x, negativeSlope);
    }
    Tensor negativePart = null;
    if (negativeSlope != 0) {
      negativePart = ops().relu(threshold != 0 ? ops().add(ops().negative(x), threshold)
          : ops().negative(x));
    }
    Tensor y;
    if (threshold != 0) {
      y = ops().multiply(x, ops().greater(x, ops().scalar(threshold)));
    } else {
      y = ops().relu(x);
    }
    if (maxValue != null) {
      y = ops().clip(y, 0, maxValue);
    }
    if (negativePart != null) {
      y = ops().subtract(y, ops().multiply(negativePart, negativeSlope));
    }
    return y;
  }

  /** {@code max(x, negative_slope * x)}, as Keras's {@code leaky_relu}. */
  public static Tensor leakyRelu(Tensor x, double negativeSlope) {
    return ops().maximum(x, ops().multiply(x, negativeSlope));
  }

  /** {@code scale * elu(x, alpha)} with Keras's SELU constants. */
  public static Tensor selu(Tensor x) {
    return ops().multiply(ops().elu(x, SELU_ALPHA), SELU_SCALE);
  }

  /** {@code max(x, 0) + alpha * (exp(min(x, 0) / alpha) - 1)}. */
  public static Tensor celu(Tensor x, double alpha) {
    return ops().multiply(ops().elu(ops().multiply(x, 1 / alpha), 1.0), alpha);
  }

  /** Keras 3's {@code hard_sigmoid}: {@code clip(x / 6 + 0.5, 0, 1)}. */
  public static Tensor hardSigmoid(Tensor x) {
    return ops().clip(ops().add(ops().multiply(x, 1.0 / 6), 0.5), 0, 1);
  }

  /** {@code a * sigmoid(b)} with {@code a, b} the two halves of {@code x} along the axis. */
  public static Tensor glu(Tensor x, int axis) {
    int n = x.dim(axis);
    if (n % 2 != 0) {
      throw new IllegalArgumentException("glu: the size of axis " + axis + " must be even, found "
          + n + " in shape " + java.util.Arrays.toString(x.shape()));
    }
    return ops().multiply(ops().slice(x, axis, 0, n / 2),
        ops().sigmoid(ops().slice(x, axis, n / 2, n / 2)));
  }

  /** {@code x} where {@code |x| > threshold}, else 0. */
  public static Tensor hardShrink(Tensor x, double threshold) {
    return ops().multiply(x, ops().greater(ops().abs(x), ops().scalar(threshold)));
  }

  /** {@code x - threshold} above it, {@code x + threshold} below {@code -threshold}, else 0. */
  public static Tensor softShrink(Tensor x, double threshold) {
    return ops().multiply(ops().sign(x), ops().relu(ops().add(ops().abs(x), -threshold)));
  }

  /** 0 for {@code x <= -1}, {@code (x + 1)^2 / 4} between, {@code x} for {@code x >= 1}. */
  public static Tensor sparsePlus(Tensor x) {
    Tensor inner = ops().multiply(ops().square(ops().add(ops().clip(x, -1, 1), 1)), 0.25);
    return ops().where(ops().greater(x, ops().scalar(1)), x, inner);
  }

  /** {@code (x + sqrt(x^2 + b)) / 2}. */
  public static Tensor squareplus(Tensor x, double b) {
    return ops().multiply(ops().add(x, ops().sqrt(ops().add(ops().square(x), b))), 0.5);
  }

  /** {@code x} where {@code x > threshold}, else {@code defaultValue}. */
  public static Tensor threshold(Tensor x, double threshold, double defaultValue) {
    Tensor keep = ops().greater(x, ops().scalar(threshold));
    return ops().add(ops().multiply(x, keep),
        ops().multiply(ops().add(ops().negative(keep), 1), defaultValue));
  }

  /**
   * Sparsemax along the axis: {@code max(x - tau, 0)} with {@code tau} chosen so that each slice
   * sums to 1 (Martins and Astudillo, 2016), computed as Keras does from the sorted values.
   */
  public static Tensor sparsemax(Tensor x, int axis) {
    int r = x.rank();
    int a = axis < 0 ? axis + r : axis;
    int n = x.dim(a);
    Tensor sorted = ops().sort(x, a, true);
    Tensor cumsum = ops().cumsum(sorted, a);
    float[] k = new float[n];
    for (int i = 0; i < n; i++) {
      k[i] = i + 1;
    }
    int[] kShape = new int[r];
    java.util.Arrays.fill(kShape, 1);
    kShape[a] = n;
    Tensor ks = ops().constant(k, kShape);
    // support: sorted_k - (cumsum_k - 1) / k > 0
    Tensor support = ops().greater(ops().subtract(sorted,
        ops().divide(ops().add(cumsum, -1), ks)), ops().scalar(0));
    Tensor count = ops().sum(support, new int[] {a}, true);
    Tensor tau = ops().divide(ops().add(ops().sum(ops().multiply(cumsum, support),
        new int[] {a}, true), -1), count);
    return ops().relu(ops().subtract(x, tau));
  }
}
