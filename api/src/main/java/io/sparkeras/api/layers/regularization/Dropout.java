package io.sparkeras.api.layers.regularization;

import static io.sparkeras.api.backend.Backends.ops;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.Layer;
import java.util.Map;

/**
 * Inverted dropout: in training, zeroes each value with probability {@code rate} and scales the
 * rest by {@code 1 / (1 - rate)}; at inference, the identity.
 *
 * <pre>{@code new Dropout(0.2); }</pre>
 */
public class Dropout extends Layer {
  private final double rate;
  private final Long seed;

  public Dropout(double rate) {
    this(rate, null);
  }

  public Dropout(double rate, Long seed) {
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("Dropout rate: expected a value in [0, 1), found " + rate);
    }
    this.rate = rate;
    this.seed = seed;
  }

  public static Dropout fromConfig(Config c) {
    if (c.get("noise_shape") != null) {
      throw new IllegalArgumentException("Dropout: config key 'noise_shape' is not supported yet "
          + "(expected null), found " + c.get("noise_shape"));
    }
    Dropout d = new Dropout(c.getDouble("rate"), c.has("seed") ? (long) c.getInt("seed") : null);
    d.name(c.getString("name", null));
    d.trainable(c.getBoolean("trainable", true));
    return d;
  }

  public double rate() {
    return rate;
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    return training && rate > 0 ? ops().dropout(x, rate) : x;
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    return inputShape.clone();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("rate", rate);
    m.put("seed", seed);
    m.put("noise_shape", null);
    return m;
  }
}
