package io.sparkeras.api.layers.reshaping;

import io.sparkeras.api.config.Config;

/**
 * Keras's {@code Cropping3D}: removes the borders of the three spatial axes of a {@code (batch, depth, height, width, channels)} input (default 1 each side).
 *
 * <pre>{@code
 * new Cropping3D(1).dataFormat("channels_first");
 * }</pre>
 */
public class Cropping3D extends MarginLayer {

  /** One value for every side, or one per spatial axis (both sides alike). */
  public Cropping3D(int... cropping) {
    super(3, true, symmetric(3, cropping, "Cropping3D", "cropping"));
  }

  /** One {@code {before, after}} pair per spatial axis. */
  public Cropping3D(int[][] cropping) {
    super(3, true, cropping);
  }

  public static Cropping3D fromConfig(Config c) {
    Cropping3D l = new Cropping3D(margins(c, "cropping", 3, new int[][] {{1, 1}, {1, 1}, {1, 1}}));
    return l.readConfig(l, c);
  }

  /** "channels_last" (default, also for null) or "channels_first". */
  public Cropping3D dataFormat(String dataFormat) {
    setDataFormat(dataFormat);
    return this;
  }
}
