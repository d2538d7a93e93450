package io.sparkeras.api.backend.torch;

import static io.sparkeras.api.backend.torch.TorchTensor.unwrap;

import io.sparkeras.api.backend.DType;
import io.sparkeras.api.backend.Ops;
import io.sparkeras.api.backend.Tensor;
import java.util.List;
import java.util.Locale;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/** {@link Ops} on libtorch. Channels-last in and out; kernels converted from Keras layouts here. */
final class TorchOps implements Ops {
  private final TorchBackend backend;

  TorchOps(TorchBackend backend) {
    this.backend = backend;
  }

  private static Tensor w(org.bytedeco.pytorch.Tensor t) {
    return new TorchTensor(t);
  }

  private static org.bytedeco.pytorch.Tensor u(Tensor x) {
    return unwrap(x);
  }

  private static long[] longs(int[] a) {
    long[] r = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i];
    }
    return r;
  }

  private static int axis(Tensor x, int axis) {
    int r = x.rank();
    int a = axis < 0 ? axis + r : axis;
    if (a < 0 || a >= r) {
      throw new IllegalArgumentException("axis " + axis + " out of range for a tensor of rank " + r);
    }
    return a;
  }

  private static long[] axes(Tensor x, int[] axes) {
    long[] r = new long[axes.length];
    for (int i = 0; i < axes.length; i++) {
      r[i] = axis(x, axes[i]);
    }
    return r;
  }

  // ---- creation --------------------------------------------------------------------------

  @Override
  public Tensor fromArray(float[] data, int offset, int[] shape) {
    return w(backend.fromFloats(data, offset, shape));
  }

  @Override
  public Tensor scalar(double value) {
    return w(backend.onDevice(torch.scalar_tensor(new Scalar((float) value))));
  }

  @Override
  public Tensor zeros(int... shape) {
    return w(backend.onDevice(torch.zeros(longs(shape))));
  }

  @Override
  public Tensor ones(int... shape) {
    return w(backend.onDevice(torch.ones(longs(shape))));
  }

  @Override
  public Tensor cast(Tensor x, DType dtype) {
    switch (dtype) {
      case FLOAT32:
        return w(u(x).to(torch.ScalarType.Float));
      case INT64:
        return w(u(x).to(torch.ScalarType.Long));
      case BOOL:
        return w(u(x).to(torch.ScalarType.Bool));
      default:
        throw new IllegalArgumentException("dtype " + dtype);
    }
  }

  // ---- elementwise -----------------------------------------------------------------------

  @Override
  public Tensor add(Tensor a, Tensor b) {
    return w(u(a).add(u(b)));
  }

  @Override
  public Tensor add(Tensor a, double b) {
    return w(u(a).add(new Scalar((float) b)));
  }

  @Override
  public Tensor subtract(Tensor a, Tensor b) {
    return w(u(a).sub(u(b)));
  }

  @Override
  public Tensor multiply(Tensor a, Tensor b) {
    return w(u(a).mul(u(b)));
  }

  @Override
  public Tensor multiply(Tensor a, double b) {
    return w(u(a).mul(new Scalar((float) b)));
  }

  @Override
  public Tensor divide(Tensor a, Tensor b) {
    return w(u(a).div(u(b)));
  }

  @Override
  public Tensor maximum(Tensor a, Tensor b) {
    return w(torch.maximum(u(a), u(b)));
  }

  @Override
  public Tensor minimum(Tensor a, Tensor b) {
    return w(torch.minimum(u(a), u(b)));
  }

  @Override
  public Tensor power(Tensor x, double exponent) {
    return w(u(x).pow(new Scalar((float) exponent)));
  }

  @Override
  public Tensor negative(Tensor x) {
    return w(u(x).neg());
  }

  @Override
  public Tensor exp(Tensor x) {
    return w(u(x).exp());
  }

  @Override
  public Tensor log(Tensor x) {
    return w(u(x).log());
  }

  @Override
  public Tensor sqrt(Tensor x) {
    return w(u(x).sqrt());
  }

  @Override
  public Tensor square(Tensor x) {
    return w(u(x).square());
  }

  @Override
  public Tensor abs(Tensor x) {
    return w(u(x).abs());
  }

  @Override
  public Tensor sign(Tensor x) {
    return w(u(x).sign());
  }

  @Override
  public Tensor clip(Tensor x, double min, double max) {
    return w(torch.clamp(u(x), new ScalarOptional(new Scalar((float) min)),
        new ScalarOptional(new Scalar((float) max))));
  }

  @Override
  public Tensor equal(Tensor a, Tensor b) {
    return w(u(a).eq(u(b)).to(torch.ScalarType.Float));
  }

  @Override
  public Tensor greater(Tensor a, Tensor b) {
    return w(u(a).gt(u(b)).to(torch.ScalarType.Float));
  }

  @Override
  public Tensor where(Tensor condition, Tensor a, Tensor b) {
    org.bytedeco.pytorch.Tensor c = u(condition);
    if (c.scalar_type().intern() != torch.ScalarType.Bool) {
      c = c.ne(new Scalar(0f));
    }
    return w(torch.where(c, u(a), u(b)));
  }

  // ---- activations -----------------------------------------------------------------------

  @Override
  public Tensor relu(Tensor x) {
    return w(torch.relu(u(x)));
  }

  @Override
  public Tensor sigmoid(Tensor x) {
    return w(torch.sigmoid(u(x)));
  }

  @Override
  public Tensor tanh(Tensor x) {
    return w(torch.tanh(u(x)));
  }

  @Override
  public Tensor gelu(Tensor x, boolean approximate) {
    return w(torch.gelu(u(x), approximate ? "tanh" : "none"));
  }

  @Override
  public Tensor silu(Tensor x) {
    return w(torch.silu(u(x)));
  }

  @Override
  public Tensor softplus(Tensor x) {
    return w(torch.softplus(u(x)));
  }

  @Override
  public Tensor softmax(Tensor x, int axis) {
    return w(torch.softmax(u(x), axis(x, axis)));
  }

  @Override
  public Tensor logSoftmax(Tensor x, int axis) {
    return w(torch.log_softmax(u(x), axis(x, axis)));
  }

  // ---- reductions ------------------------------------------------------------------------

  @Override
  public Tensor sum(Tensor x) {
    return w(u(x).sum());
  }

  @Override
  public Tensor sum(Tensor x, int[] axes, boolean keepDims) {
    return w(u(x).sum(axes(x, axes), keepDims, new ScalarTypeOptional()));
  }

  @Override
  public Tensor mean(Tensor x) {
    return w(torch.mean(u(x)));
  }

  @Override
  public Tensor mean(Tensor x, int[] axes, boolean keepDims) {
    return w(torch.mean(u(x), axes(x, axes), keepDims, new ScalarTypeOptional()));
  }

  @Override
  public Tensor max(Tensor x, int axis, boolean keepDims) {
    return w(torch.max(u(x), axis(x, axis), keepDims).get0());
  }

  @Override
  public Tensor argmax(Tensor x, int axis) {
    return w(torch.argmax(u(x), new LongOptional(axis(x, axis)), false));
  }

  @Override
  public Tensor logSumExp(Tensor x, int axis, boolean keepDims) {
    return w(torch.logsumexp(u(x), new long[] {axis(x, axis)}, keepDims));
  }

  // ---- shapes ----------------------------------------------------------------------------

  @Override
  public Tensor reshape(Tensor x, int... shape) {
    return w(u(x).reshape(longs(shape)));
  }

  @Override
  public Tensor transpose(Tensor x, int... permutation) {
    return w(u(x).permute(longs(permutation)));
  }

  @Override
  public Tensor expandDims(Tensor x, int axis) {
    int r = x.rank() + 1;
    int a = axis < 0 ? axis + r : axis;
    return w(u(x).unsqueeze(a));
  }

  @Override
  public Tensor squeeze(Tensor x, int axis) {
    return w(u(x).squeeze(axis(x, axis)));
  }

  private static TensorVector vector(List<Tensor> xs) {
    org.bytedeco.pytorch.Tensor[] ts = new org.bytedeco.pytorch.Tensor[xs.size()];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = u(xs.get(i));
    }
    return new TensorVector(ts);
  }

  @Override
  public Tensor concatenate(List<Tensor> xs, int axis) {
    return w(torch.cat(vector(xs), axis(xs.get(0), axis)));
  }

  @Override
  public Tensor stack(List<Tensor> xs, int axis) {
    int r = xs.get(0).rank() + 1;
    return w(torch.stack(vector(xs), axis < 0 ? axis + r : axis));
  }

  @Override
  public Tensor slice(Tensor x, int axis, int start, int length) {
    return w(u(x).narrow(axis(x, axis), start, length));
  }

  @Override
  public Tensor take(Tensor x, Tensor indices, int axis) {
    int a = axis(x, axis);
    org.bytedeco.pytorch.Tensor idx = u(indices).to(torch.ScalarType.Long);
    if (a == 0 && x.rank() == 2) {
      return w(torch.embedding(u(x), idx));
    }
    org.bytedeco.pytorch.Tensor flat = idx.reshape(-1);
    org.bytedeco.pytorch.Tensor picked = u(x).index_select(a, flat);
    int[] xs = x.shape();
    int[] is = indices.shape();
    int[] out = new int[xs.length - 1 + is.length];
    int k = 0;
    for (int i = 0; i < a; i++) {
      out[k++] = xs[i];
    }
    for (int d : is) {
      out[k++] = d;
    }
    for (int i = a + 1; i < xs.length; i++) {
      out[k++] = xs[i];
    }
    return w(picked.reshape(longs(out)));
  }

  @Override
  public Tensor takeAlongAxis(Tensor x, Tensor indices, int axis) {
    return w(torch.gather(u(x), axis(x, axis), u(indices).to(torch.ScalarType.Long)));
  }

  @Override
  public Tensor oneHot(Tensor indices, int numClasses) {
    return w(torch.one_hot(u(indices).to(torch.ScalarType.Long), numClasses)
        .to(torch.ScalarType.Float));
  }

  // ---- linear algebra and nn -------------------------------------------------------------

  @Override
  public Tensor matmul(Tensor a, Tensor b) {
    return w(torch.matmul(u(a), u(b)));
  }

  /** channels-last to channels-first permutation for a rank-r tensor. */
  private static long[] toChannelsFirst(int rank) {
    long[] p = new long[rank];
    p[0] = 0;
    p[1] = rank - 1;
    for (int i = 2; i < rank; i++) {
      p[i] = i - 1;
    }
    return p;
  }

  private static long[] toChannelsLast(int rank) {
    long[] p = new long[rank];
    p[0] = 0;
    for (int i = 1; i < rank - 1; i++) {
      p[i] = i + 1;
    }
    p[rank - 1] = 1;
    return p;
  }

  private static boolean same(String padding) {
    String p = padding.toLowerCase(Locale.ROOT);
    if (p.equals("same")) {
      return true;
    }
    if (p.equals("valid")) {
      return false;
    }
    throw new IllegalArgumentException("padding: expected 'valid' or 'same', found '" + padding + "'");
  }

  /**
   * TensorFlow/Keras "same" padding per spatial dim of a channels-first tensor: the total padding
   * {@code max((ceil(in/s) - 1) * s + (k - 1) * d + 1 - in, 0)}, the smaller half before. Returns
   * torch's pad list (last dim first), or null when nothing needs padding.
   */
  private static long[] samePadding(long[] spatial, int[] k, int[] s, int[] d) {
    int n = spatial.length;
    long[] pad = new long[2 * n];
    boolean any = false;
    for (int i = 0; i < n; i++) {
      long in = spatial[i];
      long outSize = (in + s[i] - 1) / s[i];
      long total = Math.max((outSize - 1) * s[i] + (long) (k[i] - 1) * d[i] + 1 - in, 0);
      long before = total / 2;
      long after = total - before;
      // torch pads the last dimension first
      pad[2 * (n - 1 - i)] = before;
      pad[2 * (n - 1 - i) + 1] = after;
      any |= total > 0;
    }
    return any ? pad : null;
  }

  private static long[] spatial(org.bytedeco.pytorch.Tensor cf) {
    long[] sizes = cf.sizes().vec().get();
    long[] sp = new long[sizes.length - 2];
    System.arraycopy(sizes, 2, sp, 0, sp.length);
    return sp;
  }

  private static int[] ones(int n) {
    int[] r = new int[n];
    java.util.Arrays.fill(r, 1);
    return r;
  }

  /** The number of spatial axes of a channels-last input to a convolution (1, 2 or 3). */
  private static int spatialRank(Tensor x, String op) {
    int n = x.rank() - 2;
    if (n < 1 || n > 3) {
      throw new IllegalArgumentException(op + ": expected an input of rank 3, 4 or 5, found "
          + java.util.Arrays.toString(x.shape()));
    }
    return n;
  }

  /**
   * A Keras kernel {@code [k..., a, b]} as libtorch's {@code [b, a, k...]}: convolution kernels
   * {@code [k..., in, out]} become {@code [out, in, k...]}, transposed-convolution kernels
   * {@code [k..., out, in]} become {@code [in, out, k...]} (a view, no copy).
   */
  private static org.bytedeco.pytorch.Tensor torchKernel(Tensor kernel, int n) {
    long[] kp = new long[n + 2];
    kp[0] = n + 1;
    kp[1] = n;
    for (int i = 0; i < n; i++) {
      kp[i + 2] = i;
    }
    return u(kernel).permute(kp);
  }

  @Override
  public Tensor conv(Tensor x, Tensor kernel, int[] strides, String padding, int[] dilation,
      int groups) {
    int r = x.rank();
    int n = spatialRank(x, "conv");
    org.bytedeco.pytorch.Tensor xc = u(x).permute(toChannelsFirst(r));
    org.bytedeco.pytorch.Tensor wt = torchKernel(kernel, n);
    int[] ks = new int[n];
    int[] kshape = kernel.shape();
    System.arraycopy(kshape, 0, ks, 0, n);
    if (same(padding)) {
      long[] pad = samePadding(spatial(xc), ks, strides, dilation);
      if (pad != null) {
        xc = torch.constant_pad_nd(xc, pad);
      }
    }
    org.bytedeco.pytorch.Tensor y;
    if (n == 1) {
      y = torch.conv1d(xc, wt, new TensorOptional(), longs(strides), new long[n],
          longs(dilation), groups);
    } else if (n == 2) {
      y = torch.conv2d(xc, wt, new TensorOptional(), longs(strides), new long[n],
          longs(dilation), groups);
    } else {
      y = torch.conv3d(xc, wt, new TensorOptional(), longs(strides), new long[n],
          longs(dilation), groups);
    }
    return w(y.permute(toChannelsLast(r)));
  }

  private org.bytedeco.pytorch.Tensor pool(org.bytedeco.pytorch.Tensor xc, int n, int[] k, int[] s,
      boolean max) {
    long[] zero = new long[n];
    if (max) {
      long[] dil = longs(ones(n));
      return n == 1 ? torch.max_pool1d(xc, longs(k), longs(s), zero, dil, false)
          : n == 2 ? torch.max_pool2d(xc, longs(k), longs(s), zero, dil, false)
          : torch.max_pool3d(xc, longs(k), longs(s), zero, dil, false);
    }
    return n == 1 ? torch.avg_pool1d(xc, longs(k), longs(s), zero, false, true)
        : n == 2 ? torch.avg_pool2d(xc, longs(k), longs(s), zero, false, true, new LongOptional())
        : torch.avg_pool3d(xc, longs(k), longs(s), zero, false, true, new LongOptional());
  }

  private Tensor pool(Tensor x, int[] poolSize, int[] strides, String padding, boolean max) {
    int r = x.rank();
    int n = r - 2;
    if (n < 1 || n > 3) {
      throw new IllegalArgumentException("pooling: expected an input of rank 3, 4 or 5, found "
          + java.util.Arrays.toString(x.shape()));
    }
    org.bytedeco.pytorch.Tensor xc = u(x).permute(toChannelsFirst(r));
    org.bytedeco.pytorch.Tensor y;
    long[] pad = same(padding) ? samePadding(spatial(xc), poolSize, strides, ones(n)) : null;
    if (pad == null) {
      y = pool(xc, n, poolSize, strides, max);
    } else if (max) {
      y = pool(torch.constant_pad_nd(xc, pad, new Scalar(Float.NEGATIVE_INFINITY)), n, poolSize,
          strides, true);
    } else {
      // Keras averages over the cells inside the input only: pool the sum and the count.
      org.bytedeco.pytorch.Tensor sums = pool(torch.constant_pad_nd(xc, pad), n, poolSize, strides,
          false);
      long[] sizes = xc.sizes().vec().get();
      long[] oneShape = sizes.clone();
      oneShape[0] = 1;
      oneShape[1] = 1;
      org.bytedeco.pytorch.Tensor ones = backend.onDevice(torch.ones(oneShape));
      org.bytedeco.pytorch.Tensor counts = pool(torch.constant_pad_nd(ones, pad), n, poolSize,
          strides, false);
      y = sums.div(counts);
    }
    return w(y.permute(toChannelsLast(r)));
  }

  @Override
  public Tensor maxPool(Tensor x, int[] poolSize, int[] strides, String padding) {
    return pool(x, poolSize, strides, padding, true);
  }

  @Override
  public Tensor averagePool(Tensor x, int[] poolSize, int[] strides, String padding) {
    return pool(x, poolSize, strides, padding, false);
  }

  @Override
  public Tensor dropout(Tensor x, double rate) {
    if (rate <= 0) {
      return x;
    }
    return w(torch.dropout(u(x), rate, true));
  }

  @Override
  public Tensor stopGradient(Tensor x) {
    return w(u(x).detach());
  }

  @Override
  public void assign(Tensor variable, Tensor value) {
    u(variable).detach().copy_(u(value).detach());
  }

  // ---- core layers: activations, pooling, reshaping, merging, normalization, noise ---------

  @Override
  public Tensor elu(Tensor x, double alpha) {
    return w(torch.elu(u(x), new Scalar((float) alpha), new Scalar(1f), new Scalar(1f)));
  }

  @Override
  public Tensor max(Tensor x, int[] axes, boolean keepDims) {
    return w(torch.amax(u(x), axes(x, axes), keepDims));
  }

  @Override
  public Tensor min(Tensor x, int[] axes, boolean keepDims) {
    return w(torch.amin(u(x), axes(x, axes), keepDims));
  }

  @Override
  public Tensor sort(Tensor x, int axis, boolean descending) {
    return w(u(x).sort(axis(x, axis), descending).get0());
  }

  @Override
  public Tensor cumsum(Tensor x, int axis) {
    return w(u(x).cumsum(axis(x, axis)));
  }

  @Override
  public Tensor pad(Tensor x, int[][] padding, double value) {
    int r = x.rank();
    if (padding.length != r) {
      throw new IllegalArgumentException("pad: expected one {before, after} pair per axis (" + r
          + "), found " + padding.length);
    }
    // torch lists the last axis first
    long[] p = new long[2 * r];
    for (int i = 0; i < r; i++) {
      p[2 * (r - 1 - i)] = padding[i][0];
      p[2 * (r - 1 - i) + 1] = padding[i][1];
    }
    return w(torch.constant_pad_nd(u(x), p, new Scalar((float) value)));
  }

  @Override
  public Tensor resize(Tensor x, int height, int width, String interpolation) {
    if (x.rank() != 4) {
      throw new IllegalArgumentException("resize: expected a [batch, height, width, channels] "
          + "tensor, found shape " + java.util.Arrays.toString(x.shape()));
    }
    switch (interpolation.toLowerCase(Locale.ROOT)) {
      case "bilinear": {
        org.bytedeco.pytorch.Tensor xc = u(x).permute(toChannelsFirst(4));
        org.bytedeco.pytorch.Tensor y = torch.upsample_bilinear2d(xc,
            new long[] {height, width}, false);
        return w(y.permute(toChannelsLast(4)));
      }
      case "nearest": {
        // NumPy/Keras nearest: source index floor((i + 0.5) * in / out)
        org.bytedeco.pytorch.Tensor y = u(x).index_select(1, nearest(x.dim(1), height))
            .index_select(2, nearest(x.dim(2), width));
        return w(y);
      }
      default:
        throw new IllegalArgumentException("resize: interpolation expected 'nearest' or "
            + "'bilinear', found '" + interpolation + "'");
    }
  }

  private org.bytedeco.pytorch.Tensor nearest(int in, int out) {
    float[] idx = new float[out];
    for (int i = 0; i < out; i++) {
      idx[i] = Math.min(in - 1, (int) Math.floor((i + 0.5) * in / out));
    }
    return backend.fromFloats(idx, 0, new int[] {out}).to(torch.ScalarType.Long);
  }

  @Override
  public Tensor einsum(String equation, List<Tensor> operands) {
    return w(torch.einsum(equation, vector(operands)));
  }

  @Override
  public Tensor randomUniform(int[] shape, long seed) {
    org.bytedeco.pytorch.Tensor t = torch.rand(longs(shape),
        new org.bytedeco.pytorch.GeneratorOptional(torch.createCPUGenerator(seed)));
    return w(backend.onDevice(t));
  }

  @Override
  public Tensor randomNormal(int[] shape, long seed) {
    org.bytedeco.pytorch.Tensor t = torch.randn(longs(shape),
        new org.bytedeco.pytorch.GeneratorOptional(torch.createCPUGenerator(seed)));
    return w(backend.onDevice(t));
  }

  // ---- convolution, recurrent and attention layers -----------------------------------------

  /**
   * Keras's transposed convolution as TensorFlow and JAX define it: the input dilated by the
   * stride, padded by (lo, hi) per axis, correlated with the flipped kernel. libtorch's
   * {@code conv_transpose} without padding gives the "full" result (lo = hi = dk - 1); Keras's
   * output is a window of it starting at {@code dk - 1 - lo}, zero-extended where hi reaches
   * past the full result (only with a large {@code output_padding}).
   */
  @Override
  public Tensor convTranspose(Tensor x, Tensor kernel, int[] strides, String padding,
      int[] outputPadding, int[] dilation) {
    int r = x.rank();
    int n = spatialRank(x, "conv_transpose");
    org.bytedeco.pytorch.Tensor xc = u(x).permute(toChannelsFirst(r));
    org.bytedeco.pytorch.Tensor wt = torchKernel(kernel, n);
    long[] zero = new long[n];
    long[] st = longs(strides);
    long[] dil = longs(dilation);
    org.bytedeco.pytorch.Tensor y = n == 1
        ? torch.conv_transpose1d(xc, wt, new TensorOptional(), st, zero, zero, 1, dil)
        : n == 2 ? torch.conv_transpose2d(xc, wt, new TensorOptional(), st, zero, zero, 1, dil)
        : torch.conv_transpose3d(xc, wt, new TensorOptional(), st, zero, zero, 1, dil);
    boolean same = same(padding);
    int[] ks = kernel.shape();
    long[] in = spatial(xc);
    for (int i = 0; i < n; i++) {
      int dk = (ks[i] - 1) * dilation[i] + 1;
      int s = strides[i];
      Integer op = outputPadding == null ? null : outputPadding[i];
      int lo;
      int hi;
      if (!same) {
        lo = dk - 1;
        hi = dk - 1 + (op == null ? Math.max(dk, s) - dk : op);
      } else {
        int padLen = op == null ? s + dk - 2 : dk + dk % 2 - 2 + op;
        lo = Math.min(padLen / 2 + padLen % 2, dk - 1);
        hi = padLen - lo;
      }
      long full = (in[i] - 1) * s + dk;
      long out = (in[i] - 1) * s + lo + hi - dk + 2;
      long start = dk - 1 - lo;
      if (start + out > full) {
        long[] pad = new long[2 * n];
        pad[2 * (n - 1 - i) + 1] = start + out - full;
        y = torch.constant_pad_nd(y, pad);
      }
      if (start != 0 || out != y.size(i + 2)) {
        y = y.narrow(i + 2, start, out);
      }
    }
    return w(y.permute(toChannelsLast(r)));
  }

  @Override
  public Tensor flip(Tensor x, int axis) {
    return w(torch.flip(u(x), axis(x, axis)));
  }

  @Override
  public Tensor tril(Tensor x, int k) {
    return w(torch.tril(u(x), k));
  }

  @Override
  public Tensor repeat(Tensor x, int repeats, int axis) {
    return w(torch.repeat_interleave(u(x), repeats, new LongOptional(axis(x, axis)),
        new LongOptional()));
  }
}
