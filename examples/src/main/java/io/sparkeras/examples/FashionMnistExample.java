package io.sparkeras.examples;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.datasets.FashionMnist;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.convolutional.Conv2D;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.layers.pooling.MaxPooling2D;
import io.sparkeras.api.layers.reshaping.Flatten;
import io.sparkeras.api.layers.regularization.Dropout;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.optimizers.Adam;
import java.util.Locale;
import java.util.Map;

/**
 * Trains a model on Fashion-MNIST on this machine and prints its test accuracy: the README's
 * first command ({@code bin/sparkeras example fashion-mnist}).
 *
 * <pre>{@code
 * bin/sparkeras example fashion-mnist --model mlp --epochs 5 --batch-size 128
 * }</pre>
 */
public final class FashionMnistExample {
  private FashionMnistExample() {}

  public static void main(String[] args) throws Exception {
    String kind = "mlp";
    int epochs = 5;
    int batch = 128;
    long seed = 42;
    String save = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--model":
          kind = args[++i];
          break;
        case "--epochs":
          epochs = Integer.parseInt(args[++i]);
          break;
        case "--batch-size":
          batch = Integer.parseInt(args[++i]);
          break;
        case "--seed":
          seed = Long.parseLong(args[++i]);
          break;
        case "--save":
          save = args[++i];
          break;
        case "-h":
        case "--help":
          System.out.println("usage: bin/sparkeras example fashion-mnist [--model mlp|cnn] "
              + "[--epochs N] [--batch-size B] [--seed S] [--save PATH]");
          return;
        default:
          System.err.println("unknown option '" + args[i] + "'; try --help");
          System.exit(2);
      }
    }
    Sparkeras.setRandomSeed(seed);
    FashionMnist.Data data = FashionMnist.load();
    Model model = Models.build(kind);
    model.compile(new Adam(1e-3), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
    model.summary();
    boolean flat = model.inputShapes().get(0).length == 1;
    NDArray xTrain = flat ? FashionMnist.flatten(data.xTrain()) : data.xTrain();
    NDArray xTest = flat ? FashionMnist.flatten(data.xTest()) : data.xTest();
    long t0 = System.nanoTime();
    model.fit(xTrain, data.yTrain(), FitOptions.epochs(epochs).batchSize(batch)
        .validationSplit(0.1));
    double seconds = (System.nanoTime() - t0) / 1e9;
    Map<String, Double> test = model.evaluate(xTest, data.yTest());
    if (save != null) {
      model.save(save);
      System.out.println("saved to " + save);
    }
    System.out.printf(Locale.ROOT, "test accuracy: %.4f  test loss: %.4f  (%s, %d epochs, %.1f s "
        + "training, %s)%n", test.get("accuracy"), test.get("loss"), kind, epochs, seconds,
        Sparkeras.backend().device());
  }

  /** The example networks. */
  public static final class Models {
    private Models() {}

    /** "mlp": 784-512-256-10 ReLU; "cnn": the README's small convolutional network. */
    public static Model build(String kind) {
      switch (kind) {
        case "mlp":
          return new Sequential(Input.of(784),
              new Dense(512).activation("relu"),
              new Dense(256).activation("relu"),
              new Dense(10).activation("softmax"));
        case "cnn":
          return cnn();
        default:
          throw new IllegalArgumentException("--model: expected mlp or cnn, found '" + kind + "'");
      }
    }

    private static Model cnn() {
      return new Sequential(Input.of(28, 28, 1),
          new Conv2D(32, 3).activation("relu"),
          new MaxPooling2D(2),
          new Flatten(),
          new Dense(128).activation("relu"),
          new Dropout(0.2),
          new Dense(10).activation("softmax"));
    }
  }
}
