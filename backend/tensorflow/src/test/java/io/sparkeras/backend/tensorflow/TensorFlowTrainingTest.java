package io.sparkeras.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.backend.Backend;
import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.BackendsAccess;
import io.sparkeras.api.callbacks.History;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.layers.normalization.BatchNormalization;
import io.sparkeras.api.layers.regularization.Dropout;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.optimizers.Adam;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Models trained on the tensorflow backend: an MLP learns (fit, evaluate, predict), and the same
 * model fitted from the same weights on the same batches ends with torch's weights.
 */
class TensorFlowTrainingTest {

  /** Three Gaussian blobs in {@code dims} dimensions, labels 0..2. */
  static NDArray[] threeClasses(int n, int dims, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n * dims];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextInt(3);
      for (int j = 0; j < dims; j++) {
        x[i * dims + j] = (float) (r.nextGaussian() * 0.5 + (j % 3 == y[i] ? 2 : 0));
      }
    }
    return new NDArray[] {NDArray.of(x, n, dims), NDArray.ofLabels(y)};
  }

  /** Runs {@code body} on {@code backend}, then restores the JVM's previous backend. */
  static <T> T on(String backend, Supplier<T> body) {
    Backend previous = BackendsAccess.swap(BackendsAccess.load(backend));
    try {
      return body.get();
    } finally {
      BackendsAccess.swap(previous);
    }
  }

  /** 6 -> hidden (relu) -> Dropout(rate) -> 3 (softmax), compiled with Adam. */
  private static Sequential compiledMlp(int hidden, double rate) {
    Sequential model = new Sequential(Input.of(6), new Dense(hidden).activation("relu"),
        new Dropout(rate), new Dense(3).activation("softmax"));
    model.compile(new Adam(0.01), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
    return model;
  }

  @Test
  void mlpLearnsOnTensorFlow() {
    on("tensorflow", () -> {
      Sparkeras.setRandomSeed(7);
      NDArray[] d = threeClasses(600, 6, 1);
      Sequential model = compiledMlp(16, 0.1);
      History h = model.fit(d[0], d[1], FitOptions.epochs(6).batchSize(32)
          .validationSplit(0.25).verbose(0));
      assertTrue(h.last("loss") < h.get("loss").get(0), "loss decreases: " + h.get("loss"));
      assertTrue(h.last("val_accuracy") > 0.9, "val accuracy " + h.history());
      Map<String, Double> e = model.evaluate(d[0], d[1]);
      assertTrue(e.get("accuracy") > 0.9, e.toString());
      NDArray p = model.predict(d[0]);
      assertArrayEquals(new int[] {600, 3}, p.shape());
      assertEquals(1f, p.get(0, 0) + p.get(0, 1) + p.get(0, 2), 1e-5f);
      return null;
    });
  }

  /**
   * After the first epoch a step builds nothing: Dropout's seed, new every step, is fed rather
   * than traced (a seed in the key once made every step trace anew, each epoch slower).
   */
  @Test
  void laterEpochsTraceNothingNew() {
    on("tensorflow", () -> {
      Sparkeras.setRandomSeed(5);
      NDArray[] d = threeClasses(200, 6, 2);
      Sequential model = compiledMlp(8, 0.3);
      model.fit(d[0], d[1], FitOptions.epochs(1).batchSize(32).validationSplit(0.2).verbose(0));
      TensorFlowBackend b = (TensorFlowBackend) Backends.current();
      int traced = b.tracedOperations();
      model.fit(d[0], d[1], FitOptions.epochs(3).batchSize(32).validationSplit(0.2).verbose(0));
      assertEquals(traced, b.tracedOperations(), "operations traced after the first epoch");
      return null;
    });
  }

  @Test
  void fitFromTheSameWeightsEndsWithTorchsWeights() {
    NDArray[] d = threeClasses(200, 5, 3);
    Supplier<Sequential> model = () -> new Sequential(Input.of(5),
        new Dense(8).activation("tanh"), new BatchNormalization(),
        new Dense(3).activation("softmax"));
    FitOptions options = FitOptions.epochs(2).batchSize(50).shuffle(false).verbose(0);
    List<float[]> start = on("torch", () -> {
      Sparkeras.setRandomSeed(11);
      Sequential m = model.get();
      return m.getWeights();
    });
    List<float[]> expected = on("torch", () -> fitted(model.get(), start, d, options));
    List<float[]> actual = on("tensorflow", () -> fitted(model.get(), start, d, options));
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), 1e-4f, "weight " + i);
    }
  }

  private static List<float[]> fitted(Sequential m, List<float[]> start, NDArray[] d,
      FitOptions options) {
    m.setWeights(start);
    m.compile(new Adam(0.01), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
    m.fit(d[0], d[1], options);
    return m.getWeights();
  }
}
