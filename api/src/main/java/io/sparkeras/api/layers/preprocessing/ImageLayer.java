package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.config.Config;
import java.util.List;
import java.util.Map;

/**
 * The base of the image preprocessing layers: inputs are channels-last images
 * {@code [height, width, channels]} of floats or integers (a Spark image or binary column read as
 * pixels), one per sample; rows may differ in height and width where the layer makes the size
 * fixed (resizing and cropping layers). Keras's {@code data_format} "channels_first" is not
 * supported here (the backends take channels-last images).
 */
public abstract class ImageLayer extends PreprocessingLayer {
  protected ImageLayer() {}

  protected ImageLayer(Config c) {
    super(c);
    String format = c.getString("data_format", "channels_last");
    if (format != null && !format.equals("channels_last")) {
      throw new IllegalArgumentException(who() + "data_format: only \"channels_last\" is "
          + "supported, found \"" + format + "\"");
    }
  }

  @Override
  public HostValue.Kind outputKind(List<HostValue.Kind> kinds) {
    single(kinds, HostValue.Kind.FLOAT, HostValue.Kind.INT);
    return HostValue.Kind.FLOAT;
  }

  /** Checks a sample is an image {@code [h, w, c]}. */
  protected void requireImage(HostValue in) {
    if (in.rank() != 3) {
      throw new IllegalArgumentException(who() + "expects images of shape (height, width, "
          + "channels), found a sample of shape " + java.util.Arrays.toString(in.shape()));
    }
  }

  /**
   * The image as float pixels: itself, or (integer pixels) a copy in the context's scratch
   * value 0.
   */
  protected static HostValue asFloat(HostValue in, HostContext context) {
    if (in.kind() == HostValue.Kind.FLOAT) {
      return in;
    }
    HostValue f = context.scratchValue(0, HostValue.Kind.FLOAT);
    ImageOps.copy(in, f);
    return f;
  }

  /** Checks a target size, naming the layer. */
  protected static void requireSize(String layer, int height, int width) {
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException(layer + ": height and width must be positive, found "
          + height + "x" + width);
    }
  }

  /** An image input shape with its height and width replaced by a target size. */
  protected int[] resized(int[] inputShape, int height, int width) {
    requireImageShape(inputShape);
    return new int[] {height, width, inputShape[2]};
  }

  /** Checks a declared input shape is an image shape. */
  protected void requireImageShape(int[] inputShape) {
    requireRank(inputShape, 3, "(None, height, width, channels)");
  }

  /** Adds {@code data_format} to a config. */
  protected static Map<String, Object> withDataFormat(Map<String, Object> m) {
    m.put("data_format", "channels_last");
    return m;
  }

  /** An int config value that may be absent or null. */
  protected static Long optionalLong(Config c, String key) {
    Object v = c.get(key);
    return v == null ? null : ((Number) v).longValue();
  }
}
