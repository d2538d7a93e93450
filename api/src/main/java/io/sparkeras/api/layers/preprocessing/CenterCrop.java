package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.config.Config;
import java.util.Map;

/**
 * Crops the centre {@code [height, width]} of images, Keras's {@code CenterCrop}; an image
 * smaller than the target in either dimension is instead cropped to the target's aspect ratio
 * and resized (bilinear), Keras's {@code smart_resize}.
 *
 * <pre>{@code
 * new CenterCrop(24, 24);
 * }</pre>
 */
public final class CenterCrop extends ImageLayer {
  private final int height;
  private final int width;
  private final Resizing smartResize;

  public CenterCrop(int height, int width) {
    requireSize("CenterCrop", height, width);
    this.height = height;
    this.width = width;
    this.smartResize = new Resizing(height, width).cropToAspectRatio(true);
  }

  private CenterCrop(Config c) {
    super(c);
    height = c.getInt("height");
    width = c.getInt("width");
    smartResize = new Resizing(height, width).cropToAspectRatio(true);
  }

  public static CenterCrop fromConfig(Config c) {
    return new CenterCrop(c);
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    return resized(inputShape, height, width);
  }

  @Override
  public void encode(HostValue[] inputs, HostValue out, HostContext context) {
    HostValue in = inputs[0];
    requireImage(in);
    int hDiff = in.dim(0) - height;
    int wDiff = in.dim(1) - width;
    if (hDiff < 0 || wDiff < 0) {
      smartResize.resize(in, out, context);
      return;
    }
    HostValue src = asFloat(in, context);
    ImageOps.crop(src, (int) (hDiff / 2.0), (int) (wDiff / 2.0), height, width, out);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("height", height);
    m.put("width", width);
    return withDataFormat(m);
  }
}
