package io.sparkeras.api.initializers;

import io.sparkeras.api.config.Config;
import java.util.Map;

/**
 * Keras's {@code Identity} initializer: {@code gain} times the identity matrix, for rank-2
 * weights only (rectangular ones get ones on the main diagonal).
 *
 * <pre>{@code new Dense(16).kernelInitializer(new Identity(1.0)); }</pre>
 */
public final class Identity extends Initializer {
  private final double gain;

  public Identity() {
    this(1.0);
  }

  public Identity(double gain) {
    super(null);
    this.gain = gain;
  }

  public static Identity fromConfig(Config c) {
    return new Identity(c.getDouble("gain", 1.0));
  }

  @Override
  public float[] generate(int[] shape) {
    if (shape.length != 2) {
      throw new IllegalArgumentException("Identity initializer: expected a rank-2 weight, found "
          + "shape " + java.util.Arrays.toString(shape));
    }
    float[] out = new float[size(shape)];
    for (int i = 0; i < Math.min(shape[0], shape[1]); i++) {
      out[i * shape[1] + i] = (float) gain;
    }
    return out;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = Config.newMap();
    m.put("gain", gain);
    return m;
  }
}
