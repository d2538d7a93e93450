package io.sparkeras.api.initializers;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.config.Configurable;
import io.sparkeras.api.config.Registry;
import java.util.Map;

/**
 * Fills a new weight. Values are generated in Java, so the same seed gives the same weights on
 * every backend and every machine.
 *
 * <pre>{@code
 * new Dense(64).kernelInitializer(new HeNormal(42));
 * new Dense(64).kernelInitializer("glorot_uniform");
 * }</pre>
 */
public abstract class Initializer implements Configurable {
  /** Weight initializers by Keras name: configs and custom registrations ({@link Registry}). */
  public static final Registry<Initializer> REGISTRY =
      new Registry<>("initializer", "keras.initializers", "Initializer.REGISTRY");

  /** The seed, or null to draw one from {@link Sparkeras#nextSeed()} at each call. */
  protected final Long seed;

  protected Initializer(Long seed) {
    this.seed = seed;
  }

  /** Values for a weight of this shape, row-major. */
  public abstract float[] generate(int[] shape);

  protected long seedForCall() {
    return seed != null ? seed : Sparkeras.nextSeed();
  }

  protected static int size(int[] shape) {
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("initializer: weight shape must be fully known, found "
            + java.util.Arrays.toString(shape));
      }
      n *= d;
    }
    return Math.toIntExact(n);
  }

  /** Keras's compute_fans: {fan_in, fan_out}. */
  public static double[] fans(int[] shape) {
    if (shape.length == 0) {
      return new double[] {1, 1};
    }
    if (shape.length == 1) {
      return new double[] {shape[0], shape[0]};
    }
    if (shape.length == 2) {
      return new double[] {shape[0], shape[1]};
    }
    double receptive = 1;
    for (int i = 0; i < shape.length - 2; i++) {
      receptive *= shape[i];
    }
    return new double[] {shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive};
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = io.sparkeras.api.config.Config.newMap();
    m.put("seed", seed);
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o != null && o.getClass() == getClass()
        && getConfig().equals(((Initializer) o).getConfig());
  }

  @Override
  public int hashCode() {
    return getConfig().hashCode();
  }
}
