package io.sparkeras.backend.tensorflow;

import static io.sparkeras.backend.tensorflow.TensorFlowTrainingTest.on;
import static io.sparkeras.backend.tensorflow.TensorFlowTrainingTest.threeClasses;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.callbacks.History;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.losses.Loss;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.metrics.Metric;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.optimizers.Adagrad;
import io.sparkeras.api.optimizers.Adam;
import io.sparkeras.api.optimizers.AdamW;
import io.sparkeras.api.optimizers.Optimizer;
import io.sparkeras.api.optimizers.RMSprop;
import io.sparkeras.api.optimizers.SGD;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every optimizer and every metric registered gives the same result on the tensorflow backend as
 * on torch: a small model fitted two epochs from the same weights on the same batches ends with
 * the same weights and the same per-epoch loss and metric values. Optimizers and metrics run on
 * the host, in Java, over the flat gradient and prediction buffers (the same code on every
 * backend, and the parameter server's), so what this compares is everything a backend feeds them:
 * gradients through each optimizer's rule, with clipping and weight decay, and predictions into
 * each metric.
 */
class OptimizerMetricParityTest {
  private static final FitOptions TWO_EPOCHS =
      FitOptions.epochs(2).batchSize(40).shuffle(false).verbose(0);

  /** One of each registered optimizer, with the options that change its rule. */
  static Map<String, Supplier<Optimizer>> optimizers() {
    Map<String, Supplier<Optimizer>> m = new LinkedHashMap<>();
    m.put("SGD", () -> new SGD(0.05).momentum(0.9).nesterov(true).clipnorm(1.0));
    m.put("Adam", () -> new Adam(0.01).clipvalue(0.5));
    m.put("AdamW", () -> new AdamW(0.01).globalClipnorm(1.0));
    m.put("RMSprop", () -> new RMSprop(0.01).momentum(0.5));
    m.put("Adagrad", () -> new Adagrad(0.1));
    return m;
  }

  /** Both backends' fits: {weights..., then the history's values in key order}. */
  private static void assertSameFit(String what, Supplier<Sequential> model, NDArray x, NDArray y,
      Supplier<Optimizer> optimizer, Loss loss, Supplier<List<Metric>> metrics) {
    List<float[]> start = on("torch", () -> {
      Sparkeras.setRandomSeed(21);
      return model.get().getWeights();
    });
    Map<String, List<Double>> torchHistory = new LinkedHashMap<>();
    Map<String, List<Double>> tfHistory = new LinkedHashMap<>();
    List<float[]> expected = on("torch",
        () -> fit(model.get(), start, x, y, optimizer.get(), loss, metrics.get(), torchHistory));
    List<float[]> actual = on("tensorflow",
        () -> fit(model.get(), start, x, y, optimizer.get(), loss, metrics.get(), tfHistory));
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), 2e-4f, what + ": weight " + i);
    }
    assertEquals(torchHistory.keySet(), tfHistory.keySet(), what + ": history keys");
    for (String k : torchHistory.keySet()) {
      List<Double> e = torchHistory.get(k);
      List<Double> a = tfHistory.get(k);
      for (int i = 0; i < e.size(); i++) {
        assertEquals(e.get(i), a.get(i), 1e-4 * Math.max(1, Math.abs(e.get(i))),
            what + ": " + k + " at epoch " + (i + 1));
      }
    }
  }

  private static List<float[]> fit(Sequential m, List<float[]> start, NDArray x, NDArray y,
      Optimizer optimizer, Loss loss, List<Metric> metrics, Map<String, List<Double>> history) {
    m.setWeights(start);
    m.compile(optimizer, List.of(loss), metrics);
    History h = m.fit(x, y, TWO_EPOCHS);
    history.putAll(h.history());
    return m.getWeights();
  }

  private static Sequential classifier() {
    return new Sequential(Input.of(5), new Dense(8).activation("tanh"),
        new Dense(3).activation("softmax"));
  }

  @Test
  void everyOptimizerMatchesTorch() {
    assertEquals(new TreeSet<>(Optimizer.REGISTRY.names()), new TreeSet<>(optimizers().keySet()));
    NDArray[] d = threeClasses(120, 5, 4);
    for (Map.Entry<String, Supplier<Optimizer>> e : optimizers().entrySet()) {
      assertSameFit(e.getKey(), OptimizerMetricParityTest::classifier, d[0], d[1], e.getValue(),
          Losses.sparseCategoricalCrossentropy(), () -> List.of(Metrics.accuracy()));
    }
  }

  @Test
  void everyMetricMatchesTorch() {
    List<String> covered = new ArrayList<>();
    NDArray[] d = threeClasses(120, 5, 5);
    // three classes, integer labels
    assertSameFit("sparse", OptimizerMetricParityTest::classifier, d[0], d[1], Adam::new,
        Losses.sparseCategoricalCrossentropy(), () -> List.of(Metrics.get("accuracy"),
            Metrics.get("sparse_categorical_accuracy")));
    covered.addAll(List.of("Accuracy", "SparseCategoricalAccuracy"));
    // three classes, one-hot labels; regression metrics on the probabilities
    float[] labels = d[1].toArray();
    float[] oneHot = new float[120 * 3];
    for (int i = 0; i < 120; i++) {
      oneHot[i * 3 + (int) labels[i]] = 1;
    }
    assertSameFit("one-hot", OptimizerMetricParityTest::classifier, d[0],
        NDArray.of(oneHot, 120, 3), Adam::new, Losses.categoricalCrossentropy(),
        () -> List.of(Metrics.get("categorical_accuracy"), Metrics.meanSquaredError(),
            Metrics.meanAbsoluteError()));
    covered.addAll(List.of("CategoricalAccuracy", "MeanSquaredError", "MeanAbsoluteError"));
    // binary: class 0 against the rest
    float[] binary = new float[120];
    for (int i = 0; i < 120; i++) {
      binary[i] = labels[i] == 0 ? 1 : 0;
    }
    assertSameFit("binary", () -> new Sequential(Input.of(5), new Dense(4).activation("relu"),
        new Dense(1).activation("sigmoid")), d[0], NDArray.of(binary, 120, 1), Adam::new,
        Losses.binaryCrossentropy(), () -> List.of(Metrics.get("binary_accuracy"),
            Metrics.auc(), Metrics.precision(), Metrics.recall()));
    covered.addAll(List.of("BinaryAccuracy", "AUC", "Precision", "Recall"));
    TreeSet<String> registered = new TreeSet<>(Metric.REGISTRY.names());
    assertTrue(registered.containsAll(covered), covered + " vs " + registered);
    assertEquals(registered, new TreeSet<>(covered), "metrics without a parity case");
  }
}
