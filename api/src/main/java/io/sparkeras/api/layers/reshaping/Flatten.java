package io.sparkeras.api.layers.reshaping;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.DataFormat;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerConfigs;
import java.util.Map;

/**
 * Flattens every dimension but the batch one, in row-major channels-last order: with
 * {@code data_format} channels_first the channels axis is moved last first, as Keras does, so
 * that a following Dense sees the same order either way.
 *
 * <pre>{@code
 * new Flatten();
 * new Flatten().dataFormat("channels_first");
 * }</pre>
 */
public class Flatten extends Layer {
  private DataFormat dataFormat = DataFormat.CHANNELS_LAST;

  public Flatten() {}

  public static Flatten fromConfig(Config c) {
    return LayerConfigs.base(new Flatten(), c).dataFormat(c.getString("data_format", null));
  }

  /** "channels_last" (default, also for null) or "channels_first". */
  public Flatten dataFormat(String dataFormat) {
    this.dataFormat = DataFormat.of(dataFormat, "Flatten");
    return this;
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    return ops().reshape(dataFormat.toChannelsLast(x), x.dim(0), -1);
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    long n = 1;
    for (int d : inputShape) {
      if (d < 0) {
        return new int[] {-1};
      }
      n *= d;
    }
    return new int[] {Math.toIntExact(n)};
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("data_format", dataFormat.kerasName());
    return m;
  }
}
