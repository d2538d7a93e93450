package io.sparkeras.api.layers.reshaping;

import io.sparkeras.api.config.Config;
import java.util.Map;

/**
 * Keras's {@code UpSampling2D}: rows and columns grow by {@code size} (default 2 each), by
 * repetition ("nearest", default) or "bilinear" interpolation.
 *
 * <pre>{@code
 * new UpSampling2D(2, 3).interpolation("bilinear").dataFormat("channels_first");
 * }</pre>
 */
public class UpSampling2D extends BaseUpSampling {

  public UpSampling2D() {
    this(2);
  }

  /** One factor for both axes, or one per axis. */
  public UpSampling2D(int... size) {
    super(2, size);
  }

  public static UpSampling2D fromConfig(Config c) {
    UpSampling2D u = new UpSampling2D(c.has("size") ? c.getInts("size", 2) : new int[] {2});
    u.interpolation(c.getString("interpolation", "nearest"));
    return u.readConfig(u, c);
  }

  /** "nearest" (default) or "bilinear". */
  public UpSampling2D interpolation(String interpolation) {
    setInterpolation(interpolation);
    return this;
  }

  /** "channels_last" (default, also for null) or "channels_first". */
  public UpSampling2D dataFormat(String dataFormat) {
    setDataFormat(dataFormat);
    return this;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("interpolation", interpolation());
    return m;
  }
}
