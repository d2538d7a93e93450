package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.config.Config;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The augmentation layers that resample an image through an affine transform (RandomRotation,
 * RandomZoom, RandomTranslation): {@code fill_mode} "reflect" (default), "wrap", "nearest",
 * "constant" ({@code fill_value}) or "mirror"; {@code interpolation} "bilinear" (default) or
 * "nearest" ({@link ImageOps#affine}). A subclass draws the transform ({@link #transform}).
 */
public abstract class AffineImageLayer extends RandomImageLayer {
  private String fillMode = "reflect";
  private String interpolation = "bilinear";
  private float fillValue;

  protected AffineImageLayer() {}

  protected AffineImageLayer(Config c) {
    super(c);
    fillMode(c.getString("fill_mode", "reflect"));
    interpolation(c.getString("interpolation", "bilinear"));
    fillValue = (float) c.getDouble("fill_value", 0.0);
  }

  /** "reflect" (default), "wrap", "nearest" or "constant". */
  @SuppressWarnings("unchecked")
  public <L extends AffineImageLayer> L fillMode(String mode) {
    if (!List.of("reflect", "wrap", "nearest", "constant").contains(mode)) {
      throw new IllegalArgumentException(who() + "fill_mode: expected reflect, wrap, nearest or "
          + "constant, found \"" + mode + "\"");
    }
    fillMode = mode;
    return (L) this;
  }

  /** "bilinear" (default) or "nearest". */
  @SuppressWarnings("unchecked")
  public <L extends AffineImageLayer> L interpolation(String method) {
    if (!method.equals("bilinear") && !method.equals("nearest")) {
      throw new IllegalArgumentException(who() + "interpolation: expected bilinear or nearest, "
          + "found \"" + method + "\"");
    }
    interpolation = method;
    return (L) this;
  }

  /** The value outside the image in "constant" fill mode. */
  @SuppressWarnings("unchecked")
  public <L extends AffineImageLayer> L fillValue(double v) {
    fillValue = (float) v;
    return (L) this;
  }

  /**
   * Draws this image's transform {@code [a0, a1, a2, b0, b1, b2]} (TensorFlow's convention) into
   * {@code m} for an image of {@code height x width}.
   */
  protected abstract void transform(SplittableRandom random, int height, int width, float[] m);

  @Override
  protected final void augment(HostValue in, HostValue out, SplittableRandom random,
      HostContext context) {
    HostValue matrix = context.scratchValue(3, HostValue.Kind.FLOAT).resize1(6);
    transform(random, in.dim(0), in.dim(1), matrix.floats());
    apply(in, out, matrix.floats());
  }

  /** Keras's {@code affine_transform} of one image by {@code m}, with this layer's settings. */
  public void apply(HostValue in, HostValue out, float[] m) {
    ImageOps.affine(in, m, interpolation.equals("bilinear"), fillMode, fillValue, out);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("fill_mode", fillMode);
    m.put("interpolation", interpolation);
    m.put("fill_value", (double) fillValue);
    return withDataFormat(m);
  }
}
