package io.sparkeras.api.layers.reshaping;

import io.sparkeras.api.config.Config;

/**
 * Keras's {@code Cropping2D}: removes rows and columns at the borders of a {@code (batch, height, width, channels)} input (default none).
 *
 * <pre>{@code
 * new Cropping2D(new int[][] {{1, 0}, {2, 1}});
 * }</pre>
 */
public class Cropping2D extends MarginLayer {

  /** One value for every side, or one per spatial axis (both sides alike). */
  public Cropping2D(int... cropping) {
    super(2, true, symmetric(2, cropping, "Cropping2D", "cropping"));
  }

  /** One {@code {before, after}} pair per spatial axis. */
  public Cropping2D(int[][] cropping) {
    super(2, true, cropping);
  }

  public static Cropping2D fromConfig(Config c) {
    Cropping2D l = new Cropping2D(margins(c, "cropping", 2, new int[][] {{0, 0}, {0, 0}}));
    return l.readConfig(l, c);
  }

  /** "channels_last" (default, also for null) or "channels_first". */
  public Cropping2D dataFormat(String dataFormat) {
    setDataFormat(dataFormat);
    return this;
  }
}
