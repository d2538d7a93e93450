package io.sparkeras.backend.tensorflow;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.backend.Backend;
import io.sparkeras.api.backend.BackendsAccess;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.convolutional.Conv2D;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.layers.pooling.MaxPooling2D;
import io.sparkeras.api.layers.reshaping.Flatten;
import io.sparkeras.api.layers.rnn.LSTM;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.optimizers.Adam;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Training samples/s of both backends on the same models, data and threads, one JVM: the MLP
 * 784-512-256-10 at batch 128 and 1024, the README's CNN and an LSTM(64) over 28 steps of 28
 * features at batch 128 (random data: the speed does not depend on it).
 *
 * <pre>{@code
 * mvn -o -q -P tensorflow -pl backend/tensorflow -am test-compile
 * java -cp ... io.sparkeras.backend.tensorflow.BackendSpeed [threads] [repeats]
 * }</pre>
 */
public final class BackendSpeed {
  private BackendSpeed() {}

  public static void main(String[] args) {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    String[][] cases = {{"mlp", "128", "100"}, {"mlp", "1024", "20"}, {"cnn", "128", "30"},
        {"lstm", "128", "20"}};
    System.out.printf(Locale.ROOT, "%-10s %14s %14s%n", "case", "torch samp/s", "tf samp/s");
    for (String[] c : cases) {
      int batch = Integer.parseInt(c[1]);
      int steps = Integer.parseInt(c[2]);
      double[] torch = new double[repeats];
      double[] tf = new double[repeats];
      for (int r = 0; r < repeats; r++) {
        torch[r] = on("torch", threads, () -> speed(c[0], batch, steps));
        tf[r] = on("tensorflow", threads, () -> speed(c[0], batch, steps));
      }
      Arrays.sort(torch);
      Arrays.sort(tf);
      System.out.printf(Locale.ROOT, "%-10s %14.0f %14.0f   torch %s tf %s%n",
          c[0] + "_b" + batch, torch[repeats / 2], tf[repeats / 2], Arrays.toString(torch),
          Arrays.toString(tf));
    }
  }

  private static double on(String name, int threads, java.util.function.DoubleSupplier body) {
    Backend b = BackendsAccess.load(name);
    Backend previous = BackendsAccess.swap(b);
    try {
      b.setThreads(threads);
      return body.getAsDouble();
    } finally {
      BackendsAccess.swap(previous);
    }
  }

  static Model model(String kind) {
    switch (kind) {
      case "mlp":
        return new Sequential(Input.of(784), new Dense(512).activation("relu"),
            new Dense(256).activation("relu"), new Dense(10).activation("softmax"));
      case "cnn":
        return new Sequential(Input.of(28, 28, 1), new Conv2D(32, 3).activation("relu"),
            new MaxPooling2D(2), new Flatten(), new Dense(128).activation("relu"),
            new Dense(10).activation("softmax"));
      default:
        return new Sequential(Input.of(28, 28), new LSTM(64), new Dense(10)
            .activation("softmax"));
    }
  }

  static double speed(String kind, int batch, int steps) {
    Sparkeras.setRandomSeed(1);
    int per = 784;
    int n = batch * steps;
    SplittableRandom r = new SplittableRandom(5);
    float[] x = new float[n * per];
    int[] y = new int[n];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextDouble();
    }
    for (int i = 0; i < n; i++) {
      y[i] = r.nextInt(10);
    }
    NDArray xs = kind.equals("mlp") ? NDArray.of(x, n, 784)
        : kind.equals("cnn") ? NDArray.of(x, n, 28, 28, 1) : NDArray.of(x, n, 28, 28);
    NDArray ys = NDArray.ofLabels(y);
    Model m = model(kind);
    m.compile(new Adam(1e-3), Losses.sparseCategoricalCrossentropy());
    FitOptions o = FitOptions.epochs(1).batchSize(batch).shuffle(false).verbose(0);
    m.fit(xs.rows(0, batch * 3), ys.rows(0, batch * 3), o);
    long t0 = System.nanoTime();
    m.fit(xs, ys, o);
    return n / ((System.nanoTime() - t0) / 1e9);
  }
}
