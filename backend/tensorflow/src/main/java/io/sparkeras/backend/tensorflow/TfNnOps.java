package io.sparkeras.backend.tensorflow;

import io.sparkeras.api.backend.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.op.image.ResizeNearestNeighbor;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.op.nn.Conv3d;
import org.tensorflow.op.nn.TopK;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The convolution, pooling, image and sequence operations of {@link TfMathOps}. Keras's layouts are
 * TensorFlow's own (channels-last images, {@code [k..., in, out]} kernels, "same" padding and
 * pooling), so most lower to one TensorFlow operation; 1-D ones run as 2-D with a unit axis.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
final class TfNnOps {
  private final TfRecorder ops;

  TfNnOps(TfRecorder ops) {
    this.ops = ops;
  }

  private org.tensorflow.op.Ops tf() {
    return ops.tf(ops.step());
  }

  /** A TensorFlow operation by type name, for the ones without a Java wrapper of that version. */
  private Output raw(String type, Operand[] inputs, Object... attrs) {
    org.tensorflow.op.Ops tf = tf();
    org.tensorflow.OperationBuilder b = tf.scope().env()
        .opBuilder(type, tf.scope().makeOpName(type), tf.scope());
    for (Operand in : inputs) {
      b.addInput(in.asOutput());
    }
    for (int i = 0; i < attrs.length; i += 2) {
      String name = (String) attrs[i];
      Object v = attrs[i + 1];
      if (v instanceof long[]) {
        b.setAttr(name, (long[]) v);
      } else if (v instanceof String) {
        b.setAttr(name, (String) v);
      } else if (v instanceof Boolean) {
        b.setAttr(name, (Boolean) v);
      } else {
        throw new IllegalArgumentException("attribute " + name + ": " + v);
      }
    }
    return b.build().output(0);
  }

  private static String padding(String padding, String op) {
    String p = padding.toLowerCase(Locale.ROOT);
    if (!p.equals("valid") && !p.equals("same")) {
      throw new IllegalArgumentException(op + ": padding expected 'valid' or 'same', found '"
          + padding + "'");
    }
    return p.toUpperCase(Locale.ROOT);
  }

  private static List<Long> window(int[] spatial) {
    List<Long> out = new ArrayList<>(spatial.length + 2);
    out.add(1L);
    for (int v : spatial) {
      out.add((long) v);
    }
    out.add(1L);
    return out;
  }

  private static int spatialRank(Tensor x, String op) {
    int n = x.rank() - 2;
    if (n < 1 || n > 3) {
      throw new IllegalArgumentException(op + ": expected a channels-last input of rank 3, 4 or "
          + "5, found shape " + Arrays.toString(x.shape()));
    }
    return n;
  }

  private static int[] prepend1(int[] v) {
    int[] out = new int[v.length + 1];
    out[0] = 1;
    System.arraycopy(v, 0, out, 1, v.length);
    return out;
  }

  Tensor batchMatmul(Tensor a, Tensor b) {
    return ops.op("batchMatmul", List.of(a, b), in -> raw("BatchMatMulV2", in));
  }

  Tensor conv(Tensor x, Tensor kernel, int[] strides, String padding, int[] dilation,
      int groups) {
    int n = spatialRank(x, "conv");
    String pad = padding(padding, "conv");
    if (n == 1) {
      Tensor y = conv(ops.expandDims(x, 1), ops.expandDims(kernel, 0), prepend1(strides),
          padding, prepend1(dilation), groups);
      return ops.squeeze(y, 1);
    }
    if (groups > 1) {
      int inPer = kernel.dim(-2);
      int outPer = kernel.dim(-1) / groups;
      List<Tensor> parts = new ArrayList<>(groups);
      for (int g = 0; g < groups; g++) {
        parts.add(conv(ops.slice(x, -1, g * inPer, inPer),
            ops.slice(kernel, -1, g * outPer, outPer), strides, padding, dilation, 1));
      }
      return ops.concatenate(parts, -1);
    }
    if (Arrays.stream(dilation).anyMatch(d -> d > 1)) {
      // TensorFlow's C++ Conv2D/Conv3D gradients ignore the dilations attribute (wrong shapes,
      // and an abort inside oneDNN): convolve with the kernel dilated explicitly instead
      int[] ones = new int[n];
      Arrays.fill(ones, 1);
      return conv(x, dilateKernel(kernel, dilation), strides, padding, ones, 1);
    }
    String key = "conv:" + Arrays.toString(strides) + pad;
    return ops.op(key, List.of(x, kernel), in -> n == 2
        ? tf().nn.conv2d(in[0], in[1], window(strides), pad,
            new Conv2d.Options[0])
        : tf().nn.conv3d(in[0], in[1], window(strides), pad, new Conv3d.Options[0]));
  }

