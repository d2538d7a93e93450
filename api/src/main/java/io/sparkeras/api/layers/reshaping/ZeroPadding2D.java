package io.sparkeras.api.layers.reshaping;

import io.sparkeras.api.config.Config;

/**
 * Keras's {@code ZeroPadding2D}: rows and columns of zeros around a {@code (batch, height, width, channels)} input (default 1 each side).
 *
 * <pre>{@code
 * new ZeroPadding2D(new int[][] {{1, 2}, {0, 1}}).dataFormat("channels_first");
 * }</pre>
 */
public class ZeroPadding2D extends MarginLayer {

  /** One value for every side, or one per spatial axis (both sides alike). */
  public ZeroPadding2D(int... padding) {
    super(2, false, symmetric(2, padding, "ZeroPadding2D", "padding"));
  }

  /** One {@code {before, after}} pair per spatial axis. */
  public ZeroPadding2D(int[][] padding) {
    super(2, false, padding);
  }

  public static ZeroPadding2D fromConfig(Config c) {
    ZeroPadding2D l = new ZeroPadding2D(margins(c, "padding", 2, new int[][] {{1, 1}, {1, 1}}));
    return l.readConfig(l, c);
  }

  /** "channels_last" (default, also for null) or "channels_first". */
  public ZeroPadding2D dataFormat(String dataFormat) {
    setDataFormat(dataFormat);
    return this;
  }
}
