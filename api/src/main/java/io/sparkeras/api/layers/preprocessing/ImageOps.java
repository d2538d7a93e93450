package io.sparkeras.api.layers.preprocessing;

/**
 * The image arithmetic of Keras's numpy backend ({@code keras/src/backend/numpy/image.py}) on
 * one channels-last image {@code [h, w, c]} held in a {@link HostValue}: {@code resize} (JAX's
 * separable scale-and-translate kernels: bilinear, bicubic, lanczos3/5; nearest), crops, and
 * {@code affine_transform} (TensorFlow's transform convention, SciPy's map_coordinates with
 * nearest or bilinear interpolation and the constant, nearest, wrap, mirror and reflect fill
 * modes). Weights are computed in float64 and rounded to float32 as Keras does.
 */
final class ImageOps {
  private ImageOps() {}

  /** One resize weight matrix {@code [in, out]} (float32), cached by the layer per size pair. */
  static final class Weights {
    final int in;
    final int out;
    final float[] w;

    Weights(int in, int out, float[] w) {
      this.in = in;
      this.out = out;
      this.w = w;
    }
  }

  /** Keras's {@code compute_weight_mat} for a resize from {@code in} to {@code out} pixels. */
  static Weights weights(String method, int in, int out, boolean antialias) {
    double scale = (double) out / in;
    double invScale = 1.0 / scale;
    double kernelScale = antialias ? Math.max(invScale, 1.0) : 1.0;
    float[] w = new float[in * out];
    double[] col = new double[in];
    for (int j = 0; j < out; j++) {
      double sample = (j + 0.5) * invScale - 0.5;
      double sum = 0;
      for (int i = 0; i < in; i++) {
        double x = Math.abs(sample - i) / kernelScale;
        col[i] = kernel(method, x);
        sum += col[i];
      }
      boolean inside = sample >= -0.5 && sample <= in - 0.5;
      for (int i = 0; i < in; i++) {
        double v = Math.abs(sum) > 1000.0 * Math.ulp(1.0f) ? col[i] / (sum != 0 ? sum : 1) : 0;
        w[i * out + j] = inside ? (float) v : 0f;
      }
    }
    return new Weights(in, out, w);
  }

  private static double kernel(String method, double x) {
    switch (method) {
      case "bilinear":
        return Math.max(0, 1 - Math.abs(x));
      case "bicubic": {
        double out = ((1.5 * x - 2.5) * x) * x + 1.0;
        if (x >= 1.0) {
          out = ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0;
        }
        return x >= 2.0 ? 0.0 : out;
      }
      case "lanczos3":
        return lanczos(3.0, x);
      case "lanczos5":
        return lanczos(5.0, x);
      default:
        throw new IllegalArgumentException("resize: unknown interpolation '" + method + "'");
    }
  }

  private static double lanczos(double radius, double x) {
    double y = radius * Math.sin(Math.PI * x) * Math.sin(Math.PI * x / radius);
    double out = x > 1e-3 ? y / (x != 0 ? Math.PI * Math.PI * x * x : 1) : 1;
    return x > radius ? 0.0 : out;
  }

