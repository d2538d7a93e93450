package io.sparkeras.api.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkeras.api.backend.Backend;
import io.sparkeras.api.backend.BackendsAccess;
import io.sparkeras.api.backend.Ops;
import io.sparkeras.api.backend.ParameterBlock;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.losses.Loss;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The shared cross-backend check, for a second backend's tests: a layer made by the same factory
 * on a reference backend and on the backend under test, with the reference's weights copied over,
 * gives the same output and the same gradients of {@code sum(output * random)} with respect to
 * its inputs and trainable weights (float tolerance).
 *
 * <pre>{@code
 * BackendParity.between("torch", "tensorflow")
 *     .check(() -> new Dense(3).activation("tanh"), 4);
 * BackendParity.between("torch", "tensorflow").integerInputs(10)
 *     .check(() -> new Embedding(10, 4), 5);
 * BackendParity.between("torch", "tensorflow")
 *     .checkLoss(() -> Losses.categoricalCrossentropy(true), oneHot, new int[] {4, 5}, -3, 3);
 * }</pre>
 *
 * <p>A loss is checked the same way: its sample-weighted batch value and the gradient of that
 * value with respect to the predictions.
 */
public final class BackendParity {
  private final Backend reference;
  private final Backend tested;
  private int batch = 2;
  private int integerInputs = -1;
  private boolean training;
  private float atol = 1e-4f;
  private long seed = 42;

  private BackendParity(Backend reference, Backend tested) {
    this.reference = reference;
    this.tested = tested;
  }

  public static BackendParity between(String reference, String tested) {
    return new BackendParity(BackendsAccess.load(reference), BackendsAccess.load(tested));
  }

  public BackendParity batch(int batch) {
    this.batch = batch;
    return this;
  }

  /** Inputs are integer indices in [0, n) (no input gradient is compared). */
  public BackendParity integerInputs(int n) {
    this.integerInputs = n;
    return this;
  }

  /** Calls the layers in training mode (layers without randomness only). */
  public BackendParity training(boolean training) {
    this.training = training;
    return this;
  }

  /** Absolute tolerance, also relative to the largest magnitude compared. */
  public BackendParity tolerance(float atol) {
    this.atol = atol;
    return this;
  }

  /** One output and its gradients on one backend. */
  private static final class Run {
    float[] output;
    int[] shape;
    float[] gradients;
    List<float[]> weights;
  }

  /** Checks a single-input layer with this input shape (batch excluded). */
  public void check(Supplier<? extends Layer> factory, int... inputShape) {
    checkAll(factory, List.of(inputShape));
  }

  /** Checks a layer with these input shapes (batch excluded). */
  public void checkAll(Supplier<? extends Layer> factory, List<int[]> inputShapes) {
    SplittableRandom r = new SplittableRandom(seed);
    List<float[]> inputs = new ArrayList<>();
    List<int[]> shapes = new ArrayList<>();
    for (int[] s : inputShapes) {
      int[] full = new int[s.length + 1];
      full[0] = batch;
      System.arraycopy(s, 0, full, 1, s.length);
      shapes.add(full);
      float[] x = new float[Arrays.stream(full).reduce(1, (a, c) -> a * c)];
      for (int i = 0; i < x.length; i++) {
        x[i] = integerInputs > 0 ? r.nextInt(integerInputs) : (float) (r.nextDouble() * 2 - 1);
      }
      inputs.add(x);
    }
    Run expected = run(reference, factory, inputs, shapes, null, r.split());
    Run actual = run(tested, factory, inputs, shapes, expected.weights, null);
    String what = factory.get() + " on " + tested.name() + " vs " + reference.name();
    assertArrayEquals(expected.shape, actual.shape, what + ": output shape");
    assertClose(expected.output, actual.output, what + ": output");
    assertEquals(expected.gradients.length, actual.gradients.length, what + ": gradient size");
    assertClose(expected.gradients, actual.gradients, what + ": gradients");
  }