  /** The kernel with {@code d - 1} zeros between its taps along each spatial axis. */
  private Tensor dilateKernel(Tensor kernel, int[] dilation) {
    Tensor k = kernel;
    for (int axis = 0; axis < dilation.length; axis++) {
      int d = dilation[axis];
      if (d <= 1) {
        continue;
      }
      int[] shape = k.shape();
      int taps = shape[axis];
      Tensor e = ops.expandDims(k, axis + 1);
      int[] zerosShape = e.shape();
      zerosShape[axis + 1] = d - 1;
      Tensor spread = ops.concatenate(List.of(e, ops.zeros(zerosShape)), axis + 1);
      int[] flat = shape.clone();
      flat[axis] = taps * d;
      k = ops.slice(ops.reshape(spread, flat), axis, 0, taps + (taps - 1) * (d - 1));
    }
    return k;
  }

  Tensor pool(Tensor x, int[] poolSize, int[] strides, String padding, boolean max) {
    int n = spatialRank(x, max ? "max_pool" : "average_pool");
    String pad = padding(padding, max ? "max_pool" : "average_pool");
    if (n == 1) {
      return ops.squeeze(pool(ops.expandDims(x, 1), prepend1(poolSize), prepend1(strides),
          padding, max), 1);
    }
    String key = (max ? "maxPool:" : "avgPool:") + Arrays.toString(poolSize)
        + Arrays.toString(strides) + pad;
    long[] k = window(poolSize).stream().mapToLong(Long::longValue).toArray();
    long[] s = window(strides).stream().mapToLong(Long::longValue).toArray();
    String type = (max ? "MaxPool" : "AvgPool") + (n == 3 ? "3D" : "");
    return ops.op(key, x, in -> raw(type, new Operand[] {in}, "ksize", k, "strides", s,
        "padding", pad));
  }

  Tensor dropout(Tensor x, double rate, long seed) {
    Step s = ops.step();
    String key = "dropout:" + rate + "(" + TfRecorder.id(s, x);
    int[] shape = x.shape();
    TraceNode node = s.visit(key, ph -> {
      org.tensorflow.op.Ops tf = tf();
      Placeholder<TInt64> seedInput = tf.placeholder(TInt64.class,
          Placeholder.shape(Shape.of(2)));
      ph[0] = seedInput;
      Operand u = tf.random.statelessRandomUniform(tf.constant(TfRecorder.longs(shape)), seedInput);
      Operand keep = tf.dtypes.cast(tf.math.greaterEqual(u, tf.constant((float) rate)),
          TFloat32.class);
      return tf.math.mul(tf.math.mul(TfRecorder.graphValue(s, x), keep),
          tf.constant((float) (1 / (1 - rate))));
    });
    s.feed(node.placeholder, TInt64.vectorOf(seed, 0L));
    return new TfTensor(node, s);
  }

  Tensor sort(Tensor x, int axis, boolean descending) {
    int a = TfRecorder.axis(x, axis);
    int len = x.dim(a);
    return ops.lastAxis("sort:" + descending, x, a, in -> {
      org.tensorflow.op.Ops tf = tf();
      Operand k = tf.constant(len);
      if (descending) {
        return tf.nn.topK(in, k, new TopK.Options[0]).values();
      }
      return tf.math.neg(tf.nn.topK(tf.math.neg(in), k, new TopK.Options[0]).values());
    });
  }

