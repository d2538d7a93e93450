package io.sparkeras.api.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.callbacks.History;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.layers.regularization.Dropout;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.optimizers.Adam;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SequentialTest {

  static Sequential mlp() {
    return new Sequential(Input.of(6), new Dense(16).activation("relu"), new Dropout(0.1),
        new Dense(3).activation("softmax"));
  }

  @Test
  void fitLearnsASeparableProblem() {
    Sparkeras.setRandomSeed(7);
    NDArray[] d = TestData.threeClasses(1200, 6, 1);
    Sequential model = mlp();
    model.compile(new Adam(0.01), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
    History h = model.fit(d[0], d[1], FitOptions.epochs(8).batchSize(32).validationSplit(0.25)
        .verbose(0));
    assertEquals(8, h.get("loss").size());
    assertTrue(h.last("loss") < h.get("loss").get(0), "loss decreases: " + h.get("loss"));
    assertTrue(h.last("val_accuracy") > 0.9, "val accuracy " + h.history());
    Map<String, Double> e = model.evaluate(d[0], d[1]);
    assertTrue(e.get("accuracy") > 0.9, e.toString());
    NDArray p = model.predict(d[0]);
    assertArrayEquals(new int[] {1200, 3}, p.shape());
    float sum = p.get(0, 0) + p.get(0, 1) + p.get(0, 2);
    assertEquals(1f, sum, 1e-5f, "softmax rows sum to one");
  }

  @Test
  void fitsAndEvaluatesFromABatchIterator() {
    Sparkeras.setRandomSeed(9);
    NDArray[] d = TestData.threeClasses(640, 6, 5);
    java.util.List<io.sparkeras.api.data.Batch> batches = new java.util.ArrayList<>();
    for (int i = 0; i < 640; i += 64) {
      batches.add(io.sparkeras.api.data.Batch.of(d[0].rows(i, i + 64), d[1].rows(i, i + 64)));
    }
    Sequential model = mlp();
    model.compile(new Adam(0.01), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
    History h = model.fit(batches, FitOptions.epochs(6).verbose(0));
    assertEquals(6, h.get("loss").size());
    assertEquals(60, model.getOptimizer().iterations(), "10 batches per epoch");
    assertTrue(model.evaluate(batches).get("accuracy") > 0.9);
    model.fit(batches, FitOptions.epochs(1).stepsPerEpoch(3).verbose(0));
    assertEquals(63, model.getOptimizer().iterations(), "steps_per_epoch caps the epoch");
  }

  @Test
  void deferredBuildTakesTheShapeFromTheData() {
    Sparkeras.setRandomSeed(3);
    NDArray[] d = TestData.threeClasses(64, 5, 2);
    Sequential model = new Sequential(new Dense(4).activation("relu"),
        new Dense(3).activation("softmax"));
    model.compile(new Adam(), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
    model.fit(d[0], d[1], FitOptions.epochs(1).verbose(0));
    assertArrayEquals(new int[] {5}, model.inputShapes().get(0));
    assertEquals(5 * 4 + 4 + 4 * 3 + 3, model.countParams());
  }

  @Test
  void sameSeedSameWeightsAndTraining() {
    NDArray[] d = TestData.threeClasses(256, 6, 3);
    float[][] runs = new float[2][];
    for (int k = 0; k < 2; k++) {
      Sparkeras.setRandomSeed(11);
      Sequential m = new Sequential(Input.of(6), new Dense(8).activation("tanh"),
          new Dense(3).activation("softmax"));
      m.compile(new Adam(0.01), Losses.sparseCategoricalCrossentropy());
      m.fit(d[0], d[1], FitOptions.epochs(2).batchSize(32).verbose(0));
      runs[k] = m.getFlatWeights();
    }
    assertArrayEquals(runs[0], runs[1], "seeded runs are bit-identical");
  }

  @Test
  void rowViewsOfLargerArraysAreValidByTheirOwnRows() {
    // a batch that views the first rows of a larger array (offset 0) must be checked on its
    // rows only: binary cross-entropy counts one target per output value
    NDArray x = NDArray.of(new float[10 * 6], 10, 6);
    float[] labels = {0, 1, 1, 0, 1, 0, 0, 1, 1, 0};
    NDArray y = NDArray.of(labels, 10, 1);
    Sequential m = new Sequential(Input.of(6), new Dense(1).activation("sigmoid"));
    m.compile("adam", "binary_crossentropy", "accuracy");
    History h = m.fit(java.util.List.of(io.sparkeras.api.data.Batch.of(x.rows(0, 4),
        y.rows(0, 4))), FitOptions.epochs(1).verbose(0));
    assertEquals(1, h.get("loss").size());
  }

  @Test
  void compilesByKerasNames() {
    Sequential model = mlp();
    model.compile("adam", "sparse_categorical_crossentropy", "accuracy");
    assertEquals("adam", model.getOptimizer().name());
    NDArray[] d = TestData.threeClasses(64, 6, 1);
    Map<String, Double> logs = model.evaluate(d[0], d[1]);
    assertTrue(logs.containsKey("accuracy") && logs.containsKey("loss"), logs.toString());
  }

  @Test
  void summaryListsLayersShapesAndCounts() {
    Sequential model = mlp();
    String s = model.summaryString();
    assertTrue(s.contains("(None, 16)") && s.contains("Dense") && s.contains("Dropout"), s);
    assertTrue(s.contains("Total params: 163 "), s);
  }

  @Test
  void flatWeightsFollowWeightOrder() {
    Sequential model = mlp();
    float[] flat = model.getFlatWeights();
    assertEquals(model.countParams(), flat.length);
    float[] kernel = model.weights().get(0).numpy();
    for (int i = 0; i < kernel.length; i++) {
      assertEquals(kernel[i], flat[i]);
    }
    flat[0] = 42f;
    model.setFlatWeights(flat);
    assertEquals(42f, model.weights().get(0).numpy()[0]);
  }

  @Test
  void fitBeforeCompileSaysWhatToDo() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> mlp().fit(TestData.threeClasses(8, 6, 1)[0], TestData.threeClasses(8, 6, 1)[1],
            FitOptions.epochs(1)));
    assertTrue(e.getMessage().contains("compile"), e.getMessage());
  }
}
