package io.sparkeras.api.layers.reshaping;

import io.sparkeras.api.config.Config;

/**
 * Keras's {@code UpSampling1D}: repeats every step {@code size} times (default 2) along the steps
 * of a {@code (batch, steps, features)} input.
 *
 * <pre>{@code new UpSampling1D(3); }</pre>
 */
public class UpSampling1D extends BaseUpSampling {

  public UpSampling1D() {
    this(2);
  }

  public UpSampling1D(int size) {
    super(1, new int[] {size});
  }

  public static UpSampling1D fromConfig(Config c) {
    UpSampling1D u = new UpSampling1D(c.getInt("size", 2));
    return u.readConfig(u, c);
  }
}
