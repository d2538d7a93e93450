package io.sparkeras.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkeras.api.backend.Backend;
import io.sparkeras.api.backend.BackendsAccess;
import io.sparkeras.api.backend.Ops;
import io.sparkeras.api.backend.ParameterBlock;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.backend.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * TensorFlow's natives and libtorch in one JVM (both JavaCPP builds, different JavaCPP releases):
 * a matmul + bias + relu + softmax cross-entropy graph differentiated by TensorFlow's C++ gradient
 * registry gives torch's loss and gradients.
 */
class TensorFlowBesideTorchTest {

  private static final float[] X = {0.5f, -1f, 2f, 0.25f, 1.5f, -0.5f};       // [2, 3]
  private static final float[] W = {0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f};      // [3, 2]
  private static final float[] B = {0.05f, -0.05f};
  private static final float[] Y = {1f, 0f, 0f, 1f};                            // one-hot [2, 2]

  @Test
  void graphGradientsMatchTorchInTheSameJvm() {
    // libtorch first: both native stacks stay loaded in this JVM
    Backend torch = BackendsAccess.load("torch");
    float[][] expected = torchLossAndGradients(torch);

    try (Graph g = new Graph(); Session session = new Session(g)) {
      org.tensorflow.op.Ops tf = org.tensorflow.op.Ops.create(g);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(2, 3)));
      Placeholder<TFloat32> w = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(3, 2)));
      Placeholder<TFloat32> b = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(2)));
      Operand<TFloat32> logits = tf.math.add(tf.linalg.matMul(x, w), b);
      Operand<TFloat32> hidden = tf.nn.relu(logits);
      Operand<TFloat32> ce = tf.nn.softmaxCrossEntropyWithLogits(hidden,
          tf.constant(new float[][] {{1f, 0f}, {0f, 1f}})).loss();
      Operand<TFloat32> loss = tf.math.mean(ce, tf.constant(0));
      Output<?>[] grads = g.addGradients(loss.asOutput(), new Output<?>[] {w.asOutput(), b.asOutput()});
      try (TFloat32 xt = TFloat32.tensorOf(Shape.of(2, 3), DataBuffers.of(X, true, false));
           TFloat32 wt = TFloat32.tensorOf(Shape.of(3, 2), DataBuffers.of(W, true, false));
           TFloat32 bt = TFloat32.tensorOf(Shape.of(2), DataBuffers.of(B, true, false));
           Result r = session.runner().feed(x, xt).feed(w, wt).feed(b, bt)
               .fetch(loss).fetch(grads[0]).fetch(grads[1]).run()) {
        assertEquals(expected[0][0], ((TFloat32) r.get(0)).getFloat(), 1e-6);
        assertArrayEquals(expected[1], floats((TFloat32) r.get(1)), 1e-6f);
        assertArrayEquals(expected[2], floats((TFloat32) r.get(2)), 1e-6f);
      }
    }
  }

  private static float[] floats(TFloat32 t) {
    float[] out = new float[(int) t.size()];
    t.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  /** {loss}, dW, db from torch. */
  private static float[][] torchLossAndGradients(Backend torch) {
    Ops o = torch.ops();
    Tensor w = torch.variable(W, new int[] {3, 2}, true);
    Tensor b = torch.variable(B, new int[] {2}, true);
    ParameterBlock block = torch.pack(List.of(w, b));
    try (Scope s = torch.scope(true)) {
      block.zeroGradients();
      Tensor h = o.relu(o.add(o.matmul(o.constant(X, 2, 3), w), b));
      Tensor loss = o.mean(o.negative(o.sum(o.multiply(o.constant(Y, 2, 2), o.logSoftmax(h, -1)),
          new int[] {-1}, false)));
      torch.backward(loss);
      float[] g = new float[block.size()];
      block.gradients().duplicate().get(g);
      float[] gw = java.util.Arrays.copyOfRange(g, 0, 6);
      float[] gb = java.util.Arrays.copyOfRange(g, 6, 8);
      return new float[][] {{loss.item()}, gw, gb};
    }
  }
}
