package io.sparkeras.api.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.examples.FashionMnistExample;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.optimizers.Adam;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fashion-MNIST (Debian's package, installed by bin/setup / bin/test) loads like
 * {@code keras.datasets.fashion_mnist} and a short real training run learns. The README's
 * accuracy bars (MLP 0.88 after 10 epochs, CNN 0.91 after 8) are checked by
 * {@code bin/sparkeras bench accuracy}, not here: they take minutes.
 */
class FashionMnistTrainingTest {
  static FashionMnist.Data data;

  @BeforeAll
  static void load() throws Exception {
    data = FashionMnist.load();
  }

  @Test
  void loadsLikeKerasDatasets() {
    assertArrayEquals(new int[] {60000, 28, 28, 1}, data.xTrain().shape());
    assertArrayEquals(new int[] {10000}, data.yTest().shape());
    float max = 0;
    for (float v : data.xTrain().toArray()) {
      max = Math.max(max, v);
    }
    assertEquals(1f, max, 1e-6f);
    int[] counts = new int[10];
    for (float y : data.yTrain().toArray()) {
      counts[(int) y]++;
    }
    for (int c : counts) {
      assertEquals(6000, c, "balanced classes");
    }
  }

  static double trainAndTest(String kind, int epochs, int trainSamples) {
    Sparkeras.setRandomSeed(42);
    Model m = FashionMnistExample.Models.build(kind);
    m.compile(new Adam(1e-3), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
    boolean flat = kind.equals("mlp");
    NDArray x = flat ? FashionMnist.flatten(data.xTrain()) : data.xTrain();
    NDArray xt = flat ? FashionMnist.flatten(data.xTest()) : data.xTest();
    m.fit(x.rows(0, trainSamples), data.yTrain().rows(0, trainSamples),
        FitOptions.epochs(epochs).batchSize(128).verbose(2));
    Map<String, Double> r = m.evaluate(xt, data.yTest());
    System.out.println(kind + " " + epochs + " epochs: " + r);
    return r.get("accuracy");
  }

  /** Training on the real data works end to end; full-length accuracy runs: bench accuracy. */
  @Test
  @Timeout(120)
  void oneShortEpochLearns() {
    double acc = trainAndTest("mlp", 1, 10000);
    assertTrue(acc >= 0.75, "test accuracy " + acc);
  }
}