  Tensor pad(Tensor x, int[][] padding, double value) {
    int r = x.rank();
    if (padding.length != r) {
      throw new IllegalArgumentException("pad: expected one {before, after} pair per axis (" + r
          + "), found " + padding.length);
    }
    // int32 paddings: the C++ Pad gradient slices with int32 offsets
    int[][] p = new int[r][2];
    for (int i = 0; i < r; i++) {
      p[i][0] = padding[i][0];
      p[i][1] = padding[i][1];
    }
    return ops.op("pad:" + Arrays.deepToString(p) + value, x,
        in -> tf().pad(in, tf().constant(p), tf().constant((float) value)));
  }

  Tensor resize(Tensor x, int height, int width, String interpolation) {
    if (x.rank() != 4) {
      throw new IllegalArgumentException("resize: expected a [batch, height, width, channels] "
          + "tensor, found shape " + Arrays.toString(x.shape()));
    }
    String mode = interpolation.toLowerCase(Locale.ROOT);
    if (!mode.equals("bilinear") && !mode.equals("nearest")) {
      throw new IllegalArgumentException("resize: interpolation expected 'nearest' or "
          + "'bilinear', found '" + interpolation + "'");
    }
    return ops.op("resize:" + height + "x" + width + mode, x, in -> {
      Operand size = tf().constant(new int[] {height, width});
      return mode.equals("bilinear")
          ? tf().image.resizeBilinear(in, size, ResizeBilinear.halfPixelCenters(true))
          : tf().image.resizeNearestNeighbor(in, size,
              ResizeNearestNeighbor.halfPixelCenters(true));
    });
  }

  /** Keras's {@code deconv_output_length}. */
  static int transposedLength(int input, int kernel, String padding, int outputPadding,
      boolean hasOutputPadding, int stride, int dilation) {
    int k = kernel + (kernel - 1) * (dilation - 1);
    boolean same = padding.equalsIgnoreCase("same");
    if (!hasOutputPadding) {
      return same ? input * stride : input * stride + Math.max(k - stride, 0);
    }
    int pad = same ? k / 2 : 0;
    return (input - 1) * stride + k - 2 * pad + outputPadding;
  }

  Tensor convTranspose(Tensor x, Tensor kernel, int[] strides, String padding,
      int[] outputPadding, int[] dilation) {
    int n = spatialRank(x, "conv_transpose");
    String pad = padding(padding, "conv_transpose");
    if (n == 1) {
      int[] op = null;
      if (outputPadding != null) {
        op = new int[outputPadding.length + 1];
        System.arraycopy(outputPadding, 0, op, 1, outputPadding.length);
      }
      return ops.squeeze(convTranspose(ops.expandDims(x, 1), ops.expandDims(kernel, 0),
          prepend1(strides), padding, op, prepend1(dilation)), 1);
    }
    if (Arrays.stream(dilation).anyMatch(d -> d > 1)) {
      // TensorFlow's CPU Conv2DBackpropInput has no dilations (oneDNN's has, see
      // docs/backends.md): the same result with the kernel dilated explicitly
      int[] ones = new int[n];
      Arrays.fill(ones, 1);
      return convTranspose(x, dilateKernel(kernel, dilation), strides, padding, outputPadding,
          ones);
    }
    int[] xs = x.shape();
    int[] ks = kernel.shape();
    long[] out = new long[n + 2];
    out[0] = xs[0];
    for (int i = 0; i < n; i++) {
      out[i + 1] = transposedLength(xs[i + 1], ks[i], padding,
          outputPadding == null ? 0 : outputPadding[i], outputPadding != null, strides[i],
          dilation[i]);
    }
    out[n + 1] = ks[n];
    String key = "convTranspose:" + Arrays.toString(out) + Arrays.toString(strides) + pad
        + Arrays.toString(dilation);
    long[] s = window(strides).stream().mapToLong(Long::longValue).toArray();
    long[] d = window(dilation).stream().mapToLong(Long::longValue).toArray();
    return ops.op(key, List.of(x, kernel), in -> raw(
        n == 2 ? "Conv2DBackpropInput" : "Conv3DBackpropInputV2",
        new Operand[] {n == 2
            ? tf().dtypes.cast(tf().constant(out), org.tensorflow.types.TInt32.class)
            : tf().constant(out), in[1], in[0]},
        "strides", s, "padding", pad, "dilations", d));
  }

}
