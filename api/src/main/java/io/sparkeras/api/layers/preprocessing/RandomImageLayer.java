package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.config.Config;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The base of the augmentation layers (RandomFlip, RandomRotation, RandomZoom,
 * RandomTranslation, RandomCrop, RandomContrast, RandomBrightness): active only in training,
 * otherwise the image passes through unchanged (RandomCrop center-crops instead). Each draws its
 * transformation per image from its random stream in the {@link HostContext}: seeded from the
 * layer's {@code seed} and the runner's stream (a Spark task's partition and epoch), so a rerun
 * draws the same and two workers draw differently. The draws follow Keras's distributions; the
 * transformation applied for given draws is Keras's arithmetic, which the tests check against
 * Keras for the same draws ({@code transformation} values recorded from Keras).
 */
public abstract class RandomImageLayer extends ImageLayer {
  private Long seed;

  protected RandomImageLayer() {}

  protected RandomImageLayer(Config c) {
    super(c);
    seed = optionalLong(c, "seed");
  }

  /** Keras's {@code seed}. */
  @SuppressWarnings("unchecked")
  public <L extends RandomImageLayer> L seed(long s) {
    this.seed = s;
    return (L) this;
  }

  @Override
  public long seed() {
    return seed == null ? getName().hashCode() : seed;
  }

  /** The configured seed, or null. */
  public Long configuredSeed() {
    return seed;
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    requireImageShape(inputShape);
    return inputShape.clone();
  }

  @Override
  public final void encode(HostValue[] inputs, HostValue out, HostContext context) {
    HostValue in = inputs[0];
    requireImage(in);
    HostValue src = asFloat(in, context);
    if (context.training()) {
      augment(src, out, context.random(), context);
    } else {
      inference(src, out, context);
    }
  }

  /** Draws a transformation and applies it (training). */
  protected abstract void augment(HostValue in, HostValue out, SplittableRandom random,
      HostContext context);

  /** Inference: the image unchanged. */
  protected void inference(HostValue in, HostValue out, HostContext context) {
    ImageOps.copy(in, out);
  }

  /** A uniform float in {@code [lo, hi)} like Keras's {@code random.uniform} (float32). */
  protected static float uniform(SplittableRandom r, double lo, double hi) {
    return (float) (lo + (hi - lo) * r.nextDouble());
  }

  /**
   * Keras's {@code _set_factor}: a number {@code f} gives {@code [max(-|f|, lower), |f|]}, a
   * pair gives itself sorted; both checked against the bounds.
   */
  protected double[] factor(Object f, String key, double lowerBound, double upperBound) {
    double lo;
    double hi;
    if (f instanceof Number) {
      double v = ((Number) f).doubleValue();
      if (v < lowerBound || v > upperBound) {
        throw badFactor(key, f, lowerBound, upperBound);
      }
      v = Math.abs(v);
      lo = Math.max(-v, lowerBound);
      hi = v;
    } else if (f instanceof List && ((List<?>) f).size() == 2) {
      double a = ((Number) ((List<?>) f).get(0)).doubleValue();
      double b = ((Number) ((List<?>) f).get(1)).doubleValue();
      if (a > upperBound || b < lowerBound) {
        throw badFactor(key, f, lowerBound, upperBound);
      }
      lo = Math.min(a, b);
      hi = Math.max(a, b);
    } else if (f instanceof double[] && ((double[]) f).length == 2) {
      return factor(ConfigValues.list((double[]) f), key, lowerBound, upperBound);
    } else {
      throw badFactor(key, f, lowerBound, upperBound);
    }
    return new double[] {lo, hi};
  }

  private IllegalArgumentException badFactor(String key, Object f, double lo, double hi) {
    return new IllegalArgumentException(who() + key + ": expected a number or two numbers in ["
        + lo + ", " + hi + "], found " + (f instanceof double[]
        ? java.util.Arrays.toString((double[]) f) : f));
  }

  /** A pair as a config list. */
  protected static List<Object> pair(double[] p) {
    return ConfigValues.list(p);
  }

  /** A factor given as a Java number or pair, kept as Keras writes it in the config. */
  protected static Object factorConfig(Object f) {
    return f instanceof double[] ? pair((double[]) f) : f;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("seed", seed);
    return m;
  }
}
