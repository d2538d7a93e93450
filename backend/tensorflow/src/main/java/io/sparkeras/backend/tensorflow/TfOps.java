package io.sparkeras.backend.tensorflow;

import io.sparkeras.api.backend.DType;
import io.sparkeras.api.backend.Ops;
import io.sparkeras.api.backend.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Max;
import org.tensorflow.op.core.Min;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.core.Stack;
import org.tensorflow.op.core.Sum;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * {@link Ops} lowered to TensorFlow graph operations, recorded into the current {@link Step} by
 * {@link TfRecorder}. Convolutions, pooling and the image and sequence operations are in
 * {@link TfNnOps}.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
final class TfOps extends TfRecorder {
  private final TfNnOps nn = new TfNnOps(this);

  TfOps(TensorFlowBackend backend) {
    super(backend);
  }

  // ---- creation --------------------------------------------------------------------------

  @Override
  public Tensor fromArray(float[] data, int offset, int[] shape) {
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("constant: negative dimension in shape "
            + Arrays.toString(shape));
      }
      n *= d;
    }
    if (offset < 0 || offset + n > data.length) {
      throw new IllegalArgumentException("constant: shape " + Arrays.toString(shape) + " needs "
          + n + " values from offset " + offset + ", array has " + data.length);
    }
    Step s = step();
    if (s.graph.frozen) {
      // a graph written out is fed its inputs only: other values become constants
      float[] values = Arrays.copyOfRange(data, offset, offset + (int) n);
      return new TfTensor(s.visit("const" + Arrays.toString(shape), ph -> tf(s).constant(
          Shape.of(longs(shape)), DataBuffers.of(values, true, false))), s);
    }
    TraceNode node = s.visit("in" + Arrays.toString(shape), ph -> {
      Placeholder<TFloat32> p = tf(s).placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(longs(shape))));
      ph[0] = p;
      return p;
    });
    TFloat32 t = TFloat32.tensorOf(Shape.of(longs(shape)));
    if (n > 0) {
      Slab.view(t, (int) n).put(0, data, offset, (int) n);
    }
    s.feed(node.placeholder, t);
    return new TfTensor(node, s);
  }

  @Override
  public Tensor scalar(double value) {
    return op("scalar:" + value, List.of(), in -> tf(step()).constant((float) value));
  }

  @Override
  public Tensor zeros(int... shape) {
    return op("zeros:" + Arrays.toString(shape), List.of(),
        in -> tf(step()).fill(tf(step()).constant(longs(shape)), tf(step()).constant(0f)));
  }

  @Override
  public Tensor ones(int... shape) {
    return op("ones:" + Arrays.toString(shape), List.of(),
        in -> tf(step()).fill(tf(step()).constant(longs(shape)), tf(step()).constant(1f)));
  }

  @Override
  public Tensor cast(Tensor x, DType dtype) {
    if (x.dtype() == dtype) {
      return x;
    }
    Class target = dtype == DType.FLOAT32 ? TFloat32.class
        : dtype == DType.INT64 ? TInt64.class : TBool.class;
    return op("cast:" + dtype, x, a -> {
      Operand c = tf(step()).dtypes.cast(a, target);
      // integer and boolean results carry no gradient (as in torch)
      return dtype == DType.FLOAT32 ? c : tf(step()).stopGradient(c);
    });
  }

  // ---- elementwise -----------------------------------------------------------------------

  @Override
  public Tensor add(Tensor a, Tensor b) {
    return op2("add", a, b, (x, y) -> tf(step()).math.add(x, y));
  }

  @Override
  public Tensor add(Tensor a, double b) {
    return op("addc:" + b, a, x -> tf(step()).math.add(toFloat(x), constantF((float) b)));
  }

  @Override
  public Tensor subtract(Tensor a, Tensor b) {
    return op2("sub", a, b, (x, y) -> tf(step()).math.sub(x, y));
  }

  @Override
  public Tensor multiply(Tensor a, Tensor b) {
    return op2("mul", a, b, (x, y) -> tf(step()).math.mul(x, y));
  }

  @Override
  public Tensor multiply(Tensor a, double b) {
    return op("mulc:" + b, a, x -> tf(step()).math.mul(toFloat(x), constantF((float) b)));
  }

  @Override
  public Tensor divide(Tensor a, Tensor b) {
    return op2("div", a, b, (x, y) -> tf(step()).math.div(x, y));
  }

  @Override
  public Tensor maximum(Tensor a, Tensor b) {
    return op2("maximum", a, b, (x, y) -> tf(step()).math.maximum(x, y));
  }

  @Override
  public Tensor minimum(Tensor a, Tensor b) {
    return op2("minimum", a, b, (x, y) -> tf(step()).math.minimum(x, y));
  }

  @Override
  public Tensor power(Tensor x, double exponent) {
    return op("pow:" + exponent, x, a -> tf(step()).math.pow(a, constantF((float) exponent)));
  }

  @Override
  public Tensor negative(Tensor x) {
    return op("neg", x, a -> tf(step()).math.neg(a));
  }

  @Override
  public Tensor exp(Tensor x) {
    return op("exp", x, a -> tf(step()).math.exp(a));
  }

  @Override
  public Tensor log(Tensor x) {
    return op("log", x, a -> tf(step()).math.log(a));
  }

  @Override
  public Tensor sqrt(Tensor x) {
    return op("sqrt", x, a -> tf(step()).math.sqrt(a));
  }

  @Override
  public Tensor square(Tensor x) {
    return op("square", x, a -> tf(step()).math.square(a));
  }

  @Override
  public Tensor abs(Tensor x) {
    return op("abs", x, a -> tf(step()).math.abs(a));
  }

  @Override
  public Tensor sign(Tensor x) {
    return op("sign", x, a -> tf(step()).stopGradient(tf(step()).math.sign(a)));
  }

  @Override
  public Tensor clip(Tensor x, double min, double max) {
    return op("clip:" + min + ":" + max, x, a -> tf(step()).math.maximum(
        tf(step()).math.minimum(a, constantF((float) max)), constantF((float) min)));
  }

  @Override
  public Tensor equal(Tensor a, Tensor b) {
    return op2("equal", a, b, (x, y) -> tf(step()).stopGradient(
        tf(step()).dtypes.cast(tf(step()).math.equal(x, y), TFloat32.class)));
  }

  @Override
  public Tensor greater(Tensor a, Tensor b) {
    return op2("greater", a, b, (x, y) -> tf(step()).stopGradient(
        tf(step()).dtypes.cast(tf(step()).math.greater(x, y), TFloat32.class)));
  }

  @Override
  public Tensor where(Tensor condition, Tensor a, Tensor b) {
    int[] shape = broadcast(broadcast(condition.shape(), a.shape()), b.shape());
    return op("where", List.of(condition, a, b), in -> {
      org.tensorflow.op.Ops tf = tf(step());
      // Fill, not tf.zeros: the Java helper opens a sub-scope, which scans the whole graph
      Operand zeros = tf.fill(tf.constant(longs(shape)), tf.constant(0f));
      Operand c = tf.math.notEqual(tf.math.add(toFloat(in[0]), zeros), tf.constant(0f));
      Operand x = in[1].type() == TFloat32.class && in[2].type() == TFloat32.class
          ? in[1] : toFloat(in[1]);
      Operand y = x.type() == in[2].type() ? in[2] : toFloat(in[2]);
      // Select needs equal shapes: adding zeros broadcasts (and back-propagates by summing)
      return tf.select(c, tf.math.add(x, tf.dtypes.cast(zeros, x.type())),
          tf.math.add(y, tf.dtypes.cast(zeros, y.type())));
    });
  }

  // ---- activations -----------------------------------------------------------------------

  @Override
  public Tensor relu(Tensor x) {
    return op("relu", x, a -> tf(step()).nn.relu(a));
  }

  @Override
  public Tensor sigmoid(Tensor x) {
    return op("sigmoid", x, a -> tf(step()).math.sigmoid(a));
  }

  @Override
  public Tensor tanh(Tensor x) {
    return op("tanh", x, a -> tf(step()).math.tanh(a));
  }

  @Override
  public Tensor gelu(Tensor x, boolean approximate) {
    return op("gelu:" + approximate, x, a -> {
      org.tensorflow.op.Ops tf = tf(step());
      Operand inner = approximate
          ? tf.math.tanh(tf.math.mul(constantF((float) Math.sqrt(2 / Math.PI)),
              tf.math.add(a, tf.math.mul(constantF(0.044715f), tf.math.pow(a, constantF(3f))))))
          : tf.math.erf(tf.math.mul(a, constantF((float) (1 / Math.sqrt(2)))));
      return tf.math.mul(tf.math.mul(constantF(0.5f), a), tf.math.add(constantF(1f), inner));
    });
  }

  @Override
  public Tensor silu(Tensor x) {
    return op("silu", x, a -> tf(step()).math.mul(a, tf(step()).math.sigmoid(a)));
  }

  @Override
  public Tensor softplus(Tensor x) {
    // max(x, 0) + log1p(exp(-|x|)): stable, and made of ops with registered gradients
    return op("softplus", x, a -> {
      org.tensorflow.op.Ops tf = tf(step());
      return tf.math.add(tf.math.maximum(a, constantF(0f)),
          tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(a)))));
    });
  }

  @Override
  public Tensor softmax(Tensor x, int axis) {
    return lastAxis("softmax", x, axis, a -> tf(step()).nn.softmax(a));
  }

  /**
   * Computed on a rank-2 view: TensorFlow's C++ gradient of {@code LogSoftmax} sums over axis 1,
   * right for a matrix only (a sequence model's {@code [batch, time, classes]} logits got wrong
   * gradients before this).
   */
  @Override
  public Tensor logSoftmax(Tensor x, int axis) {
    long classes = x.shape()[axis(x, axis)];
    return lastAxis("logSoftmax", x, axis, a -> {
      org.tensorflow.op.Ops tf = tf(step());
      if (x.rank() == 2) {
        return tf.nn.logSoftmax(a);
      }
      Operand flat = tf.reshape(a, tf.constant(new long[] {-1, classes}));
      return tf.reshape(tf.nn.logSoftmax(flat), tf.shape(a));
    });
  }

  // ---- reductions ------------------------------------------------------------------------

  private static int[] all(Tensor x) {
    int[] a = new int[x.rank()];
    for (int i = 0; i < a.length; i++) {
      a[i] = i;
    }
    return a;
  }

  @Override
  public Tensor sum(Tensor x) {
    return sum(x, all(x), false);
  }

  @Override
  public Tensor sum(Tensor x, int[] axes, boolean keepDims) {
    int[] ax = axes(x, axes);
    return op("sum:" + Arrays.toString(ax) + keepDims, x,
        a -> tf(step()).sum(a, tf(step()).constant(ax), Sum.keepDims(keepDims)));
  }

  @Override
  public Tensor mean(Tensor x) {
    return mean(x, all(x), false);
  }

  @Override
  public Tensor mean(Tensor x, int[] axes, boolean keepDims) {
    int[] ax = axes(x, axes);
    return op("mean:" + Arrays.toString(ax) + keepDims, x,
        a -> tf(step()).math.mean(a, tf(step()).constant(ax), Mean.keepDims(keepDims)));
  }

  @Override
  public Tensor variance(Tensor x, int[] axes, boolean keepDims) {
    Tensor m = mean(x, axes, true);
    return mean(square(subtract(x, m)), axes, keepDims);
  }

  @Override
  public Tensor max(Tensor x, int axis, boolean keepDims) {
    return max(x, new int[] {axis}, keepDims);
  }

  @Override
  public Tensor max(Tensor x, int[] axes, boolean keepDims) {
    int[] ax = axes(x, axes);
    return op("max:" + Arrays.toString(ax) + keepDims, x,
        a -> tf(step()).max(a, tf(step()).constant(ax), Max.keepDims(keepDims)));
  }

  @Override
  public Tensor min(Tensor x, int[] axes, boolean keepDims) {
    int[] ax = axes(x, axes);
    return op("min:" + Arrays.toString(ax) + keepDims, x,
        a -> tf(step()).min(a, tf(step()).constant(ax), Min.keepDims(keepDims)));
  }

  @Override
  public Tensor argmax(Tensor x, int axis) {
    int a = axis(x, axis);
    return op("argmax:" + a, x, in -> tf(step()).stopGradient(
        tf(step()).math.argMax(in, tf(step()).constant(a), TInt64.class)));
  }

  @Override
  public Tensor logSumExp(Tensor x, int axis, boolean keepDims) {
    int a = axis(x, axis);
    return op("logSumExp:" + a + keepDims, x, in -> {
      org.tensorflow.op.Ops tf = tf(step());
      Operand ax = tf.constant(new int[] {a});
      Operand m = tf.stopGradient(tf.max(in, ax, Max.keepDims(true)));
      Operand s = tf.math.add(tf.math.log(tf.sum(tf.math.exp(tf.math.sub(in, m)), ax,
          Sum.keepDims(true))), m);
      return keepDims ? s : tf.squeeze(s, Squeeze.axis(List.of((long) a)));
    });
  }

  // ---- shapes ----------------------------------------------------------------------------

  @Override
  public Tensor reshape(Tensor x, int... shape) {
    return op("reshape:" + Arrays.toString(shape), x,
        a -> tf(step()).reshape(a, tf(step()).constant(longs(shape))));
  }

  @Override
  public Tensor transpose(Tensor x, int... permutation) {
    return op("transpose:" + Arrays.toString(permutation), x,
        a -> tf(step()).linalg.transpose(a, tf(step()).constant(permutation)));
  }

  @Override
  public Tensor expandDims(Tensor x, int axis) {
    int a = axis < 0 ? axis + x.rank() + 1 : axis;
    return op("expandDims:" + a, x, in -> tf(step()).expandDims(in, tf(step()).constant(a)));
  }

  @Override
  public Tensor squeeze(Tensor x, int axis) {
    int a = axis(x, axis);
    return op("squeeze:" + a, x, in -> tf(step()).squeeze(in, Squeeze.axis(List.of((long) a))));
  }

  @Override
  public Tensor concatenate(List<Tensor> xs, int axis) {
    int a = axis(xs.get(0), axis);
    if (xs.size() == 1) {
      return xs.get(0);   // TensorFlow's ConcatV2 needs two inputs at least
    }
    return op("concat:" + a, xs, in -> tf(step()).concat(Arrays.asList(in), tf(step()).constant(a)));
  }

  @Override
  public Tensor stack(List<Tensor> xs, int axis) {
    int a = axis < 0 ? axis + xs.get(0).rank() + 1 : axis;
    return op("stack:" + a, xs, in -> tf(step()).stack(Arrays.asList(in), Stack.axis((long) a)));
  }

  @Override
  public Tensor slice(Tensor x, int axis, int start, int length) {
    int a = axis(x, axis);
    int[] shape = x.shape();
    if (start < 0 || length < 0 || start + length > shape[a]) {
      throw new IllegalArgumentException("slice: [" + start + ", " + (start + length)
          + ") out of range for axis " + a + " of size " + shape[a]);
    }
    // int32 begin and size: the C++ Slice gradient subtracts them from an int32 shape
    int[] begin = new int[shape.length];
    int[] size = shape.clone();
    begin[a] = start;
    size[a] = length;
    return op("slice:" + Arrays.toString(begin) + Arrays.toString(size), x,
        in -> tf(step()).slice(in, tf(step()).constant(begin), tf(step()).constant(size)));
  }

  @Override
  public Tensor take(Tensor x, Tensor indices, int axis) {
    int a = axis(x, axis);
    return op("take:" + a, List.of(x, indices), in -> tf(step()).gather(in[0],
        tf(step()).dtypes.cast(in[1], TInt64.class), tf(step()).constant(a)));
  }

  @Override
  public Tensor takeAlongAxis(Tensor x, Tensor indices, int axis) {
    // one-hot of the indices against the axis, summed: only ops with registered gradients
    int a = axis(x, axis);
    int n = x.dim(a);
    Tensor xl = moveToLast(x, a);
    Tensor il = moveToLast(indices, a);
    Tensor picked = sum(multiply(oneHot(il, n), expandDims(xl, -2)), new int[] {-1}, false);
    return moveFromLast(picked, a);
  }

  private Tensor moveToLast(Tensor x, int a) {
    int r = x.rank();
    if (a == r - 1) {
      return x;
    }
    int[] perm = new int[r];
    int k = 0;
    for (int i = 0; i < r; i++) {
      if (i != a) {
        perm[k++] = i;
      }
    }
    perm[r - 1] = a;
    return transpose(x, perm);
  }

  private Tensor moveFromLast(Tensor x, int a) {
    int r = x.rank();
    if (a == r - 1) {
      return x;
    }
    int[] perm = new int[r];
    for (int i = 0; i < r; i++) {
      perm[i] = i < a ? i : i == a ? r - 1 : i - 1;
    }
    return transpose(x, perm);
  }

  @Override
  public Tensor oneHot(Tensor indices, int numClasses) {
    return op("oneHot:" + numClasses, indices, in -> {
      org.tensorflow.op.Ops tf = tf(step());
      return tf.stopGradient(tf.oneHot(tf.dtypes.cast(in, TInt64.class),
          tf.constant(numClasses), tf.constant(1f), tf.constant(0f)));
    });
  }

  // ---- linear algebra and nn -------------------------------------------------------------

  @Override
  public Tensor matmul(Tensor a, Tensor b) {
    int ra = a.rank();
    int rb = b.rank();
    if (ra == 2 && rb == 2) {
      return op2("matmul", a, b, (x, y) -> tf(step()).linalg.matMul(x, y));
    }
    if (ra > 2 && rb == 2) {
      // [..., k] x [k, n]: one matrix product over the flattened leading axes
      int[] s = a.shape();
      int[] out = s.clone();
      out[ra - 1] = b.dim(1);
      return reshape(matmul(reshape(a, -1, s[ra - 1]), b), out);
    }
    return nn.batchMatmul(a, b);
  }

  @Override
  public Tensor conv(Tensor x, Tensor kernel, int[] strides, String padding, int[] dilation,
      int groups) {
    return nn.conv(x, kernel, strides, padding, dilation, groups);
  }

  @Override
  public Tensor maxPool(Tensor x, int[] poolSize, int[] strides, String padding) {
    return nn.pool(x, poolSize, strides, padding, true);
  }

  @Override
  public Tensor averagePool(Tensor x, int[] poolSize, int[] strides, String padding) {
    return nn.pool(x, poolSize, strides, padding, false);
  }

  @Override
  public Tensor dropout(Tensor x, double rate) {
    if (rate <= 0) {
      return x;
    }
    return nn.dropout(x, rate, backend.nextSeed());
  }

  @Override
  public Tensor stopGradient(Tensor x) {
    return op("stopGradient", x, a -> tf(step()).stopGradient(a));
  }

  @Override
  public void assign(Tensor variable, Tensor value) {
    TfVariable v = variableOf(variable, "assign");
    Tensor cast = value.dtype() == DType.FLOAT32 ? value : cast(value, DType.FLOAT32);
    Tensor shaped = reshape(stopGradient(cast), v.shape());
    Step s = step();
    s.assign(v, ((TfTensor) shaped).node);
  }

  // ---- core layers -----------------------------------------------------------------------

  @Override
  public Tensor elu(Tensor x, double alpha) {
    return op("elu:" + alpha, x, a -> {
      org.tensorflow.op.Ops tf = tf(step());
      Operand negative = tf.math.mul(constantF((float) alpha),
          tf.math.sub(tf.math.exp(tf.math.minimum(a, constantF(0f))), constantF(1f)));
      return tf.select(tf.math.greaterEqual(a, constantF(0f)), a, negative);
    });
  }

  @Override
  public Tensor sort(Tensor x, int axis, boolean descending) {
    return nn.sort(x, axis, descending);
  }

  @Override
  public Tensor cumsum(Tensor x, int axis) {
    int a = axis(x, axis);
    return op("cumsum:" + a, x, in -> tf(step()).math.cumsum(in, tf(step()).constant(a)));
  }

  @Override
  public Tensor pad(Tensor x, int[][] padding, double value) {
    return nn.pad(x, padding, value);
  }

  @Override
  public Tensor resize(Tensor x, int height, int width, String interpolation) {
    return nn.resize(x, height, width, interpolation);
  }

  @Override
  public Tensor einsum(String equation, List<Tensor> operands) {
    // TensorFlow's Einsum has no C++ gradient: lowered to products and sums where possible
    Tensor lowered = EinsumLowering.lower(this, equation, operands);
    if (lowered != null) {
      return lowered;
    }
    return op("einsum:" + equation, operands,
        in -> tf(step()).linalg.einsum(Arrays.asList(in), equation));
  }

  @Override
  public Tensor randomUniform(int[] shape, long seed) {
    return seeded("randomUniform:", shape, seed, false);
  }

  @Override
  public Tensor randomNormal(int[] shape, long seed) {
    return seeded("randomNormal:", shape, seed, true);
  }

  /**
   * Stateless random values whose seed is fed per step (not part of the operation's key), so a
   * layer drawing a new seed every step (Dropout) reuses the traced node.
   */
  private Tensor seeded(String name, int[] shape, long seed, boolean normal) {
    Step s = step();
    TraceNode node = s.visit(name + Arrays.toString(shape), ph -> {
      org.tensorflow.op.Ops tf = tf(s);
      Placeholder<TInt64> seedInput = tf.placeholder(TInt64.class,
          Placeholder.shape(Shape.of(2)));
      ph[0] = seedInput;
      Operand<TInt64> dims = tf.constant(longs(shape));
      return normal ? tf.random.statelessRandomNormal(dims, seedInput)
          : tf.random.statelessRandomUniform(dims, seedInput);
    });
    s.feed(node.placeholder, TInt64.vectorOf(seed, 0L));
    return new TfTensor(node, s);
  }

  @Override
  public Tensor convTranspose(Tensor x, Tensor kernel, int[] strides, String padding,
      int[] outputPadding, int[] dilation) {
    return nn.convTranspose(x, kernel, strides, padding, outputPadding, dilation);
  }

  @Override
  public Tensor flip(Tensor x, int axis) {
    int a = axis(x, axis);
    return op("flip:" + a, x, in -> tf(step()).reverse(in, tf(step()).constant(new int[] {a})));
  }

  @Override
  public Tensor tril(Tensor x, int k) {
    int rows = x.dim(-2);
    int cols = x.dim(-1);
    float[] mask = new float[rows * cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        mask[i * cols + j] = j - i <= k ? 1f : 0f;
      }
    }
    return op("tril:" + k, x, in -> tf(step()).math.mul(in, tf(step()).constant(
        Shape.of(rows, cols), org.tensorflow.ndarray.buffer.DataBuffers.of(mask, true, false))));
  }

  @Override
  public Tensor repeat(Tensor x, int repeats, int axis) {
    int a = axis(x, axis);
    int[] shape = x.shape();
    Tensor e = expandDims(x, a + 1);
    List<Tensor> copies = new ArrayList<>(repeats);
    for (int i = 0; i < repeats; i++) {
      copies.add(e);
    }
    shape[a] *= repeats;
    return reshape(concatenate(copies, a + 1), shape);
  }
}
