package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.config.Config;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Changes image brightness at random in training, Keras's {@code RandomBrightness}: per image a
 * delta uniform in the factor range (a number {@code f} means {@code [-f, f]}) times the width of
 * {@code value_range} (default [0, 255]) is added to every pixel, then clipped to the range.
 *
 * <pre>{@code
 * new RandomBrightness(0.2).seed(2);
 * }</pre>
 */
public final class RandomBrightness extends RandomImageLayer {
  private final double[] factor;
  private final double[] valueRange;

  public RandomBrightness(double factor) {
    this(factor, new double[] {0, 255});
  }

  public RandomBrightness(double factor, double[] valueRange) {
    this.factor = factor(factor, "factor", -1, 1);
    this.valueRange = sorted(valueRange);
  }

  private RandomBrightness(Config c) {
    super(c);
    factor = factor(c.get("factor"), "factor", -1, 1);
    valueRange = sorted(RandomContrast.range(c.get("value_range")));
  }

  public static RandomBrightness fromConfig(Config c) {
    return new RandomBrightness(c);
  }

  private static double[] sorted(double[] r) {
    return new double[] {Math.min(r[0], r[1]), Math.max(r[0], r[1])};
  }

  @Override
  protected void augment(HostValue in, HostValue out, SplittableRandom random,
      HostContext context) {
    float delta = uniform(random, factor[0], factor[1]);
    adjust(in, out, delta * (float) (valueRange[1] - valueRange[0]));
  }

  /** Keras's transform for a drawn {@code rgb_delta} (already scaled to the value range). */
  public void adjust(HostValue in, HostValue out, float rgbDelta) {
    out.resize3(in.dim(0), in.dim(1), in.dim(2));
    float[] s = in.floats();
    float[] d = out.floats();
    float lo = (float) valueRange[0];
    float hi = (float) valueRange[1];
    for (int i = 0; i < in.count(); i++) {
      d[i] = Math.min(Math.max(s[i] + rgbDelta, lo), hi);
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
