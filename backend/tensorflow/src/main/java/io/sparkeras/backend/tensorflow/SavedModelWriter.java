package io.sparkeras.backend.tensorflow;

import io.sparkeras.api.backend.InferenceFunction;
import io.sparkeras.api.backend.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Writes a model's inference call as a TensorFlow SavedModel for TensorFlow Serving.
 *
 * <p>The backend traces with static shapes (its graphs are keyed by shape), so the call is traced
 * once for a single sample, and a {@code while} loop in the exported graph runs it for each row
 * of the batch, writing row {@code i} of every output: the signature's inputs are
 * {@code [-1, ...]} placeholders named like the model's inputs, its outputs {@code [-1, ...]}
 * named like the model's outputs, and any batch size runs. Weights are constants holding the
 * values at export time (a frozen graph; the {@code variables/} directory stays empty). Inference
 * layers are per sample, so the rows equal a batched {@code predict}.
 *
 * <pre>{@code
 * SavedModelWriter.write(backend, function, Path.of("/srv/models/m/1"), 2);
 * try (SavedModelBundle b = SavedModelBundle.load("/srv/models/m/1", "serve")) { ... }
 * }</pre>
 */
@SuppressWarnings({"unchecked", "rawtypes"})
final class SavedModelWriter {
  /** The method name TensorFlow Serving's Predict API expects of a signature. */
  static final String PREDICT_METHOD = "tensorflow/serving/predict";

  private SavedModelWriter() {}

