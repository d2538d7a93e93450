package io.sparkeras.api.layers.regularization;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.SameShapeLayer;
import io.sparkeras.api.random.SeedGenerator;
import java.util.Map;

/**
 * The random layers that are the identity at inference ({@link Dropout}, {@link GaussianNoise},
 * {@link GaussianDropout}, {@link AlphaDropout}): one strength setting ({@code rate} or
 * {@code stddev}), a seed with its {@link SeedGenerator}, and optionally Keras's
 * {@code noise_shape}.
 */
public abstract class NoiseLayer extends SameShapeLayer {
  private final String key;
  private final double strength;
  private final Long seed;
  private final SeedGenerator seeds;
  private int[] noiseShape;

  /**
   * @param key the Keras name of the strength, for config and messages ("rate", "stddev")
   * @param strength in [0, 1), or [0, 1] when {@code closed}
   */
  protected NoiseLayer(String key, double strength, boolean closed, Long seed) {
    if (!(strength >= 0 && (closed ? strength <= 1 : strength < 1))) {
      throw new IllegalArgumentException(getClass().getSimpleName() + " " + key + ": expected a "
          + "value in [0, 1" + (closed ? "]" : ")") + ", found " + strength);
    }
    this.key = key;
    this.strength = strength;
    this.seed = seed;
    this.seeds = new SeedGenerator(seed);
  }

  /** The {@code seed} config key, or null. */
  protected static Long seedOf(Config c) {
    return c.has("seed") ? Long.valueOf(c.getInt("seed")) : null;
  }

  /** Reads {@code noise_shape} (null entries mean the input's size). */
  protected void readNoiseShape(Config c) {
    if (c.get("noise_shape") != null) {
      setNoiseShape(c.getInts("noise_shape", -1));
    }
  }

  protected final void setNoiseShape(int[] noiseShape) {
    this.noiseShape = noiseShape == null ? null : noiseShape.clone();
  }

  /** The rate or standard deviation. */
  protected double strength() {
    return strength;
  }

  public Long seed() {
    return seed;
  }

  /** The seed for the next draw. */
  protected long nextSeed() {
    return seeds.next();
  }

  /** The noise's shape for an input of this full shape (batch first). */
  protected int[] maskShape(int[] inputShape) {
    if (noiseShape == null) {
      return inputShape;
    }
    if (noiseShape.length != inputShape.length) {
      throw new IllegalArgumentException("layer '" + getName() + "' (" + getClass().getSimpleName()
          + "): noise_shape " + java.util.Arrays.toString(noiseShape) + " has " + noiseShape.length
          + " axes, the input " + inputShape.length + " (batch included)");
    }
    int[] s = new int[inputShape.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = noiseShape[i] < 0 ? inputShape[i] : noiseShape[i];
    }
    return s;
  }

  /** The training-mode transformation (called only with a strength above 0). */
  protected abstract Tensor noise(Tensor x);

  @Override
  public final Tensor call(Tensor x, boolean training) {
    return training && strength > 0 ? noise(x) : x;
  }

  /** The base config plus the strength and seed (and {@code noise_shape} if it has one). */
  protected Map<String, Object> noiseConfig(boolean withNoiseShape) {
    Map<String, Object> m = super.getConfig();
    m.put(key, strength);
    m.put("seed", seed);
    if (withNoiseShape) {
      m.put("noise_shape", noiseShape == null ? null : Config.shapeList(noiseShape));
    }
    return m;
  }
}
