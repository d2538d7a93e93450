package io.sparkeras.api.layers.regularization;

import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.DataFormat;

/**
 * Keras's {@code SpatialDropout3D}: dropout of whole channels of a rank-5 input (batch
 * included), one draw per sample and channel; the identity at inference.
 *
 * <pre>{@code
 * new SpatialDropout3D(0.2, 7L, DataFormat.CHANNELS_FIRST);
 * }</pre>
 */
public class SpatialDropout3D extends SpatialDropout {

  public SpatialDropout3D(double rate) {
    this(rate, null, DataFormat.CHANNELS_LAST);
  }

  public SpatialDropout3D(double rate, Long seed, DataFormat dataFormat) {
    super(3, rate, seed, dataFormat);
  }

  public static SpatialDropout3D fromConfig(Config c) {
    SpatialDropout3D d = new SpatialDropout3D(c.getDouble("rate"), seedOf(c),
        DataFormat.of(c.getString("data_format", null), "SpatialDropout3D"));
    return readBase(d, c);
  }
}
