package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.config.Config;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Rotates images by a random angle in training, Keras's {@code RandomRotation}: the angle is
 * uniform in {@code [factor_lo, factor_hi] * 360} degrees (a number {@code f} means
 * {@code [-f, f]}), about the image centre, resampled per {@link AffineImageLayer}.
 *
 * <pre>{@code
 * new RandomRotation(0.1).fillMode("constant").seed(3);   // up to +-36 degrees
 * }</pre>
 */
public final class RandomRotation extends AffineImageLayer {
  private final Object factorConfig;
  private final double[] factor;

  public RandomRotation(double factor) {
    this((Object) factor);
  }

  /** A range {@code [lo, hi]} of fractions of a full turn. */
  public RandomRotation(double lo, double hi) {
    this((Object) new double[] {lo, hi});
  }

  private RandomRotation(Object f) {
    this.factor = factor(f, "factor", -1, 1);
    this.factorConfig = pair(this.factor);
  }

  private RandomRotation(Config c) {
    super(c);
    this.factor = factor(c.get("factor"), "factor", -1, 1);
    this.factorConfig = pair(this.factor);
  }

  public static RandomRotation fromConfig(Config c) {
    return new RandomRotation(c);
  }

  @Override
  protected void transform(SplittableRandom random, int height, int width, float[] m) {
    float angle = uniform(random, factor[0] * 360.0, factor[1] * 360.0);
    matrix(angle, height, width, m);
  }

  /** Keras's {@code _compute_affine_matrix} for a rotation by {@code degrees}, in float32. */
  public static void matrix(float degrees, int height, int width, float[] m) {
    float angle = degrees * (float) (Math.PI / 180.0);
    float cx = 0.5f * (width - 1);
    float cy = 0.5f * (height - 1);
    float cos = (float) Math.cos(angle);
    float sin = (float) Math.sin(angle);
    float a0 = cos + 0f * sin;
    float a1 = -sin + 0f * cos;
    float b0 = 0f * cos + sin;
    float b1 = 0f * -sin + cos;
    m[0] = a0;
    m[1] = a1;
    m[2] = 0f + cx - cx * a0 - cy * a1;
    m[3] = b0;
    m[4] = b1;
    m[5] = 0f + cy - cx * b0 - cy * b1;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("factor", factorConfig);
    return m;
  }
}
