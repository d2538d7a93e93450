package io.sparkeras.backend.tensorflow;

import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;

/**
 * Gradients TensorFlow's C++ registry lacks (it covers what {@code tf.function} needs in Python
 * only through Python-side gradients), written from TensorFlow ops and registered once with
 * {@link TensorFlow#registerCustomGradient}: {@code Conv3D}, {@code Conv3DBackpropInputV2}
 * (Conv3DTranspose) and {@code TopKV2} (sort).
 */
final class MissingGradients {
  private static boolean registered;

  private MissingGradients() {}

  static synchronized void register() {
    if (registered) {
      return;
    }
    registered = true;
    if (!TensorFlow.registerCustomGradient("Conv3D", MissingGradients::conv3d)) {
      throw new IllegalStateException("could not register the Conv3D gradient");
    }
    if (!TensorFlow.registerCustomGradient("Conv3DBackpropInputV2",
        MissingGradients::conv3dTranspose)) {
      throw new IllegalStateException("could not register the Conv3DBackpropInputV2 gradient");
    }
    if (!TensorFlow.registerCustomGradient("TopKV2", MissingGradients::topK)) {
      throw new IllegalStateException("could not register the TopKV2 gradient");
    }
  }

  /**
   * The transposed 3-D convolution {@code y = Conv3DBackpropInputV2(sizes, w, x)}: d/dx is the
   * forward convolution of dy, d/dw the filter backprop with dy as the input and x as the output
   * gradient; the sizes get no gradient.
   */
  private static List<Operand<?>> conv3dTranspose(Ops tf, GraphOperation op,
      List<Output<?>> grads) {
    Output<?> sizes = op.input(0);
    Output<?> filter = op.input(1);
    Output<?> x = op.input(2);
    long[] strides = op.attributes().getAttrIntList("strides");
    long[] dilations = op.attributes().getAttrIntList("dilations");
    String padding = op.attributes().getAttrString("padding");
    Output<?> dy = grads.get(0);
    Output<?> dx = tf.scope().env().opBuilder("Conv3D", tf.scope().makeOpName("Conv3D"),
            tf.scope())
        .addInput(dy).addInput(filter)
        .setAttr("strides", strides).setAttr("padding", padding).setAttr("dilations", dilations)
        .build().output(0);
    Output<?> dw = tf.scope().env().opBuilder("Conv3DBackpropFilterV2",
            tf.scope().makeOpName("Conv3DBackpropFilterV2"), tf.scope())
        .addInput(dy).addInput(tf.shape(filter).asOutput()).addInput(x)
        .setAttr("strides", strides).setAttr("padding", padding).setAttr("dilations", dilations)
        .build().output(0);
    return java.util.Arrays.asList(tf.zerosLike(sizes), dw, dx);
  }

  /**
   * Top-k values along the last axis: each value's gradient goes back to the position it was
   * taken from ({@code sum_k one_hot(indices, n) * dvalues}); the indices and k get none.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<Operand<?>> topK(Ops tf, GraphOperation op, List<Output<?>> grads) {
    Output x = op.input(0);
    Output<?> k = op.input(1);
    Output indices = op.output(1);
    // the last axis's length computed in the graph: asking the graph for a static shape from
    // inside a gradient function deadlocks (TensorFlow holds the graph's lock meanwhile)
    Operand depth = tf.gather(tf.shape(x), tf.math.sub(tf.rank(x), tf.constant(1)),
        tf.constant(0));
    Operand oneHot = tf.oneHot(indices, depth, tf.constant(1f), tf.constant(0f));
    Operand spread = tf.math.mul(oneHot, tf.expandDims((Operand) grads.get(0), tf.constant(-1)));
    Operand dx = tf.sum(spread, tf.constant(-2));
    return java.util.Arrays.asList(dx, tf.zerosLike(k));
  }

  /** d/dx and d/dfilter of a 3-D convolution: its two backprop operations. */
  private static List<Operand<?>> conv3d(Ops tf, GraphOperation op, List<Output<?>> grads) {
    Output<?> x = op.input(0);
    Output<?> filter = op.input(1);
    long[] strides = op.attributes().getAttrIntList("strides");
    long[] dilations = op.attributes().getAttrIntList("dilations");
    String padding = op.attributes().getAttrString("padding");
    Output<?> dy = grads.get(0);
    Output<?> dx = tf.scope().env().opBuilder("Conv3DBackpropInputV2",
            tf.scope().makeOpName("Conv3DBackpropInputV2"), tf.scope())
        .addInput(tf.shape(x).asOutput()).addInput(filter).addInput(dy)
        .setAttr("strides", strides).setAttr("padding", padding).setAttr("dilations", dilations)
        .build().output(0);
    Output<?> dw = tf.scope().env().opBuilder("Conv3DBackpropFilterV2",
            tf.scope().makeOpName("Conv3DBackpropFilterV2"), tf.scope())
        .addInput(x).addInput(tf.shape(filter).asOutput()).addInput(dy)
        .setAttr("strides", strides).setAttr("padding", padding).setAttr("dilations", dilations)
        .build().output(0);
    return List.of(dx, dw);
  }
}
