package io.sparkeras.api.backend;

import java.util.List;

/**
 * Backend-neutral tensor operations, the Java counterpart of {@code keras.ops}. Layers, losses
 * and custom layers are written against this interface only; each backend implements it on its
 * engine, with automatic differentiation for everything here.
 *
 * <p>Conventions: axes may be negative (counted from the end); broadcasting follows NumPy; images
 * are channels-last ({@code [batch, height, width, channels]}), sequences
 * {@code [batch, steps, features]}, convolution kernels Keras-shaped
 * ({@code [kh, kw, in, out]}, {@code [k, in, out]}); padding is {@code "valid"} or {@code "same"}.
 *
 * <pre>{@code
 * import static io.sparkeras.api.backend.Backends.ops;
 * Tensor h = ops().relu(ops().add(ops().matmul(x, kernel.value()), bias.value()));
 * }</pre>
 */
public interface Ops {

  // ---- creation --------------------------------------------------------------------------

  /** A float32 tensor holding a copy of {@code data[offset, offset + prod(shape))}. */
  Tensor fromArray(float[] data, int offset, int[] shape);

  /** A float32 tensor holding a copy of {@code data}, reshaped. */
  default Tensor constant(float[] data, int... shape) {
    return fromArray(data, 0, shape);
  }

  /** A float32 scalar. */
  Tensor scalar(double value);

  /** A float32 tensor of zeros. */
  Tensor zeros(int... shape);

  /** A float32 tensor of ones. */
  Tensor ones(int... shape);

  /** Converts to another element type (float to int64 truncates toward zero). */
  Tensor cast(Tensor x, DType dtype);

  // ---- elementwise -----------------------------------------------------------------------

  Tensor add(Tensor a, Tensor b);

  Tensor add(Tensor a, double b);

  Tensor subtract(Tensor a, Tensor b);

  Tensor multiply(Tensor a, Tensor b);

  Tensor multiply(Tensor a, double b);

  Tensor divide(Tensor a, Tensor b);

  Tensor maximum(Tensor a, Tensor b);

  Tensor minimum(Tensor a, Tensor b);

  Tensor power(Tensor x, double exponent);

  Tensor negative(Tensor x);

  Tensor exp(Tensor x);

  /** Natural logarithm. */
  Tensor log(Tensor x);

  Tensor sqrt(Tensor x);

  Tensor square(Tensor x);

  Tensor abs(Tensor x);

  Tensor sign(Tensor x);

  /** Clips every value into {@code [min, max]}. */
  Tensor clip(Tensor x, double min, double max);

  /** 1 where {@code a == b}, else 0, as float32. */
  Tensor equal(Tensor a, Tensor b);

  /** 1 where {@code a > b}, else 0, as float32. */
  Tensor greater(Tensor a, Tensor b);

  /** {@code condition != 0 ? a : b}, elementwise. */
  Tensor where(Tensor condition, Tensor a, Tensor b);

  // ---- activations -----------------------------------------------------------------------

  Tensor relu(Tensor x);

  Tensor sigmoid(Tensor x);

  Tensor tanh(Tensor x);

  /** GELU; {@code approximate} selects the tanh approximation (Keras's default is true). */
  Tensor gelu(Tensor x, boolean approximate);

  /** SiLU (swish): {@code x * sigmoid(x)}. */
  Tensor silu(Tensor x);

  Tensor softplus(Tensor x);

  Tensor softmax(Tensor x, int axis);

  Tensor logSoftmax(Tensor x, int axis);

  // ---- reductions ------------------------------------------------------------------------

  /** Sum over all elements: a scalar. */
  Tensor sum(Tensor x);

  Tensor sum(Tensor x, int[] axes, boolean keepDims);

  /** Mean over all elements: a scalar. */
  Tensor mean(Tensor x);

  Tensor mean(Tensor x, int[] axes, boolean keepDims);

  /** Population variance (divides by n) over the axes: the mean squared deviation. */
  default Tensor variance(Tensor x, int[] axes, boolean keepDims) {
    Tensor m = mean(x, axes, true);
    return mean(square(subtract(x, m)), axes, keepDims);
  }

  Tensor max(Tensor x, int axis, boolean keepDims);

  /** Index of the largest value along the axis, as int64. */
  Tensor argmax(Tensor x, int axis);

  /** {@code log(sum(exp(x)))} along the axis, computed stably. */
  Tensor logSumExp(Tensor x, int axis, boolean keepDims);

  // ---- shapes ----------------------------------------------------------------------------

  /** Reshape; one dimension may be -1. */
  Tensor reshape(Tensor x, int... shape);

  Tensor transpose(Tensor x, int... permutation);

  Tensor expandDims(Tensor x, int axis);

  Tensor squeeze(Tensor x, int axis);

  Tensor concatenate(List<Tensor> xs, int axis);

  Tensor stack(List<Tensor> xs, int axis);

  /** {@code length} entries starting at {@code start} along {@code axis} (a view where possible). */
  Tensor slice(Tensor x, int axis, int start, int length);

