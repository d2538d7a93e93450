package io.sparkeras.api.layers.regularization;

import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.DataFormat;

/**
 * Keras's {@code SpatialDropout1D}: dropout of whole channels of a rank-3 input (batch
 * included), one draw per sample and channel; the identity at inference.
 *
 * <pre>{@code
 * new SpatialDropout1D(0.2);   // (None, steps, channels): whole channels dropped
 * }</pre>
 */
public class SpatialDropout1D extends SpatialDropout {

  public SpatialDropout1D(double rate) {
    this(rate, null);
  }

  public SpatialDropout1D(double rate, Long seed) {
    super(1, rate, seed, DataFormat.CHANNELS_LAST);
  }

  public static SpatialDropout1D fromConfig(Config c) {
    SpatialDropout1D d = new SpatialDropout1D(c.getDouble("rate"), seedOf(c));
    return readBase(d, c);
  }
}
