package io.sparkeras.api.layers.regularization;

import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.DataFormat;

/**
 * Keras's {@code SpatialDropout2D}: dropout of whole channels of a rank-4 input (batch
 * included), one draw per sample and channel; the identity at inference.
 *
 * <pre>{@code
 * new SpatialDropout2D(0.2, 7L, DataFormat.CHANNELS_FIRST);
 * }</pre>
 */
public class SpatialDropout2D extends SpatialDropout {

  public SpatialDropout2D(double rate) {
    this(rate, null, DataFormat.CHANNELS_LAST);
  }

  public SpatialDropout2D(double rate, Long seed, DataFormat dataFormat) {
    super(2, rate, seed, dataFormat);
  }

  public static SpatialDropout2D fromConfig(Config c) {
    SpatialDropout2D d = new SpatialDropout2D(c.getDouble("rate"), seedOf(c),
        DataFormat.of(c.getString("data_format", null), "SpatialDropout2D"));
    return readBase(d, c);
  }
}
