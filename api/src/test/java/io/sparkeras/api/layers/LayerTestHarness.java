package io.sparkeras.api.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkeras.api.backend.Backend;
import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.ParameterBlock;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.backend.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The shared layer test, like Keras's {@code run_layer_test}: for a layer factory and input
 * shapes it checks (1) the eager output shape equals {@code computeOutputShape}, (2) config
 * round-trips through the registry and JSON unchanged, (3) a layer rebuilt from config with the
 * same weights computes the same output, and (4) analytic gradients of every input and trainable
 * weight match central finite differences.
 *
 * <pre>{@code
 * LayerTestHarness.of(() -> new Dense(3).activation("tanh")).inputShape(4).run();
 * LayerTestHarness.of(() -> new Embedding(10, 4)).inputShape(5).integerInputs(10).run();
 * }</pre>
 */
public final class LayerTestHarness {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Supplier<? extends Layer> factory;
  private final List<int[]> inputShapes = new ArrayList<>();
  private int batch = 2;
  private int integerInputs = -1;
  private boolean training = false;
  private double eps = 1e-2;
  private double atol = 2e-3;
  private double rtol = 2e-2;
  private int maxCoordinates = 24;
  private boolean gradientCheck = true;
  private long seed = 1234;
  private int[] expectedOutputShape;

  private LayerTestHarness(Supplier<? extends Layer> factory) {
    this.factory = factory;
  }

  public static LayerTestHarness of(Supplier<? extends Layer> factory) {
    return new LayerTestHarness(factory);
  }

  /** Adds an input of this shape (batch excluded); call once per input. */
  public LayerTestHarness inputShape(int... shape) {
    inputShapes.add(shape);
    return this;
  }

  public LayerTestHarness batch(int batch) {
    this.batch = batch;
    return this;
  }

  /** Inputs are integer indices in [0, n) (no input gradient is checked). */
  public LayerTestHarness integerInputs(int n) {
    this.integerInputs = n;
    return this;
  }

  /** Calls the layer in training mode (for gradient and shape checks). */
  public LayerTestHarness training(boolean training) {
    this.training = training;
    return this;
  }

  public LayerTestHarness tolerance(double atol, double rtol) {
    this.atol = atol;
    this.rtol = rtol;
    return this;
  }

  public LayerTestHarness epsilon(double eps) {
    this.eps = eps;
    return this;
  }

  public LayerTestHarness noGradientCheck() {
    this.gradientCheck = false;
    return this;
  }

  /** Also asserts the output shape (batch excluded). */
  public LayerTestHarness expectOutputShape(int... shape) {
    this.expectedOutputShape = shape;
    return this;
  }

  public LayerTestHarness seed(long seed) {
    this.seed = seed;
    return this;
  }

