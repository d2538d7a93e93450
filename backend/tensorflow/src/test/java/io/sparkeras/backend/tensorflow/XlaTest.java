package io.sparkeras.backend.tensorflow;

import static io.sparkeras.backend.tensorflow.TensorFlowTrainingTest.on;
import static io.sparkeras.backend.tensorflow.TensorFlowTrainingTest.threeClasses;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.optimizers.Adam;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

/**
 * XLA compilation ({@code sparkeras.tensorflow.xla}): the session the backend makes compiles
 * clusters when asked (the module's test JVMs start with
 * {@code TF_XLA_FLAGS=--tf_xla_cpu_global_jit}, as {@code bin/sparkeras} sets it for
 * {@code SPARKERAS_TF_XLA=on}), compiles nothing when not asked, and a model fitted with XLA
 * ends with the weights it reaches without.
 */
class XlaTest {

  /** The operations TensorFlow ran for one run of {@code y}, from the run's partition graphs. */
  private static Set<String> executedOps(Xla xla, boolean convolution) {
    try (Graph g = new Graph(); Session s = new Session(g, TfGraph.sessionConfig(2, xla))) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(4, 6, 6, 2)));
      Operand<TFloat32> h = convolution
          ? tf.nn.conv2d(x, tf.constant(new float[3][3][2][2]), List.of(1L, 1L, 1L, 1L), "SAME")
          : tf.linalg.matMul(tf.reshape(x, tf.constant(new long[] {4, 72})),
              tf.constant(new float[72][5]));
      Operand<TFloat32> e = tf.math.add(tf.math.mul(tf.math.tanh(tf.nn.relu(h)), h),
          tf.math.sigmoid(tf.math.neg(h)));
      Operand<TFloat32> y = tf.sum(tf.math.square(e), tf.constant(new int[] {0, 1}));
      RunOptions options = RunOptions.newBuilder().setOutputPartitionGraphs(true).build();
      Set<String> ops = new HashSet<>();
      try (TFloat32 in = TFloat32.tensorOf(Shape.of(4, 6, 6, 2));
          Result r = s.runner().feed(x, in).fetch(y).setOptions(options).runAndFetchMetadata()) {
        for (GraphDef partition : r.getMetadata().orElseThrow().getPartitionGraphsList()) {
          for (NodeDef n : partition.getNodeList()) {
            ops.add(n.getOp());
          }
        }
      }
      return ops;
    }
  }

  @Test
  void theSessionCompilesWhenAsked() {
    Set<String> dense = executedOps(Xla.ON, false);
    assertTrue(dense.contains("_XlaRun"), "a compiled cluster runs: " + dense);
    assertFalse(dense.contains("MatMul"), "the matrix product compiled into it: " + dense);
    Set<String> conv = executedOps(Xla.ON, true);
    assertTrue(conv.contains("_XlaRun") && !conv.contains("Conv2D"), "compiled: " + conv);
    Set<String> off = executedOps(Xla.OFF, false);
    assertFalse(off.contains("_XlaRun") || off.contains("_XlaCompile"), "nothing compiled: " + off);
    assertTrue(off.contains("MatMul"), "TensorFlow's kernel: " + off);
  }

  @Test
  void settingsAndFlags() {
    assertEquals(Xla.ON, Xla.parse(" On", "x"));
    assertEquals(Xla.ON, Xla.parse("true", "x"));
    assertEquals(Xla.OFF, Xla.parse("false", "x"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Xla.parse("yes", "-Dsparkeras.tensorflow.xla"));
    assertEquals("-Dsparkeras.tensorflow.xla: expected off or on, found 'yes'", e.getMessage());
    assertTrue(Xla.OFF.flagsSuffice(null));
    assertFalse(Xla.ON.flagsSuffice(null));
    assertFalse(Xla.ON.flagsSuffice("--tf_xla_cpu_global_jit_x"));
    assertTrue(Xla.ON.flagsSuffice("--tf_xla_auto_jit=1 --tf_xla_cpu_global_jit"));
    assertTrue(Xla.ON.flagsSuffice(System.getenv(TensorFlowBackend.XLA_FLAGS_ENV_NAME)),
        "the module's test JVMs start with the flags XLA needs on a CPU");
  }

  @Test
  void aFitWithXlaEndsWithTheWeightsOfOneWithout() {
    NDArray[] d = threeClasses(120, 6, 8);
    Supplier<Sequential> model = () -> new Sequential(Input.of(6),
        new Dense(8).activation("tanh"), new Dense(3).activation("softmax"));
    List<float[]> start = on("tensorflow", () -> {
      Sparkeras.setRandomSeed(3);
      return model.get().getWeights();
    });
    List<float[]> without = on("tensorflow", () -> fitted(model, start, d[0], d[1], Xla.OFF));
    List<float[]> with = on("tensorflow", () -> fitted(model, start, d[0], d[1], Xla.ON));
    for (int i = 0; i < without.size(); i++) {
      assertArrayEquals(without.get(i), with.get(i), 1e-4f, "weight " + i);
    }
  }

  private static List<float[]> fitted(Supplier<Sequential> model, List<float[]> start,
      NDArray x, NDArray y, Xla xla) {
    TensorFlowBackend b = (TensorFlowBackend) Backends.current();
    Xla before = b.xla();
    b.setXla(xla);
    try {
      Sequential m = model.get();
      m.setWeights(start);
      m.compile(new Adam(0.01), Losses.sparseCategoricalCrossentropy());
      m.fit(x, y, FitOptions.epochs(2).batchSize(40).shuffle(false).verbose(0));
      assertTrue(b.device().contains(xla == Xla.OFF ? "threads)" : "xla on"), b.device());
      return m.getWeights();
    } finally {
      b.setXla(before);
    }
  }
}
