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
  static String tupleString(int[] t) {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < t.length; i++) {
      b.append(i == 0 ? "" : ", ").append(t[i]);
    }
    return b.append(t.length == 1 ? ",)" : ")").toString();
  }
}
