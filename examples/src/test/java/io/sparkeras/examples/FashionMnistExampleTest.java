package io.sparkeras.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.datasets.FashionMnist;
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
 * A short real training run of the example's MLP on Fashion-MNIST (Debian's package, installed
 * by bin/setup / bin/test) learns. The README's accuracy bars (MLP 0.88 after 10 epochs, CNN
 * 0.91 after 8) are checked by {@code bin/sparkeras bench accuracy}, not here: they take
 * minutes.
 */
class FashionMnistExampleTest {
  static FashionMnist.Data data;

  @BeforeAll
  static void load() throws Exception {
    data = FashionMnist.load();
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
