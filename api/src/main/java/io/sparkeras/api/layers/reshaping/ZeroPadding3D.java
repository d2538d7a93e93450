package io.sparkeras.api.layers.reshaping;

import io.sparkeras.api.config.Config;

/**
 * Keras's {@code ZeroPadding3D}: zeros around the three spatial axes of a {@code (batch, depth, height, width, channels)} input (default 1 each side).
 *
 * <pre>{@code
 * new ZeroPadding3D(1, 2, 0);
 * }</pre>
 */
public class ZeroPadding3D extends MarginLayer {

  /** One value for every side, or one per spatial axis (both sides alike). */
  public ZeroPadding3D(int... padding) {
    super(3, false, symmetric(3, padding, "ZeroPadding3D", "padding"));
  }

  /** One {@code {before, after}} pair per spatial axis. */
  public ZeroPadding3D(int[][] padding) {
    super(3, false, padding);
  }

  public static ZeroPadding3D fromConfig(Config c) {
    ZeroPadding3D l = new ZeroPadding3D(margins(c, "padding", 3, new int[][] {{1, 1}, {1, 1}, {1, 1}}));
    return l.readConfig(l, c);
  }

  /** "channels_last" (default, also for null) or "channels_first". */
  public ZeroPadding3D dataFormat(String dataFormat) {
    setDataFormat(dataFormat);
    return this;
  }
}
