package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.config.Config;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Crops a random {@code [height, width]} window in training, Keras's {@code RandomCrop}: the top
 * left corner is uniform over the valid positions. Otherwise (inference, or an image not larger
 * than the window in both dimensions) the largest centred window of the target aspect ratio is
 * cropped and resized to {@code [height, width]}, as Keras's documentation says (Keras 3.10's
 * own inference path returns the image uncropped, whose shape then differs from the declared
 * output shape; a fixed-size batch needs the documented behaviour).
 *
 * <pre>{@code
 * new RandomCrop(24, 24).seed(11);
 * }</pre>
 */
public final class RandomCrop extends RandomImageLayer {
  private final int height;
  private final int width;
  private final Resizing resize;

  public RandomCrop(int height, int width) {
    requireSize("RandomCrop", height, width);
    this.height = height;
    this.width = width;
    this.resize = new Resizing(height, width).cropToAspectRatio(true);
  }

  private RandomCrop(Config c) {
    super(c);
    height = c.getInt("height");
    width = c.getInt("width");
    resize = new Resizing(height, width).cropToAspectRatio(true);
  }

  public static RandomCrop fromConfig(Config c) {
    return new RandomCrop(c);
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    return resized(inputShape, height, width);
  }

  @Override
  protected void augment(HostValue in, HostValue out, SplittableRandom random,
      HostContext context) {
    int h = in.dim(0);
    int w = in.dim(1);
    if (h > height && w > width) {
      int top = (int) uniform(random, 0, h - height + 1);
      int left = (int) uniform(random, 0, w - width + 1);
      crop(in, out, top, left);
    } else {
      inference(in, out, context);
    }
  }

  /** Keras's transform for a drawn corner (h_start, w_start). */
  public void crop(HostValue in, HostValue out, int top, int left) {
    ImageOps.crop(in, top, left, height, width, out);
  }

  @Override
  protected void inference(HostValue in, HostValue out, HostContext context) {
    resize.resize(in, out, context);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("height", height);
    m.put("width", width);
    return withDataFormat(m);
  }
}
