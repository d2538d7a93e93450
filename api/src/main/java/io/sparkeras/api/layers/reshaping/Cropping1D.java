package io.sparkeras.api.layers.reshaping;

import io.sparkeras.api.config.Config;

/**
 * Keras's {@code Cropping1D}: removes steps at the start and end of a {@code (batch, steps, channels)} input (default 1 each; Keras's Cropping1D has no data_format).
 *
 * <pre>{@code
 * new Cropping1D(2, 0);
 * }</pre>
 */
public class Cropping1D extends MarginLayer {

  /** {@code (cropping, cropping)}, or {@code (before, after)}. */
  public Cropping1D(int... cropping) {
    super(1, true, new int[][] {cropping.length == 1 ? new int[] {cropping[0], cropping[0]} : cropping});
  }

  public static Cropping1D fromConfig(Config c) {
    Cropping1D l = new Cropping1D(margins(c, "cropping", 1, new int[][] {{1, 1}})[0]);
    return l.readConfig(l, c);
  }
}
