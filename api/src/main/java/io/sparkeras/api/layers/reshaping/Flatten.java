package io.sparkeras.api.layers.reshaping;

import static io.sparkeras.api.backend.Backends.ops;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.Layer;
import java.util.Map;

/**
 * Flattens every dimension but the batch one, in row-major (channels-last) order.
 *
 * <pre>{@code new Flatten(); }</pre>
 */
public class Flatten extends Layer {
  public Flatten() {}

  public static Flatten fromConfig(Config c) {
    String format = c.getString("data_format", "channels_last");
    if (!"channels_last".equals(format)) {
      throw new IllegalArgumentException("Flatten: config key 'data_format' expected "
          + "'channels_last', found '" + format + "'");
    }
    Flatten f = new Flatten();
    f.name(c.getString("name", null));
    f.trainable(c.getBoolean("trainable", true));
    return f;
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    return ops().reshape(x, x.dim(0), -1);
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
    m.put("data_format", "channels_last");
    return m;
  }
}
