package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.config.Config;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Flips images at random in training, Keras's {@code RandomFlip}: with probability 1/2 an image
 * is flipped; mode "horizontal", "vertical" or "horizontal_and_vertical" (default; as in Keras
 * one draw then flips both axes).
 *
 * <pre>{@code
 * new RandomFlip("horizontal").seed(7);
 * }</pre>
 */
public final class RandomFlip extends RandomImageLayer {
  private final String mode;

  public RandomFlip() {
    this("horizontal_and_vertical");
  }

  public RandomFlip(String mode) {
    this.mode = checkMode(mode);
  }

  private RandomFlip(Config c) {
    super(c);
    this.mode = checkMode(c.getString("mode", "horizontal_and_vertical"));
  }

  public static RandomFlip fromConfig(Config c) {
    return new RandomFlip(c);
  }

  private static String checkMode(String m) {
    if (!m.equals("horizontal") && !m.equals("vertical") && !m.equals("horizontal_and_vertical")) {
      throw new IllegalArgumentException("RandomFlip: mode: expected \"horizontal\", "
          + "\"vertical\" or \"horizontal_and_vertical\", found \"" + m + "\"");
    }
    return m;
  }

  @Override
  protected void augment(HostValue in, HostValue out, SplittableRandom random,
      HostContext context) {
    flip(in, out, random.nextDouble() <= 0.5);
  }

  /** Keras's transform for a drawn {@code flips} value. */
  public void flip(HostValue in, HostValue out, boolean flips) {
    int h = in.dim(0);
    int w = in.dim(1);
    int c = in.dim(2);
    out.resize3(h, w, c);
    boolean horizontal = flips && !mode.equals("vertical");
    boolean vertical = flips && !mode.equals("horizontal");
    float[] s = in.floats();
    float[] d = out.floats();
    for (int y = 0; y < h; y++) {
      int sy = vertical ? h - 1 - y : y;
      for (int x = 0; x < w; x++) {
        int sx = horizontal ? w - 1 - x : x;
        System.arraycopy(s, (sy * w + sx) * c, d, (y * w + x) * c, c);
      }
    }
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("mode", mode);
    return withDataFormat(m);
  }
}
