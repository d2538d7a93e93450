package io.sparkeras.api.trainers;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.data.Batch;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.models.CompileOptions;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.optimizers.SGD;
import io.sparkeras.api.testing.KerasReference;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Keras's sample_weight, class_weight, loss_weights, per-output losses and weighted_metrics,
 * against real Keras 3.10.0's evaluate on the same model, weights and data
 * ({@code src/test/keras3/make_weighted_evaluate.py}), and merged states against one pass.
 */
class WeightedTrainingTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode reference() throws IOException {
    try (InputStream in = WeightedTrainingTest.class.getResourceAsStream(
        "/keras3/layers/compile_weighted_evaluate.json")) {
      return JSON.readTree(in);
    }
  }

  private static NDArray array(JsonNode a) {
    int[] shape = new int[a.get("shape").size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = a.get("shape").get(i).asInt();
    }
    return NDArray.of(floats(a.get("values")), shape);
  }

  private static List<NDArray> arrays(JsonNode list) {
    List<NDArray> out = new ArrayList<>();
    list.forEach(a -> out.add(array(a)));
    return out;
  }

  private static float[] floats(JsonNode values) {
    float[] f = new float[values.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values.get(i).asDouble();
    }
    return f;
  }

  /** The reference model compiled as make_weighted_evaluate.py compiles it. */
  static Model twoHeads() {
    Model m = KerasReference.load("compile_weighted_evaluate").model();
    m.compile(new SGD(0.01), CompileOptions
        .losses(Map.of("cls", Losses.sparseCategoricalCrossentropy(), "reg", Losses.mse()))
        .lossWeights(Map.of("cls", 1.0, "reg", 0.5))
        .metrics(Map.of("cls", List.of(Metrics.accuracy()), "reg", List.of(Metrics.get("mae"))))
        .weightedMetrics(Map.of("cls", List.of(Metrics.accuracy()))));
    return m;
  }

  @Test
  void evaluateWithSampleWeightsMatchesKeras() throws IOException {
    JsonNode ref = reference();
    Model m = twoHeads();
    List<NDArray> x = arrays(ref.get("x"));
    List<NDArray> y = arrays(ref.get("y"));
    NDArray w = NDArray.of(floats(ref.get("sample_weight")), x.get(0).length());
    for (String batch : List.of("10", "4")) {
      Map<String, Double> ours = m.evaluate(x, y, w, Integer.parseInt(batch));
      assertLogs(ref.get("logs_by_batch_size").get(batch), ours, "batch " + batch);
    }
    assertLogs(ref.get("unweighted_logs"), m.evaluate(x, y, null, 10), "unweighted");
    // the compile settings travel with the saved model (the distributed workers load it)
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    m.save(bytes);
    Model loaded = Model.load(new java.io.ByteArrayInputStream(bytes.toByteArray()));
    assertArrayEquals(new double[] {1.0, 0.5}, loaded.trainer().getLossWeights());
    assertLogs(ref.get("logs_by_batch_size").get("4"), loaded.evaluate(x, y, w, 4), "loaded");
  }

  /**
   * A per-step output ([batch, time, classes]) with one weight per sample: each of the sample's
   * steps takes its weight, as Keras's Loss documents, against Keras's evaluate of the same
   * weights given per step (Keras 3.10 itself fails to broadcast one weight per sample there).
   * Per-step weights of their own (Keras's temporal sample weights) are refused with a message.
   */
  @Test
  void perStepOutputsWeighEveryStepBySampleWeight() throws IOException {
    JsonNode ref;
    try (InputStream in = WeightedTrainingTest.class.getResourceAsStream(
        "/keras3/layers/compile_weighted_sequence_evaluate.json")) {
      ref = JSON.readTree(in);
    }
    Model m = KerasReference.load("compile_weighted_sequence_evaluate").model();
    m.compile(new SGD(0.01), Losses.sparseCategoricalCrossentropy());
    List<NDArray> x = arrays(ref.get("x"));
    List<NDArray> y = arrays(ref.get("y"));
    NDArray w = NDArray.of(floats(ref.get("sample_weight")), 10);
    for (String batch : List.of("10", "4")) {
      assertLogs(ref.get("logs_by_batch_size").get(batch),
          m.evaluate(x, y, w, Integer.parseInt(batch)), "batch " + batch);
    }
    assertLogs(ref.get("unweighted_logs"), m.evaluate(x, y, null, 10), "unweighted");
    NDArray perStep = NDArray.of(floats(ref.get("per_step_sample_weight")), 10, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> m.evaluate(x, y, perStep, 10));
    assertTrue(e.getMessage().contains("one weight per sample"), e.getMessage());
  }

  private static void assertLogs(JsonNode keras, Map<String, Double> ours, String what) {
    List<String> keys = new ArrayList<>();
    keras.fieldNames().forEachRemaining(keys::add);
    assertEquals(keys.stream().sorted().toList(), ours.keySet().stream().sorted().toList(), what);
    for (String k : keys) {
      double expected = keras.get(k).asDouble();
      assertEquals(expected, ours.get(k), 1e-5 * Math.max(1, Math.abs(expected)), what + ": " + k);
    }
  }

  /** The states of two halves merge into the one-pass result, for every key. */
  @Test
  void mergedStatesOfPartsEqualOnePass() throws IOException {
    JsonNode ref = reference();
    Model m = twoHeads();
    List<NDArray> x = arrays(ref.get("x"));
    List<NDArray> y = arrays(ref.get("y"));
    NDArray w = NDArray.of(floats(ref.get("sample_weight")), x.get(0).length());
    Map<String, Double> whole = m.evaluate(x, y, w, 4);
    List<MetricStates> parts = new ArrayList<>();
    for (int[] range : new int[][] {{0, 3}, {3, 10}, {10, 10}}) {
      List<NDArray> px = InMemoryBatches.rows(x, range[0], range[1]);
      List<NDArray> py = InMemoryBatches.rows(y, range[0], range[1]);
      List<Batch> batches = range[0] == range[1] ? List.of()
          : List.of(new Batch(px, py, w.rows(range[0], range[1])));
      parts.add(m.trainer().evaluateStates(batches));
    }
    Map<String, Double> merged = m.trainer().mergeStates(parts);
    assertEquals(whole.keySet(), merged.keySet());
    for (String k : whole.keySet()) {
      assertEquals(whole.get(k), merged.get(k), 1e-6, k);
    }
  }

  static Model classifier() {
    Sparkeras.setRandomSeed(3);
    Model m = new Sequential(Input.of(4), new Dense(3).activation("softmax"));
    m.compile(new SGD(0.1), CompileOptions.loss(Losses.sparseCategoricalCrossentropy())
        .metrics(Metrics.accuracy()).weightedMetrics(Metrics.accuracy()));
    return m;
  }

  /** class_weight is sample_weight = the class's weight; not both; one output only. */
  @Test
  void classWeightsWeighSamplesByTheirClass() {
    SplittableRandom r = new SplittableRandom(5);
    int n = 24;
    float[] x = new float[n * 4];
    int[] labels = new int[n];
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 4; j++) {
        x[i * 4 + j] = (float) r.nextGaussian();
      }
      labels[i] = i % 3;
      w[i] = labels[i] == 2 ? 4f : labels[i] == 0 ? 0.5f : 1f;
    }
    Model byClass = classifier();
    Model bySample = classifier();
    Model plain = classifier();
    byClass.fit(NDArray.of(x, n, 4), NDArray.ofLabels(labels),
        options().classWeight(Map.of(2, 4.0, 0, 0.5)));
    bySample.fit(NDArray.of(x, n, 4), NDArray.ofLabels(labels),
        options().sampleWeight(NDArray.of(w, n)));
    plain.fit(NDArray.of(x, n, 4), NDArray.ofLabels(labels), options());
    assertArrayEquals(bySample.getFlatWeights(), byClass.getFlatWeights());
    assertFalse(java.util.Arrays.equals(plain.getFlatWeights(), byClass.getFlatWeights()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> byClass.fit(NDArray.of(x, n, 4), NDArray.ofLabels(labels),
            options().classWeight(Map.of(1, 2.0)).sampleWeight(NDArray.of(w, n))));
    assertTrue(e.getMessage().contains("not both"), e.getMessage());
    // one-hot targets: the class is the arg-max
    ClassWeights cw = ClassWeights.of(Map.of(1, 3.0));
    assertEquals(3f, cw.weightOf(new float[] {0, 1, 0}, 0, 3));
    assertEquals(1f, cw.weightOf(new float[] {0, 0, 1}, 0, 3));
    assertEquals(3f, cw.weightOf(new float[] {0.9f}, 0, 1));
  }

  private static FitOptions options() {
    return FitOptions.epochs(2).batchSize(8).shuffle(false).verbose(0);
  }

  /** A weighted metric weighs correct samples by their weights; the plain one does not. */
  @Test
  void weightedMetricsUseTheWeightsPlainOnesDoNot() {
    Model m = classifier();
    float[] x = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    NDArray xs = NDArray.of(x, 4, 4);
    float[] pred = m.predict(xs).data();
    int[] labels = new int[4];
    for (int i = 0; i < 4; i++) {
      int best = 0;
      for (int k = 1; k < 3; k++) {
        best = pred[i * 3 + k] > pred[i * 3 + best] ? k : best;
      }
      labels[i] = i < 2 ? best : (best + 1) % 3; // two right, two wrong
    }
    float[] w = {3, 1, 1, 1}; // the first right sample weighs 3: weighted accuracy 4/6
    Map<String, Double> logs = m.evaluate(List.of(xs), List.of(NDArray.ofLabels(labels)),
        NDArray.of(w, 4), 4);
    assertEquals(0.5, logs.get("accuracy"), 1e-9);
    assertEquals(4.0 / 6, logs.get("weighted_accuracy"), 1e-6);
  }
}
