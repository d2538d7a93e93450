package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.config.Config;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Zooms images at random in training, Keras's {@code RandomZoom}: the height zoom is uniform in
 * {@code 1 + [lo, hi]} of {@code height_factor} (a number {@code f} means {@code [-f, f]};
 * negative zooms in), the width zoom likewise from {@code width_factor} or equal to the height
 * zoom when it is not set; about the image centre, resampled per {@link AffineImageLayer}.
 *
 * <pre>{@code
 * new RandomZoom(0.2).seed(5);
 * }</pre>
 */
public final class RandomZoom extends AffineImageLayer {
  private final Object heightConfig;
  private final Object widthConfig;
  private final double[] heightFactor;
  private final double[] widthFactor;

  public RandomZoom(double heightFactor) {
    this(heightFactor, null);
  }

  /** Height and width factors (each a Double or a {@code double[2]}; width may be null). */
  public RandomZoom(Object heightFactor, Object widthFactor) {
    this.heightConfig = factorConfig(heightFactor);
    this.widthConfig = factorConfig(widthFactor);
    this.heightFactor = factor(heightFactor, "height_factor", -1, 1);
    this.widthFactor = widthFactor == null ? null : factor(widthFactor, "width_factor", -1, 1);
  }

  private RandomZoom(Config c) {
    super(c);
    this.heightConfig = c.get("height_factor");
    this.widthConfig = c.get("width_factor");
    this.heightFactor = factor(heightConfig, "height_factor", -1, 1);
    this.widthFactor = widthConfig == null ? null : factor(widthConfig, "width_factor", -1, 1);
  }

  public static RandomZoom fromConfig(Config c) {
    return new RandomZoom(c);
  }

  @Override
  protected void transform(SplittableRandom random, int height, int width, float[] m) {
    float hz = uniform(random, 1.0 + heightFactor[0], 1.0 + heightFactor[1]);
    float wz = widthFactor == null ? hz : uniform(random, 1.0 + widthFactor[0],
        1.0 + widthFactor[1]);
    matrix(hz, wz, height, width, m);
  }

  /** Keras's {@code _get_zoom_matrix} for zooms (height, width), in float32. */
  public static void matrix(float heightZoom, float widthZoom, int height, int width, float[] m) {
    m[0] = widthZoom;
    m[1] = 0f;
    m[2] = ((float) width - 1.0f) / 2.0f * (1.0f - widthZoom);
    m[3] = 0f;
    m[4] = heightZoom;
    m[5] = ((float) height - 1.0f) / 2.0f * (1.0f - heightZoom);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("height_factor", heightConfig);
    m.put("width_factor", widthConfig);
    return m;
  }
}
