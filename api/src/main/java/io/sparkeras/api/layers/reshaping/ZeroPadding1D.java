package io.sparkeras.api.layers.reshaping;

import io.sparkeras.api.config.Config;

/**
 * Keras's {@code ZeroPadding1D}: zeros added before and after the steps of a {@code (batch, steps, channels)} input (default 1 each side).
 *
 * <pre>{@code
 * new ZeroPadding1D(2, 1);        // 2 steps before, 1 after
 * }</pre>
 */
public class ZeroPadding1D extends MarginLayer {

  /** {@code (padding, padding)}, or {@code (before, after)}. */
  public ZeroPadding1D(int... padding) {
    super(1, false, new int[][] {padding.length == 1 ? new int[] {padding[0], padding[0]} : padding});
  }

  public static ZeroPadding1D fromConfig(Config c) {
    ZeroPadding1D l = new ZeroPadding1D(margins(c, "padding", 1, new int[][] {{1, 1}})[0]);
    return l.readConfig(l, c);
  }

  /** "channels_last" (default, also for null) or "channels_first". */
  public ZeroPadding1D dataFormat(String dataFormat) {
    setDataFormat(dataFormat);
    return this;
  }
}