  /** Rows of {@code x} along {@code axis} picked by int64 {@code indices} (the output has the indices' shape in place of that axis). */
  Tensor take(Tensor x, Tensor indices, int axis);

  /** NumPy's take_along_axis: {@code indices} (int64) has x's rank. */
  Tensor takeAlongAxis(Tensor x, Tensor indices, int axis);

  /** One-hot float32 encoding of int64 (or integral float) class indices, new last axis. */
  Tensor oneHot(Tensor indices, int numClasses);

  // ---- linear algebra and nn -------------------------------------------------------------

  /** Matrix product with NumPy's broadcasting rules for batched operands. */
  Tensor matmul(Tensor a, Tensor b);

  /**
   * N-d convolution, channels-last, for N = 1, 2 or 3 ({@code x} of rank N + 2).
   *
   * @param kernel Keras layout {@code [k..., in / groups, out]}
   */
  Tensor conv(Tensor x, Tensor kernel, int[] strides, String padding, int[] dilation, int groups);

  /** N-d max pooling, channels-last. */
  Tensor maxPool(Tensor x, int[] poolSize, int[] strides, String padding);

  /** N-d average pooling, channels-last; "same" padding averages over the valid cells only, like Keras. */
  Tensor averagePool(Tensor x, int[] poolSize, int[] strides, String padding);

  /** Inverted dropout: zeroes each element with probability {@code rate}, scales the rest by 1/(1-rate). */
  Tensor dropout(Tensor x, double rate);

  /** The same values with no gradient flowing back. */
  Tensor stopGradient(Tensor x);

  /** Overwrites a variable's value in place, outside the gradient tape (moving averages). */
  void assign(Tensor variable, Tensor value);

  // ---- core layers: activations, pooling, reshaping, merging, normalization, noise ---------

  /** ELU: {@code x} where {@code x >= 0}, {@code alpha * (exp(x) - 1)} elsewhere. */
  Tensor elu(Tensor x, double alpha);

  /** Largest value over several axes (NumPy's {@code amax}). */
  Tensor max(Tensor x, int[] axes, boolean keepDims);

  /** Smallest value over several axes (NumPy's {@code amin}). */
  Tensor min(Tensor x, int[] axes, boolean keepDims);

  /** The values sorted along the axis, ascending or descending. */
  Tensor sort(Tensor x, int axis, boolean descending);

  /** Running sum along the axis (NumPy's {@code cumsum}). */
  Tensor cumsum(Tensor x, int axis);

  /**
   * Constant padding: {@code padding[i] = {before, after}} for axis {@code i}, one pair for every
   * axis of {@code x} (batch included).
   */
  Tensor pad(Tensor x, int[][] padding, double value);

  /**
   * Resizes the two spatial axes of a channels-last image batch {@code [b, h, w, c]} to
   * {@code height x width}: "nearest" or "bilinear" (half-pixel centres, no antialiasing).
   */
  Tensor resize(Tensor x, int height, int width, String interpolation);

  /** Einstein summation, as NumPy's {@code einsum} (explicit {@code ->} form). */
  Tensor einsum(String equation, List<Tensor> operands);

  /**
   * Uniform values in {@code [0, 1)}, a function of {@code seed} only: the same seed gives the
   * same values on every device.
   */
  Tensor randomUniform(int[] shape, long seed);

  /** Standard normal values, a function of {@code seed} only (see {@link #randomUniform}). */
  Tensor randomNormal(int[] shape, long seed);

  /**
   * L2 normalisation over the axes, as {@code keras.ops.normalize}:
   * {@code x * min(1 / sqrt(sum(x^2)), 1 / epsilon)}. Composed of the ops above.
   */
  default Tensor normalize(Tensor x, int[] axes, double epsilon) {
    Tensor squares = sum(square(x), axes, true);
    return multiply(x, power(maximum(squares, scalar(epsilon * epsilon)), -0.5));
  }
  // ---- convolution, recurrent and attention layers -----------------------------------------

  /**
   * N-d transposed convolution (N = 1, 2 or 3), channels-last, with Keras's
   * {@code ops.conv_transpose} output sizes and alignment (those of TensorFlow and JAX).
   *
   * @param kernel Keras layout {@code [k..., out, in]}
   * @param padding "valid" or "same"
   * @param outputPadding extra size at the end of each spatial axis, or null for Keras's default
   */
  Tensor convTranspose(Tensor x, Tensor kernel, int[] strides, String padding,
      int[] outputPadding, int[] dilation);

  /** The entries along {@code axis} in reverse order (Keras's {@code ops.flip}). */
  Tensor flip(Tensor x, int axis);

  /**
   * The lower triangle of the last two axes (Keras's {@code ops.tril}): entries above diagonal
   * {@code k} (0 the main diagonal) become 0.
   */
  Tensor tril(Tensor x, int k);

  /** Every entry repeated {@code repeats} times along {@code axis} (Keras's {@code ops.repeat}). */
  Tensor repeat(Tensor x, int repeats, int axis);
}
