package io.sparkeras.backend.tensorflow;

import io.sparkeras.api.backend.DType;
import io.sparkeras.api.backend.Ops;
import io.sparkeras.api.backend.Tensor;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * {@link Ops} lowered to TensorFlow graph operations, recorded into the current {@link Step}. The
 * operations are split along keras.ops' seams: {@link TfRecorder} records them,
 * {@link TfNumpyOps} holds the elementwise operations and reductions, {@link TfShapeOps} the shape
 * and indexing ones, {@link TfMathOps} the activations and neural-network ones (convolutions,
 * pooling and the image and sequence operations in {@link TfNnOps}). This class holds
 * {@code keras.ops.core}'s: creation, casts, {@code stop_gradient}, {@code assign} and random
 * values.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
final class TfOps extends TfMathOps {
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

  // ---- gradients, variables and random values ---------------------------------------------

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
}
