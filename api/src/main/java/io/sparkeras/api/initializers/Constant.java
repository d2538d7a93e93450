package io.sparkeras.api.initializers;

import io.sparkeras.api.config.Config;
import java.util.Map;

/**
 * Every value the same. {@link Zeros} and {@link Ones} are its common cases.
 *
 * <pre>{@code new Dense(1).biasInitializer(new Constant(0.5)); }</pre>
 */
public class Constant extends Initializer {
  private final double value;

  public Constant(double value) {
    super(null);
    this.value = value;
  }

  public static Constant fromConfig(Config c) {
    return new Constant(c.getDouble("value", 0.0));
  }

  public double value() {
    return value;
  }

  @Override
  public float[] generate(int[] shape) {
    float[] out = new float[size(shape)];
    if (value != 0) {
      java.util.Arrays.fill(out, (float) value);
    }
    return out;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = Config.newMap();
    if (getClass() == Constant.class) {
      m.put("value", value);
    }
    return m;
  }
}