  static void write(TensorFlowBackend backend, InferenceFunction f, Path dir, int threads)
      throws IOException {
    int nIn = f.inputNames().size();
    int nOut = f.outputNames().size();
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Set<String> opNames = new HashSet<>();
      List<Placeholder<TFloat32>> inputs = new ArrayList<>();
      Output<?>[] loopVars = new Output<?>[1 + nIn + nOut];
      loopVars[0] = tf.constant(0).asOutput();
      for (int j = 0; j < nIn; j++) {
        Placeholder<TFloat32> x = tf.withName(opName("serving_default_", f.inputNames().get(j),
            opNames)).placeholder(TFloat32.class,
            Placeholder.shape(batched(-1, f.inputShape(j))));
        inputs.add(x);
        loopVars[1 + j] = x.asOutput();
      }
      Operand<TInt32> rows = tf.gather(tf.shape(inputs.get(0)), tf.constant(0), tf.constant(0));
      for (int k = 0; k < nOut; k++) {
        Operand<TInt32> shape = tf.concat(List.of(tf.reshape(rows, tf.constant(new int[] {1})),
            tf.constant(f.outputShape(k))), tf.constant(0));
        loopVars[1 + nIn + k] = tf.fill(shape, tf.constant(0f)).asOutput();
      }
      RuntimeException[] failure = new RuntimeException[1];
      Output<?>[] results = g.whileLoop(loopVars,
          (cg, in, out) -> {
            Ops t = Ops.create(cg);
            out[0] = t.math.less((Operand<TInt32>) in[0],
                t.gather(t.shape(in[1]), t.constant(0), t.constant(0))).asOutput();
          },
          (bg, in, out) -> {
            // a failure inside the builder still finishes the loop, then is thrown below
            System.arraycopy(in, 0, out, 0, in.length);
            try {
              body(backend, f, bg, in, out);
            } catch (RuntimeException e) {
              System.arraycopy(in, 0, out, 0, in.length);
              failure[0] = e;
            }
          }, "serving_loop");
      if (failure[0] != null) {
        throw failure[0];
      }
      Signature.Builder sig = Signature.builder().key(Signature.DEFAULT_KEY)
          .methodName(PREDICT_METHOD);
      for (int j = 0; j < nIn; j++) {
        sig.input(f.inputNames().get(j), inputs.get(j));
      }
      for (int k = 0; k < nOut; k++) {
        Operand<TFloat32> y = tf.withName(opName("serving_output_", f.outputNames()
            .get(k), opNames)).ensureShape((Operand<TFloat32>) results[1 + nIn + k],
            batched(-1, f.outputShape(k)));
        sig.output(f.outputNames().get(k), y);
      }
      checkOnlyInputsFed(g, inputs);
      try (Session s = new Session(g, TfGraph.sessionConfig(threads, Xla.OFF))) {
        SavedModelBundle.exporter(dir.toString())
            .withFunction(SessionFunction.create(sig.build(), s))
            .export();
      }
    }
  }

  /**
   * The loop body: row {@code i} of each input, the model traced on it, its outputs written into
   * row {@code i} of the accumulators; loop variables {@code (i, inputs..., outputs...)}.
   */
  private static void body(TensorFlowBackend backend, InferenceFunction f, Graph bg,
      Output<?>[] in, Output<?>[] out) {
    Ops t = Ops.create(bg);
    int nIn = f.inputNames().size();
    int nOut = f.outputNames().size();
    Operand<TInt32> i = (Operand<TInt32>) in[0];
    List<Operand> rows = new ArrayList<>();
    for (int j = 0; j < nIn; j++) {
      rows.add(t.ensureShape(t.gather((Operand) in[1 + j], t.reshape(i, t.constant(new int[] {1})),
          t.constant(0)), batched(1, f.inputShape(j))));
    }
    List<Operand> ys = backend.traceInto(TfGraph.frozen(bg), step -> {
      List<Tensor> x = new ArrayList<>();
      for (int j = 0; j < nIn; j++) {
        Operand row = rows.get(j);
        x.add(new TfTensor(step.visit("export-input" + j, ph -> row), step));
      }
      List<Tensor> y = f.call(x);
      if (y.size() != nOut) {
        throw new IllegalStateException("exportSavedModel: the model returned " + y.size()
            + " outputs, expected " + nOut + " " + f.outputNames());
      }
      List<Operand> outs = new ArrayList<>();
      for (int k = 0; k < nOut; k++) {
        int[] expected = new int[f.outputShape(k).length + 1];
        expected[0] = 1;
        System.arraycopy(f.outputShape(k), 0, expected, 1, expected.length - 1);
        if (!Arrays.equals(y.get(k).shape(), expected)) {
          throw new IllegalStateException("exportSavedModel: output '" + f.outputNames().get(k)
              + "' has shape " + Arrays.toString(y.get(k).shape()) + " for one sample, expected "
              + Arrays.toString(expected));
        }
        outs.add(TfRecorder.graphValue(step, y.get(k)));
      }
      return outs;
    });
    out[0] = t.math.add(i, t.constant(1)).asOutput();
    Operand<TInt32> at = t.reshape(i, t.constant(new int[] {1, 1}));
    for (int k = 0; k < nOut; k++) {
      Operand y = ys.get(k);
      if (y.type() != TFloat32.class) {
        y = t.dtypes.cast(y, TFloat32.class);
      }
      out[1 + nIn + k] = t.tensorScatterNdUpdate((Operand<TFloat32>) in[1 + nIn + k], at, y)
          .asOutput();
    }
  }

  /** No placeholder but the inputs: everything else the model read was frozen into constants. */
  private static void checkOnlyInputsFed(Graph g, List<Placeholder<TFloat32>> inputs) {
    Set<String> allowed = new HashSet<>();
    for (Placeholder<TFloat32> p : inputs) {
      allowed.add(p.op().name());
    }
    java.util.Iterator<GraphOperation> ops = g.operations();
    while (ops.hasNext()) {
      GraphOperation op = ops.next();
      if (op.type().equals("Placeholder") && !allowed.contains(op.name())) {
        throw new IllegalStateException("exportSavedModel: the traced model feeds '" + op.name()
            + "' per step (a random seed or an input made outside the call), which a served "
            + "model cannot do");
      }
    }
  }

  private static Shape batched(long batch, int[] sample) {
    long[] d = new long[sample.length + 1];
    d[0] = batch;
    for (int i = 0; i < sample.length; i++) {
      d[i + 1] = sample[i];
    }
    return Shape.of(d);
  }

  /** A valid, unique TensorFlow operation name for {@code name} (readable in the graph). */
  private static String opName(String prefix, String name, Set<String> used) {
    String base = prefix + name.replaceAll("[^A-Za-z0-9_.\\-]", "_");
    String n = base;
    for (int i = 1; !used.add(n); i++) {
      n = base + "_" + i;
    }
    return n;
  }
}