  private float[] randomInput(SplittableRandom r, int[] shape) {
    int n = batch;
    for (int d : shape) {
      n *= d;
    }
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = integerInputs > 0 ? r.nextInt(integerInputs) : (float) (r.nextDouble() * 2 - 1);
    }
    return x;
  }

  private static int[] withBatch(int batch, int[] shape) {
    int[] full = new int[shape.length + 1];
    full[0] = batch;
    System.arraycopy(shape, 0, full, 1, shape.length);
    return full;
  }

  /** Runs every check. */
  public void run() {
    if (inputShapes.isEmpty()) {
      throw new IllegalStateException("inputShape(...) first");
    }
    Backend b = Backends.current();
    SplittableRandom r = new SplittableRandom(seed);
    io.sparkeras.api.Sparkeras.setRandomSeed(seed);
    List<float[]> inputs = new ArrayList<>();
    for (int[] s : inputShapes) {
      inputs.add(randomInput(r, s));
    }

    // 1. shapes: eager output vs computeOutputShape, on a fresh layer
    Layer layer = factory.get();
    float[] out1;
    int[] outShape;
    try (Scope s = b.scope(false)) {
      Tensor y = layer.apply(constants(inputs), training);
      outShape = y.shape();
      out1 = y.toFloatArray();
    }
    int[] declared = layer.computeOutputShape(inputShapes.size() == 1
        ? List.of(inputShapes.get(0)) : inputShapes);
    int[] eagerNoBatch = Arrays.copyOfRange(outShape, 1, outShape.length);
    assertEquals(batch, outShape[0], "batch dimension of the output");
    assertArrayEquals(declared, eagerNoBatch, layer + ": computeOutputShape disagrees with call");
    if (expectedOutputShape != null) {
      assertArrayEquals(expectedOutputShape, eagerNoBatch, layer + ": output shape");
    }

    // 2. config round trip (registry + JSON)
    Map<String, Object> ser = Layer.REGISTRY.serialize(layer);
    Map<String, Object> ser2;
    Layer copy;
    try {
      String json = JSON.writeValueAsString(ser);
      @SuppressWarnings("unchecked")
      Map<String, Object> parsed = JSON.readValue(json, Map.class);
      copy = Layer.REGISTRY.deserialize(parsed);
      ser2 = Layer.REGISTRY.serialize(copy);
      assertEquals(JSON.readTree(json), JSON.readTree(JSON.writeValueAsString(ser2)),
          layer + ": config -> layer -> config changed");
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }

    // 3. same weights, same output (inference mode, so dropout-like layers are deterministic)
    if (!training) {
      try (Scope s = b.scope(false)) {
        copy.apply(constants(inputs), false);
      }
      copy.setWeights(layer.getWeights());
      try (Scope s = b.scope(false)) {
        float[] out2 = copy.apply(constants(inputs), false).toFloatArray();
        assertArrayEquals(out1, out2, 1e-5f, layer + ": rebuilt layer computes differently");
      }
    }

    if (gradientCheck) {
      gradientCheck(b, factory.get(), inputs, r);
    }
  }

  private List<Tensor> constants(List<float[]> inputs) {
    List<Tensor> ts = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      ts.add(Backends.ops().constant(inputs.get(i), withBatch(batch, inputShapes.get(i))));
    }
    return ts;
  }

  private void gradientCheck(Backend b, Layer layer, List<float[]> inputs, SplittableRandom r) {
    boolean inputGrads = integerInputs <= 0;
    List<Tensor> in = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      int[] shape = withBatch(batch, inputShapes.get(i));
      in.add(inputGrads ? b.variable(inputs.get(i), shape, true)
          : Backends.ops().constant(inputs.get(i), shape));
    }
    float[] projection;
    try (Scope s = b.scope(false)) {
      Tensor y = layer.apply(in, training);
      projection = new float[Math.toIntExact(Arrays.stream(y.shape()).asLongStream()
          .reduce(1, (a, c) -> a * c))];
    }
    for (int i = 0; i < projection.length; i++) {
      projection[i] = (float) (r.nextDouble() * 2 - 1);
    }
    List<Tensor> packed = new ArrayList<>();
    List<int[]> checked = new ArrayList<>();
    int offset = 0;
    if (inputGrads) {
      for (Tensor t : in) {
        int n = size(t.shape());
        packed.add(t);
        checked.add(new int[] {offset, offset + n});
        offset += n;
      }
    }
    List<Variable> trainable = layer.trainableWeights();
    for (Variable v : layer.weights()) {
      packed.add(v.value());
      if (trainable.contains(v)) {
        checked.add(new int[] {offset, offset + v.size()});
      }
      offset += v.size();
    }
    if (checked.isEmpty()) {
      return;
    }
    ParameterBlock block = b.pack(packed);
    float[] snapshot = new float[block.size()];
    block.parameters().get(0, snapshot);
    int[] outShape;
    try (Scope s = b.scope(true)) {
      block.zeroGradients();
      Tensor y = layer.apply(in, training);
      outShape = y.shape();
      Tensor loss = Backends.ops().sum(Backends.ops().multiply(y,
          Backends.ops().constant(projection, outShape)));
      b.backward(loss);
    }
    block.gradientsToHost();
    float[] analytic = new float[block.size()];
    block.gradients().get(0, analytic);
    restore(block, snapshot);
    int failures = 0;
    StringBuilder report = new StringBuilder();
    for (int[] range : checked) {
      int n = range[1] - range[0];
      int count = Math.min(n, maxCoordinates);
      for (int k = 0; k < count; k++) {
        int i = range[0] + (n <= maxCoordinates ? k : r.nextInt(n));
        float v = snapshot[i];
        snapshot[i] = (float) (v + eps);
        double plus = evaluate(b, block, snapshot, layer, in, projection, outShape);
        snapshot[i] = (float) (v - eps);
        double minus = evaluate(b, block, snapshot, layer, in, projection, outShape);
        snapshot[i] = v;
        double numeric = (plus - minus) / (2 * eps);
        double a = analytic[i];
        if (Math.abs(a - numeric) > atol + rtol * Math.max(Math.abs(a), Math.abs(numeric))) {
          failures++;
          report.append(String.format("%n  flat[%d]: analytic %.6g, numeric %.6g", i, a, numeric));
        }
      }
    }
    restore(block, snapshot);
    if (failures > 0) {
      fail(layer + ": " + failures + " gradient entries differ from finite differences:" + report);
    }
    assertTrue(true);
  }

  private double evaluate(Backend b, ParameterBlock block, float[] values, Layer layer,
      List<Tensor> in, float[] projection, int[] outShape) {
    restore(block, values);
    try (Scope s = b.scope(false)) {
      Tensor y = layer.apply(in, training);
      float[] out = y.toFloatArray();
      double loss = 0;
      for (int i = 0; i < out.length; i++) {
        loss += (double) out[i] * projection[i];
      }
      return loss;
    } finally {
      restore(block, values);
    }
  }

  private static void restore(ParameterBlock block, float[] values) {
    block.parameters().put(0, values);
    block.parametersToDevice();
  }

  private static int size(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }
}
