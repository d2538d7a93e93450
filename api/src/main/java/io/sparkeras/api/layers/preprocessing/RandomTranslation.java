package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.config.Config;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Shifts images at random in training, Keras's {@code RandomTranslation}: by a fraction of the
 * height uniform in {@code height_factor}'s range and of the width in {@code width_factor}'s (a
 * number {@code f} means {@code [-f, f]}), resampled per {@link AffineImageLayer}.
 *
 * <pre>{@code
 * new RandomTranslation(0.1, 0.1).fillMode("nearest");
 * }</pre>
 */
public final class RandomTranslation extends AffineImageLayer {
  private final Object heightConfig;
  private final Object widthConfig;
  private final double[] heightFactor;
  private final double[] widthFactor;

  public RandomTranslation(double heightFactor, double widthFactor) {
    this((Object) heightFactor, (Object) widthFactor);
  }

  /** Height and width factors, each a Double or a {@code double[2]}. */
  public RandomTranslation(Object heightFactor, Object widthFactor) {
    this.heightConfig = factorConfig(heightFactor);
    this.widthConfig = factorConfig(widthFactor);
    this.heightFactor = factor(heightFactor, "height_factor", -1, 1);
    this.widthFactor = factor(widthFactor, "width_factor", -1, 1);
  }

  private RandomTranslation(Config c) {
    super(c);
    this.heightConfig = c.get("height_factor");
    this.widthConfig = c.get("width_factor");
    this.heightFactor = factor(heightConfig, "height_factor", -1, 1);
    this.widthFactor = factor(widthConfig, "width_factor", -1, 1);
  }

  public static RandomTranslation fromConfig(Config c) {
    return new RandomTranslation(c);
  }

  @Override
  protected void transform(SplittableRandom random, int height, int width, float[] m) {
    float dy = uniform(random, heightFactor[0], heightFactor[1]) * height;
    float dx = uniform(random, widthFactor[0], widthFactor[1]) * width;
    matrix(dy, dx, m);
  }

  /** Keras's {@code _get_translation_matrix} for a shift of (dy, dx) pixels. */
  public static void matrix(float dy, float dx, float[] m) {
    m[0] = 1f;
    m[1] = 0f;
    m[2] = -dx;
    m[3] = 0f;
    m[4] = 1f;
    m[5] = -dy;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("height_factor", heightConfig);
    m.put("width_factor", widthConfig);
    return m;
  }
}