  /**
   * Resizes the crop {@code [top, top + ch) x [left, left + cw)} of {@code src} to
   * {@code [oh, ow]} into {@code dst}, height first then width, as Keras's
   * {@code _scale_and_translate} does (a dimension whose size does not change is copied).
   * {@code tmp} holds the intermediate {@code [oh, cw, c]} image.
   */
  static void resize(HostValue src, int top, int left, int ch, int cw, int oh, int ow,
      Weights wh, Weights ww, String method, HostValue tmp, HostValue dst) {
    int c = src.dim(2);
    int srcW = src.dim(1);
    float[] s = src.floats();
    if (method.equals("nearest")) {
      dst.resize3(oh, ow, c);
      float[] d = dst.floats();
      for (int y = 0; y < oh; y++) {
        int sy = ch == oh ? y : (int) Math.floor((y + 0.5f) * ch / oh);
        for (int x = 0; x < ow; x++) {
          int sx = cw == ow ? x : (int) Math.floor((x + 0.5f) * cw / ow);
          System.arraycopy(s, ((top + sy) * srcW + left + sx) * c, d, (y * ow + x) * c, c);
        }
      }
      return;
    }
    // rows: [ch, cw, c] -> [oh, cw, c]
    tmp.resize3(oh, cw, c);
    float[] t = tmp.floats();
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < cw; x++) {
        for (int k = 0; k < c; k++) {
          float acc = 0;
          if (ch == oh) {
            acc = s[((top + y) * srcW + left + x) * c + k];
          } else {
            for (int i = 0; i < ch; i++) {
              acc += s[((top + i) * srcW + left + x) * c + k] * wh.w[i * oh + y];
            }
          }
          t[(y * cw + x) * c + k] = acc;
        }
      }
    }
    // columns: [oh, cw, c] -> [oh, ow, c]
    dst.resize3(oh, ow, c);
    float[] d = dst.floats();
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        for (int k = 0; k < c; k++) {
          float acc = 0;
          if (cw == ow) {
            acc = t[(y * cw + x) * c + k];
          } else {
            for (int i = 0; i < cw; i++) {
              acc += t[(y * cw + i) * c + k] * ww.w[i * ow + x];
            }
          }
          d[(y * ow + x) * c + k] = acc;
        }
      }
    }
  }

  /** Copies the crop {@code [top, top + h) x [left, left + w)} of {@code src} into {@code dst}. */
  static void crop(HostValue src, int top, int left, int h, int w, HostValue dst) {
    int c = src.dim(2);
    int srcW = src.dim(1);
    dst.resize3(h, w, c);
    for (int y = 0; y < h; y++) {
      System.arraycopy(src.floats(), ((top + y) * srcW + left) * c, dst.floats(), y * w * c,
          w * c);
    }
  }

  /** Copies an image (float or int pixels) into a float image. */
  static void copy(HostValue src, HostValue dst) {
    dst.resize3(src.dim(0), src.dim(1), src.dim(2));
    float[] d = dst.floats();
    for (int i = 0; i < src.count(); i++) {
      d[i] = (float) src.getNumber(i);
    }
  }

  /**
   * Keras's {@code affine_transform} of one image with the transform
   * {@code [a0, a1, a2, b0, b1, b2]}: output pixel (y, x) samples the input at
   * {@code (b0 x + b1 y + b2, a0 x + a1 y + a2)}.
   *
   * @param bilinear bilinear interpolation (else nearest)
   * @param fill "constant", "nearest", "wrap", "mirror" or "reflect"
   */
  static void affine(HostValue src, float[] m, boolean bilinear, String fill, float fillValue,
      HostValue dst) {
    int h = src.dim(0);
    int w = src.dim(1);
    int c = src.dim(2);
    dst.resize3(h, w, c);
    float[] s = src.floats();
    float[] d = dst.floats();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double iy = (double) y * m[4] + (double) x * m[3] + m[5];
        double ix = (double) y * m[1] + (double) x * m[0] + m[2];
        int o = (y * w + x) * c;
        if (!bilinear) {
          int ny = (int) Math.floor(iy + 0.5);
          int nx = (int) Math.floor(ix + 0.5);
          for (int k = 0; k < c; k++) {
            d[o + k] = sample(s, h, w, c, ny, nx, k, fill, fillValue);
          }
          continue;
        }
        int y0 = (int) Math.floor(iy);
        int x0 = (int) Math.floor(ix);
        double fy = iy - y0;
        double fx = ix - x0;
        for (int k = 0; k < c; k++) {
          double v = (1 - fy) * ((1 - fx) * sample(s, h, w, c, y0, x0, k, fill, fillValue)
              + fx * sample(s, h, w, c, y0, x0 + 1, k, fill, fillValue))
              + fy * ((1 - fx) * sample(s, h, w, c, y0 + 1, x0, k, fill, fillValue)
              + fx * sample(s, h, w, c, y0 + 1, x0 + 1, k, fill, fillValue));
          d[o + k] = (float) v;
        }
      }
    }
  }

  /** The input pixel at (y, x), extended beyond the edges by the fill mode. */
  private static float sample(float[] s, int h, int w, int c, int y, int x, int k, String fill,
      float fillValue) {
    if (y >= 0 && y < h && x >= 0 && x < w) {
      return s[(y * w + x) * c + k];
    }
    if (fill.equals("constant")) {
      return fillValue;
    }
    return s[(extend(y, h, fill) * w + extend(x, w, fill)) * c + k];
  }

  /** NumPy's pad modes behind Keras's fill modes: edge, wrap, reflect (mirror), symmetric. */
  static int extend(int i, int n, String fill) {
    switch (fill) {
      case "nearest":
        return Math.min(Math.max(i, 0), n - 1);
      case "wrap":
        return Math.floorMod(i, n);
      case "mirror": { // d c b | a b c d | c b a
        if (n == 1) {
          return 0;
        }
        int period = 2 * (n - 1);
        int j = Math.floorMod(i, period);
        return j < n ? j : period - j;
      }
      default: { // "reflect": d c b a | a b c d | d c b a
        int period = 2 * n;
        int j = Math.floorMod(i, period);
        return j < n ? j : period - 1 - j;
      }
    }
  }
}
