package io.sparkeras.bench;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.datasets.FashionMnist;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.optimizers.Adam;
import io.sparkeras.examples.FashionMnistExample;
import java.util.Locale;
import java.util.Map;

/**
 * Test accuracy of the README's models after full Fashion-MNIST runs, against the bars the
 * README promises (MLP 784-512-256-10: 0.88 after 10 epochs; the small CNN: 0.91 after 8), one
 * JVM, seed 42, Adam 1e-3, batch 128. These runs take minutes, so they live here and not in the
 * test suite.
 *
 * <pre>{@code
 * bin/sparkeras bench accuracy [--models mlp,cnn] [--mlp-epochs 10] [--cnn-epochs 8]
 * }</pre>
 *
 * Ends with one JSON line: {@code {"mlp": {"epochs": 10, "accuracy": .., "bar": 0.88,
 * "seconds": ..}, ...}}.
 */
public final class AccuracyBench {
  private AccuracyBench() {}

  public static void main(String[] args) throws Exception {
    String models = "mlp,cnn";
    int mlpEpochs = 10;
    int cnnEpochs = 8;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--models" -> models = args[++i];
        case "--mlp-epochs" -> mlpEpochs = Integer.parseInt(args[++i]);
        case "--cnn-epochs" -> cnnEpochs = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("bench accuracy: unknown argument "
            + args[i] + "; expected --models, --mlp-epochs or --cnn-epochs");
      }
    }
    FashionMnist.Data d = FashionMnist.load();
    StringBuilder json = new StringBuilder("{");
    for (String kind : models.split(",")) {
      int epochs = kind.equals("cnn") ? cnnEpochs : mlpEpochs;
      double bar = kind.equals("cnn") ? 0.91 : 0.88;
      long t0 = System.nanoTime();
      double acc = trainAndTest(d, kind, epochs);
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT, "%s: test accuracy %.4f after %d epochs (bar %.2f: %s), "
          + "%.0f s%n", kind, acc, epochs, bar, acc >= bar ? "met" : "MISSED", seconds);
      json.append(json.length() > 1 ? "," : "").append(String.format(Locale.ROOT,
          "\"%s\":{\"epochs\":%d,\"accuracy\":%.4f,\"bar\":%.2f,\"seconds\":%.1f}", kind, epochs,
          acc, bar, seconds));
    }
    System.out.println(json.append("}"));
  }

  static double trainAndTest(FashionMnist.Data d, String kind, int epochs) {
    Sparkeras.setRandomSeed(42);
    Model m = FashionMnistExample.Models.build(kind);
    m.compile(new Adam(1e-3), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
    boolean flat = kind.equals("mlp");
    NDArray x = flat ? FashionMnist.flatten(d.xTrain()) : d.xTrain();
    NDArray xt = flat ? FashionMnist.flatten(d.xTest()) : d.xTest();
    m.fit(x, d.yTrain(), FitOptions.epochs(epochs).batchSize(128).verbose(2));
    Map<String, Double> r = m.evaluate(xt, d.yTest());
    return r.get("accuracy");
  }
}
