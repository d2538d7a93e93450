package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.config.Config;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Changes image contrast at random in training, Keras's {@code RandomContrast}: per image a
 * factor uniform in {@code [1 - lo, 1 + hi]} of the factor range (Keras 3.10's
 * {@code _set_factor} with bounds [0, 1] makes a number {@code f} the range {@code [0, f]}, so
 * the factor is in {@code [1, 1 + f]}, as there); each channel becomes
 * {@code (x - mean) * factor + mean} with the channel's mean over the image, clipped to
 * {@code value_range} (default [0, 255]).
 *
 * <pre>{@code
 * new RandomContrast(0.2).seed(1);
 * }</pre>
 */
public final class RandomContrast extends RandomImageLayer {
  private final double[] factor;
  private final double[] valueRange;

  public RandomContrast(double factor) {
    this(factor, new double[] {0, 255});
  }

  public RandomContrast(double factor, double[] valueRange) {
    this.factor = factor(factor, "factor", 0, 1);
    this.valueRange = valueRange.clone();
  }

  private RandomContrast(Config c) {
    super(c);
    factor = factor(c.get("factor"), "factor", 0, 1);
    valueRange = range(c.get("value_range"));
  }

  public static RandomContrast fromConfig(Config c) {
    return new RandomContrast(c);
  }

  static double[] range(Object o) {
    if (o == null) {
      return new double[] {0, 255};
    }
    double[] r = ConfigValues.doubles(o, "value_range");
    if (r.length != 2) {
      throw new IllegalArgumentException("value_range: expected two numbers, found " + o);
    }
    return r;
  }

  @Override
  protected void augment(HostValue in, HostValue out, SplittableRandom random,
      HostContext context) {
    adjust(in, out, uniform(random, 1.0 - factor[0], 1.0 + factor[1]));
  }

  /** Keras's transform for a drawn {@code contrast_factor}. */
  public void adjust(HostValue in, HostValue out, float contrast) {
    int h = in.dim(0);
    int w = in.dim(1);
    int c = in.dim(2);
    out.resize3(h, w, c);
    float[] s = in.floats();
    float[] d = out.floats();
    float lo = (float) valueRange[0];
    float hi = (float) valueRange[1];
    for (int k = 0; k < c; k++) {
      double sum = 0;
      for (int p = 0; p < h * w; p++) {
        sum += s[p * c + k];
      }
      float mean = (float) (sum / (h * w));
      for (int p = 0; p < h * w; p++) {
        float v = (s[p * c + k] - mean) * contrast + mean;
        d[p * c + k] = Math.min(Math.max(v, lo), hi);
      }
    }
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("factor", pair(factor));
    m.put("value_range", ConfigValues.list(valueRange));
    return m;
  }
}
