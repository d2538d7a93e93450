package io.sparkeras.api.initializers;

import io.sparkeras.api.config.Config;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Keras's VarianceScaling: {@code scale / n} variance with n the fan in, fan out or their mean,
 * drawn from a truncated normal, an untruncated normal or a uniform distribution. Glorot and He
 * initializers are its named special cases.
 *
 * <pre>{@code
 * new VarianceScaling(2.0, "fan_in", "truncated_normal", 7L);   // He normal
 * }</pre>
 */
public class VarianceScaling extends Initializer {
  /** Keras's correction so a normal truncated at two standard deviations has the right stddev. */
  private static final double TRUNC_STD = 0.87962566103423978;
  private final double scale;
  private final String mode;
  private final String distribution;

  public VarianceScaling(double scale, String mode, String distribution, Long seed) {
    super(seed);
    if (!(scale > 0)) {
      throw new IllegalArgumentException("VarianceScaling scale: expected > 0, found " + scale);
    }
    String m = mode.toLowerCase(Locale.ROOT);
    if (!m.equals("fan_in") && !m.equals("fan_out") && !m.equals("fan_avg")) {
      throw new IllegalArgumentException("VarianceScaling mode: expected fan_in, fan_out or "
          + "fan_avg, found " + mode);
    }
    String d = distribution.toLowerCase(Locale.ROOT);
    if (d.equals("normal")) {
      d = "truncated_normal"; // Keras 3 reads "normal" as truncated_normal (TensorFlow.js writes it)
    }
    if (!d.equals("truncated_normal") && !d.equals("untruncated_normal") && !d.equals("uniform")) {
      throw new IllegalArgumentException("VarianceScaling distribution: expected truncated_normal "
          + "(or its alias normal), untruncated_normal or uniform, found " + distribution);
    }
    this.scale = scale;
    this.mode = m;
    this.distribution = d;
  }

  public static VarianceScaling fromConfig(Config c) {
    return new VarianceScaling(c.getDouble("scale", 1.0), c.getString("mode", "fan_in"),
        c.getString("distribution", "truncated_normal"), seedOf(c));
  }

  static Long seedOf(Config c) {
    return c.has("seed") ? Long.valueOf(c.getInt("seed")) : null;
  }

  @Override
  public float[] generate(int[] shape) {
    int n = size(shape);
    double[] f = fans(shape);
    double denom = mode.equals("fan_in") ? f[0] : mode.equals("fan_out") ? f[1] : (f[0] + f[1]) / 2;
    double s = scale / Math.max(1.0, denom);
    SplittableRandom r = new SplittableRandom(seedForCall());
    float[] out = new float[n];
    switch (distribution) {
      case "truncated_normal": {
        double std = Math.sqrt(s) / TRUNC_STD;
        for (int i = 0; i < n; i++) {
          out[i] = (float) (std * truncatedNormal(r));
        }
        break;
      }
      case "untruncated_normal": {
        double std = Math.sqrt(s);
        for (int i = 0; i < n; i++) {
          out[i] = (float) (std * gaussian(r));
        }
        break;
      }
      default: {
        double limit = Math.sqrt(3.0 * s);
        for (int i = 0; i < n; i++) {
          out[i] = (float) ((r.nextDouble() * 2 - 1) * limit);
        }
      }
    }
    return out;
  }

  static double gaussian(SplittableRandom r) {
    double u1 = r.nextDouble();
    double u2 = r.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** A standard normal sample redrawn until it lies within two standard deviations. */
  static double truncatedNormal(SplittableRandom r) {
    double x;
    do {
      x = gaussian(r);
    } while (Math.abs(x) > 2);
    return x;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    if (getClass() == VarianceScaling.class) {
      m.put("scale", scale);
      m.put("mode", mode);
      m.put("distribution", distribution);
    }
    return m;
  }
}
