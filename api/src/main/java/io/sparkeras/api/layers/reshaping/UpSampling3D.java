package io.sparkeras.api.layers.reshaping;

import io.sparkeras.api.config.Config;

/**
 * Keras's {@code UpSampling3D}: the three spatial axes grow by {@code size} (default 2 each), by
 * repetition.
 *
 * <pre>{@code new UpSampling3D(2, 2, 1); }</pre>
 */
public class UpSampling3D extends BaseUpSampling {

  public UpSampling3D() {
    this(2);
  }

  /** One factor for every axis, or one per axis. */
  public UpSampling3D(int... size) {
    super(3, size);
  }

  public static UpSampling3D fromConfig(Config c) {
    UpSampling3D u = new UpSampling3D(c.has("size") ? c.getInts("size", 3) : new int[] {2});
    return u.readConfig(u, c);
  }

  /** "channels_last" (default, also for null) or "channels_first". */
  public UpSampling3D dataFormat(String dataFormat) {
    setDataFormat(dataFormat);
    return this;
  }
}
