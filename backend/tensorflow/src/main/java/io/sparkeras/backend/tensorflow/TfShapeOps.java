package io.sparkeras.backend.tensorflow;

import io.sparkeras.api.backend.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.core.Stack;
import org.tensorflow.types.TInt64;

/**
 * The shape and indexing operations of {@link TfOps}, as in {@code keras.ops.numpy}: reshaping,
 * transposing, joining, slicing, gathering, one-hot encoding, flipping, masking and repeating.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
abstract class TfShapeOps extends TfNumpyOps {
  TfShapeOps(TensorFlowBackend backend) {
    super(backend);
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
    return op("concat:" + a, xs,
        in -> tf(step()).concat(Arrays.asList(in), tf(step()).constant(a)));
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
