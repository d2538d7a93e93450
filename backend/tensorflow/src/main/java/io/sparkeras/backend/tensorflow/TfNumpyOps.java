package io.sparkeras.backend.tensorflow;

import io.sparkeras.api.backend.Tensor;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Max;
import org.tensorflow.op.core.Min;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.core.Sum;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The elementwise operations and reductions of {@link TfOps}, as in {@code keras.ops.numpy}:
 * arithmetic and comparisons with NumPy broadcasting, {@code where}, sums, means, extrema and
 * cumulative sums.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
abstract class TfNumpyOps extends TfRecorder {
  TfNumpyOps(TensorFlowBackend backend) {
    super(backend);
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

  @Override
  public Tensor cumsum(Tensor x, int axis) {
    int a = axis(x, axis);
    return op("cumsum:" + a, x, in -> tf(step()).math.cumsum(in, tf(step()).constant(a)));
  }
}
