package io.sparkeras.backend.tensorflow;

import io.sparkeras.api.backend.Tensor;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;

/**
 * The activations, matrix products and neural-network operations of {@link TfOps}, as in
 * {@code keras.ops.nn} and {@code keras.ops.math}. Convolutions, pooling, dropout and the image
 * and sequence operations are computed by {@link TfNnOps}.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
abstract class TfMathOps extends TfShapeOps {
  private final TfNnOps nn = new TfNnOps(this);

  TfMathOps(TensorFlowBackend backend) {
    super(backend);
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

  @Override
  public Tensor elu(Tensor x, double alpha) {
    return op("elu:" + alpha, x, a -> {
      org.tensorflow.op.Ops tf = tf(step());
      Operand negative = tf.math.mul(constantF((float) alpha),
          tf.math.sub(tf.math.exp(tf.math.minimum(a, constantF(0f))), constantF(1f)));
      return tf.select(tf.math.greaterEqual(a, constantF(0f)), a, negative);
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
  public Tensor convTranspose(Tensor x, Tensor kernel, int[] strides, String padding,
      int[] outputPadding, int[] dilation) {
    return nn.convTranspose(x, kernel, strides, padding, outputPadding, dilation);
  }

  @Override
  public Tensor sort(Tensor x, int axis, boolean descending) {
    return nn.sort(x, axis, descending);
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
}
