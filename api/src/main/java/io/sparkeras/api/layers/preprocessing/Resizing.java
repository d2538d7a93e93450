package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.config.Config;
import java.util.List;
import java.util.Map;

/**
 * Resizes images to {@code [height, width]}, Keras's {@code Resizing} with the numpy backend's
 * arithmetic: interpolation "bilinear" (default), "nearest", "bicubic", "lanczos3", "lanczos5"
 * (JAX's kernels, {@code antialias} widens them when shrinking), optionally cropping
 * ({@code crop_to_aspect_ratio}) or padding with {@code fill_value}
 * ({@code pad_to_aspect_ratio}) to the target aspect ratio first. Images of any size come in; the
 * output size is fixed.
 *
 * <pre>{@code
 * new Resizing(224, 224).cropToAspectRatio(true);
 * }</pre>
 */
public final class Resizing extends ImageLayer {
  private final int height;
  private final int width;
  private String interpolation = "bilinear";
  private boolean cropToAspectRatio;
  private boolean padToAspectRatio;
  private float fillValue;
  private boolean antialias;
  private volatile ImageOps.Weights lastRows;
  private volatile ImageOps.Weights lastCols;

  public Resizing(int height, int width) {
    requireSize("Resizing", height, width);
    this.height = height;
    this.width = width;
  }

  private Resizing(Config c) {
    super(c);
    height = c.getInt("height");
    width = c.getInt("width");
    interpolation(c.getString("interpolation", "bilinear"));
    cropToAspectRatio = c.getBoolean("crop_to_aspect_ratio", false);
    padToAspectRatio = c.getBoolean("pad_to_aspect_ratio", false);
    String fill = c.getString("fill_mode", "constant");
    if (!fill.equals("constant")) {
      throw new IllegalArgumentException(who() + "fill_mode: only \"constant\" is supported, "
          + "found \"" + fill + "\"");
    }
    fillValue = (float) c.getDouble("fill_value", 0.0);
    antialias = c.getBoolean("antialias", false);
    check();
  }

  public static Resizing fromConfig(Config c) {
    return new Resizing(c);
  }

  private void check() {
    if (cropToAspectRatio && padToAspectRatio) {
      throw new IllegalArgumentException(who() + "set only one of crop_to_aspect_ratio and "
          + "pad_to_aspect_ratio");
    }
  }

  /** "bilinear" (default), "nearest", "bicubic", "lanczos3" or "lanczos5". */
  public Resizing interpolation(String method) {
    if (!List.of("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5").contains(method)) {
      throw new IllegalArgumentException(who() + "interpolation: expected bilinear, nearest, "
          + "bicubic, lanczos3 or lanczos5, found \"" + method + "\"");
    }
    this.interpolation = method;
    return this;
  }

  public Resizing cropToAspectRatio(boolean crop) {
    cropToAspectRatio = crop;
    check();
    return this;
  }

  public Resizing padToAspectRatio(boolean pad) {
    padToAspectRatio = pad;
    check();
    return this;
  }

  public Resizing fillValue(double v) {
    fillValue = (float) v;
    return this;
  }

  public Resizing antialias(boolean a) {
    antialias = a;
    return this;
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    return resized(inputShape, height, width);
  }

  @Override
  public void encode(HostValue[] inputs, HostValue out, HostContext context) {
    resize(inputs[0], out, context);
  }

  /** {@link #encode} of one image. */
  void resize(HostValue in, HostValue out, HostContext context) {
    requireImage(in);
    HostValue src = asFloat(in, context);
    int h = src.dim(0);
    int w = src.dim(1);
    int top = 0;
    int left = 0;
    int ch = h;
    int cw = w;
    if (cropToAspectRatio) {
      ch = Math.max(Math.min(h, (int) ((double) w * height / width)), 1);
      cw = Math.max(Math.min(w, (int) ((double) h * width / height)), 1);
      top = (int) ((h - ch) / 2.0);
      left = (int) ((w - cw) / 2.0);
    } else if (padToAspectRatio) {
      HostValue padded = context.scratchValue(1, HostValue.Kind.FLOAT);
      pad(src, padded);
      src = padded;
      ch = src.dim(0);
      cw = src.dim(1);
    }
    ImageOps.Weights wh = weights(ch, height, true);
    ImageOps.Weights ww = weights(cw, width, false);
    ImageOps.resize(src, top, left, ch, cw, height, width, wh, ww, interpolation,
        context.scratchValue(2, HostValue.Kind.FLOAT), out);
  }

  private void pad(HostValue src, HostValue dst) {
    int h = src.dim(0);
    int w = src.dim(1);
    int c = src.dim(2);
    int ph = Math.max(h, (int) ((double) w * height / width));
    int pw = Math.max(w, (int) ((double) h * width / height));
    int top = (int) ((ph - h) / 2.0);
    int left = (int) ((pw - w) / 2.0);
    // Keras pads only one axis: the height when it needs padding, else the width
    if (top > 0) {
      pw = w;
      left = 0;
      ph = h + 2 * top;
    } else if (left > 0) {
      ph = h;
      top = 0;
      pw = w + 2 * left;
    } else {
      ph = h;
      pw = w;
    }
    dst.resize3(ph, pw, c);
    float[] d = dst.floats();
    java.util.Arrays.fill(d, 0, dst.count(), fillValue);
    for (int y = 0; y < h; y++) {
      System.arraycopy(src.floats(), y * w * c, d, ((y + top) * pw + left) * c, w * c);
    }
  }

  private ImageOps.Weights weights(int in, int out, boolean rows) {
    if (interpolation.equals("nearest") || in == out) {
      return null;
    }
    ImageOps.Weights last = rows ? lastRows : lastCols;
    if (last != null && last.in == in && last.out == out) {
      return last;
    }
    ImageOps.Weights w = ImageOps.weights(interpolation, in, out, antialias);
    if (rows) {
      lastRows = w;
    } else {
      lastCols = w;
    }
    return w;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("height", height);
    m.put("width", width);
    m.put("interpolation", interpolation);
    m.put("data_format", "channels_last");
    m.put("crop_to_aspect_ratio", cropToAspectRatio);
    m.put("pad_to_aspect_ratio", padToAspectRatio);
    m.put("fill_mode", "constant");
    m.put("fill_value", (double) fillValue);
    m.put("antialias", antialias);
    return m;
  }
}
