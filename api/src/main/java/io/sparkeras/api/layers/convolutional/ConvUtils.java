package io.sparkeras.api.layers.convolutional;

import java.util.Arrays;
import java.util.Locale;

/**
 * Argument checks and output-size arithmetic shared by the convolution and pooling layers, the
 * counterpart of Keras's {@code standardize_tuple}, {@code standardize_padding} and
 * {@code compute_conv_output_shape}.
 *
 * <pre>{@code
 * int out = ConvUtils.outputLength(28, 3, 2, "same", 1);   // 14 = ceil(28 / 2)
 * }</pre>
 */
public final class ConvUtils {
  private ConvUtils() {}

  /**
   * An n-tuple of positive integers: one value is repeated n times (Keras's
   * {@code standardize_tuple}).
   *
   * @param owner the layer class, for the error message
   * @param key the Keras argument name, for the error message
   */
  public static int[] tuple(int[] values, int n, String owner, String key) {
    if (values == null || (values.length != 1 && values.length != n)) {
      throw new IllegalArgumentException(owner + " " + key + ": expected 1 or " + n
          + " integers, found " + Arrays.toString(values));
    }
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = values.length == 1 ? values[0] : values[i];
      if (r[i] <= 0) {
        throw new IllegalArgumentException(owner + " " + key + ": expected positive integers, "
            + "found " + Arrays.toString(values));
      }
    }
    return r;
  }

  /** Lower-cases and checks a padding mode: "valid", "same", and "causal" where allowed. */
  public static String padding(String padding, boolean allowCausal, String owner) {
    String p = padding == null ? "" : padding.toLowerCase(Locale.ROOT);
    if (p.equals("valid") || p.equals("same") || (allowCausal && p.equals("causal"))) {
      return p;
    }
    throw new IllegalArgumentException(owner + " padding: expected 'valid', 'same'"
        + (allowCausal ? " or 'causal'" : "") + ", found '" + padding + "'");
  }

  /** Accepts only {@code "channels_last"} (null, Keras's default, reads as channels_last). */
  public static String requireChannelsLast(String dataFormat, String owner) {
    if (dataFormat == null || "channels_last".equals(dataFormat.toLowerCase(Locale.ROOT))) {
      return "channels_last";
    }
    throw new IllegalArgumentException(owner + ": config key 'data_format' expected "
        + "'channels_last' (Sparkeras layers are channels-last only), found '" + dataFormat + "'");
  }

  /**
   * Lower-cases and checks a {@code data_format}: "channels_last" (also for null, Keras's
   * default) or "channels_first".
   */
  public static String dataFormat(String dataFormat, String owner) {
    String f = dataFormat == null ? "channels_last" : dataFormat.toLowerCase(Locale.ROOT);
    if (f.equals("channels_last") || f.equals("channels_first")) {
      return f;
    }
    throw new IllegalArgumentException(owner + ": config key 'data_format' expected "
        + "'channels_last' or 'channels_first', found '" + dataFormat + "'");
  }

  /**
   * The permutation that moves the channels of a rank-{@code rank} tensor from axis 1 to the
   * end ({@code toLast}) or from the end to axis 1; the batch axis stays first.
   */
  public static int[] channelsPermutation(int rank, boolean toLast) {
    int[] p = new int[rank];
    for (int i = 1; i < rank; i++) {
      p[i] = toLast ? (i == rank - 1 ? 1 : i + 1) : (i == 1 ? rank - 1 : i - 1);
    }
    return p;
  }

  /**
   * One spatial output size of a transposed convolution, as Keras computes it: "valid" gives
   * {@code (in - 1) * s + dk + op} with {@code op} defaulting to {@code max(dk, s) - dk}, "same"
   * gives {@code in * s} without output padding and {@code (in - 1) * s + dk % 2 + op} with it
   * ({@code dk} the dilated kernel); -1 stays -1.
   */
  public static int transposeOutputLength(int in, int kernel, int stride, String padding,
      Integer outputPadding, int dilation) {
    if (in < 0) {
      return -1;
    }
    int dk = (kernel - 1) * dilation + 1;
    if (padding.equals("valid")) {
      int op = outputPadding == null ? Math.max(dk, stride) - dk : outputPadding;
      return (in - 1) * stride + dk + op;
    }
    return outputPadding == null ? in * stride : (in - 1) * stride + dk % 2 + outputPadding;
  }

  /**
   * One spatial output size, as Keras computes it: "valid" gives
   * {@code floor((in - (k - 1) * d - 1) / s) + 1}, "same" and "causal" give {@code ceil(in / s)};
   * an unknown input size (-1) gives -1, and a valid window larger than the input gives 0 or less.
   */
  public static int outputLength(int in, int kernel, int stride, String padding, int dilation) {
    if (in < 0) {
      return -1;
    }
    if (padding.equals("valid")) {
      int span = (kernel - 1) * dilation + 1;
      return in < span ? 0 : (in - span) / stride + 1;
    }
    return (in + stride - 1) / stride;
  }

  /** "(2, 2)" as Keras prints tuples. */
  public static String tupleString(int[] t) {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < t.length; i++) {
      b.append(i == 0 ? "" : ", ").append(t[i]);
    }
    return b.append(t.length == 1 ? ",)" : ")").toString();
  }
}