  /**
   * Checks a loss: {@code compute(yTrue, yPred, sampleWeight)} and its gradient with respect to
   * {@code yPred}, on both backends, for predictions drawn uniformly in {@code [lo, hi)} with
   * shape {@code predShape} (batch first) and one random weight in [0.5, 1.5) per sample.
   */
  public void checkLoss(Supplier<? extends Loss> factory, float[] yTrue, int[] trueShape,
      int[] predShape, float lo, float hi) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] yPred = new float[Arrays.stream(predShape).reduce(1, (a, c) -> a * c)];
    for (int i = 0; i < yPred.length; i++) {
      yPred[i] = (float) (lo + (hi - lo) * r.nextDouble());
    }
    float[] weights = new float[predShape[0]];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (float) (0.5 + r.nextDouble());
    }
    float[][] expected = lossRun(reference, factory, yTrue, trueShape, yPred, predShape, weights);
    float[][] actual = lossRun(tested, factory, yTrue, trueShape, yPred, predShape, weights);
    String what = factory.get().getConfig() + " on " + tested.name() + " vs " + reference.name();
    assertClose(expected[0], actual[0], what + ": value");
    assertClose(expected[1], actual[1], what + ": gradient");
  }

  /** {value, gradient with respect to the predictions} of a weighted loss on one backend. */
  private static float[][] lossRun(Backend b, Supplier<? extends Loss> factory, float[] yTrue,
      int[] trueShape, float[] yPred, int[] predShape, float[] weights) {
    Backend previous = BackendsAccess.swap(b);
    try {
      Ops o = b.ops();
      Tensor pred = b.variable(yPred, predShape, true);
      ParameterBlock block = b.pack(List.of(pred));
      float[][] run = new float[2][];
      try (Scope s = b.scope(true)) {
        block.zeroGradients();
        Tensor loss = factory.get().compute(o.constant(yTrue, trueShape), pred,
            o.constant(weights, new int[] {weights.length}));
        run[0] = loss.toFloatArray();
        b.backward(loss);
      }
      block.gradientsToHost();
      run[1] = new float[block.size()];
      block.gradients().get(0, run[1]);
      return run;
    } finally {
      BackendsAccess.swap(previous);
    }
  }

  private void assertClose(float[] expected, float[] actual, String what) {
    float scale = 1;
    for (float v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    assertArrayEquals(expected, actual, atol * scale, what);
  }

  private Run run(Backend b, Supplier<? extends Layer> factory, List<float[]> inputs,
      List<int[]> shapes, List<float[]> weights, SplittableRandom projectionRandom) {
    Backend previous = BackendsAccess.swap(b);
    try {
      Ops o = b.ops();
      Layer layer = factory.get();
      boolean inputGrads = integerInputs <= 0;
      List<Tensor> in = new ArrayList<>();
      for (int i = 0; i < inputs.size(); i++) {
        in.add(inputGrads ? b.variable(inputs.get(i), shapes.get(i), true)
            : o.constant(inputs.get(i), shapes.get(i)));
      }
      try (Scope s = b.scope(false)) {
        layer.apply(in, training);
      }
      if (weights != null) {
        layer.setWeights(weights);
      }
      Run run = new Run();
      run.weights = layer.getWeights();
      List<Tensor> packed = new ArrayList<>(inputGrads ? in : List.of());
      for (Variable v : layer.weights()) {
        packed.add(v.value());
      }
      ParameterBlock block = b.pack(packed);
      try (Scope s = b.scope(true)) {
        block.zeroGradients();
        Tensor y = layer.apply(in, training);
        run.shape = y.shape();
        run.output = y.toFloatArray();
        float[] projection = projection(run.output.length, projectionRandom);
        b.backward(o.sum(o.multiply(y, o.constant(projection, run.shape))));
      }
      block.gradientsToHost();
      run.gradients = new float[block.size()];
      block.gradients().get(0, run.gradients);
      return run;
    } finally {
      BackendsAccess.swap(previous);
    }
  }

  private float[] lastProjection;

  /** The same random projection on both backends (drawn on the first). */
  private float[] projection(int n, SplittableRandom r) {
    if (r != null) {
      lastProjection = new float[n];
      for (int i = 0; i < n; i++) {
        lastProjection[i] = (float) (r.nextDouble() * 2 - 1);
      }
    }
    return lastProjection;
  }
}
