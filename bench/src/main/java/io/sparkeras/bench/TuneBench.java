package io.sparkeras.bench;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.datasets.FashionMnist;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.optimizers.Adam;
import io.sparkeras.api.tuner.Execution;
import io.sparkeras.api.tuner.HyperModel;
import io.sparkeras.api.tuner.HyperParameters;
import io.sparkeras.api.tuner.Objective;
import io.sparkeras.api.tuner.Oracle;
import io.sparkeras.api.tuner.RandomSearchOracle;
import io.sparkeras.api.tuner.Sampling;
import io.sparkeras.api.tuner.SpaceExplorer;
import io.sparkeras.api.tuner.Trial;
import io.sparkeras.api.tuner.TrialStatus;
import io.sparkeras.driver.tuner.SearchOptions;
import io.sparkeras.driver.tuner.Tuner;
import io.sparkeras.worker.WorkerModels;
import io.sparkeras.worker.tuner.TrialOutcome;
import io.sparkeras.worker.tuner.TrialRunner;
import io.sparkeras.worker.tuner.TrialSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Trials per hour of a random search on Fashion-MNIST: one after another in one JVM (2 libtorch
 * threads), and as Spark tasks on local[1] and local[2] (1 and 2 task slots, 1 thread each);
 * the same seed gives the same trials everywhere, and every trial trains on the same rows (the
 * first half of {@code --rows}: the Spark runs split the table into 2 shards), validating on
 * {@code --val} test rows. Also the time until the best validation accuracy of each run.
 *
 * <pre>{@code
 * bin/sparkeras bench tune [--rows 6000] [--val 2000] [--trials 8] [--epochs 2]
 * }</pre>
 *
 * Ends with one JSON line.
 */
public final class TuneBench {
  private TuneBench() {}

  static final HyperModel MLP = hp -> {
    Model m = new Sequential(Input.of(784),
        new Dense(hp.choice("units", 32, 64, 128)).activation(hp.choice("act", "relu", "tanh")),
        new Dense(10).activation("softmax"));
    m.compile(new Adam(hp.floatRange("lr", 1e-4, 1e-2, Sampling.LOG)),
        Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
    return m;
  };

  /** One run: trials/hour and the time until its best validation accuracy. */
  record Run(String name, int trials, double seconds, double best, double secondsToBest) {
    double perHour() {
      return trials * 3600 / seconds;
    }
  }

  public static void main(String[] args) throws Exception {
    int rows = 6000;
    int val = 2000;
    int trials = 8;
    int epochs = 2;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rows": rows = Integer.parseInt(args[++i]); break;
        case "--val": val = Integer.parseInt(args[++i]); break;
        case "--trials": trials = Integer.parseInt(args[++i]); break;
        case "--epochs": epochs = Integer.parseInt(args[++i]); break;
        default:
          System.err.println("usage: bin/sparkeras bench tune [--rows N] [--val N] [--trials T] "
              + "[--epochs E]");
          System.exit(2);
      }
    }
    FashionMnist.Data d = FashionMnist.load();
    NDArray x = FashionMnist.flatten(d.xTrain()).rows(0, rows);
    NDArray y = d.yTrain().rows(0, rows);
    NDArray vx = FashionMnist.flatten(d.xTest()).rows(0, val);
    NDArray vy = d.yTest().rows(0, val);
    double load = loadAverage();

    Run seq = sequential(x.rows(0, rows / 2), y.rows(0, rows / 2), vx, vy, trials, epochs);
    spark(2, x, y, vx, vy, 2, 1); // warm-up: Spark's and the JIT's first-use costs
    Run one = spark(1, x, y, vx, vy, trials, epochs);
    Run two = spark(2, x, y, vx, vy, trials, epochs);
    System.out.printf(Locale.ROOT, "random search, %d trials of %d epochs, MLP 784-{32,64,128}-10,"
        + " %d training rows per trial, %d validation rows; load average at start %.2f%n",
        trials, epochs, rows / 2, val, load);
    for (Run r : List.of(seq, one, two)) {
      System.out.printf(Locale.ROOT, "%-34s %6.0f trials/hour  (%5.1f s)  best val_accuracy "
          + "%.4f after %5.1f s%n", r.name, r.perHour(), r.seconds, r.best, r.secondsToBest);
    }
    System.out.printf(Locale.ROOT, "parallel efficiency 2 slots vs 1: %.2f; 2 slots vs one JVM: "
        + "%.2fx%n", two.perHour() / (2 * one.perHour()), two.perHour() / seq.perHour());
    System.out.printf(Locale.ROOT, "{\"sequential_per_hour\": %.0f, \"spark_1_per_hour\": %.0f, "
        + "\"spark_2_per_hour\": %.0f, \"efficiency_2_vs_1\": %.3f, \"best_seconds\": [%.1f, %.1f,"
        + " %.1f], \"load_average\": %.2f}%n", seq.perHour(), one.perHour(), two.perHour(),
        two.perHour() / (2 * one.perHour()), seq.secondsToBest, one.secondsToBest,
        two.secondsToBest, load);
  }

  private static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (Exception e) {
      return Double.NaN;
    }
  }

  /** The oracle's trials one after another in this JVM, 2 threads, no Spark. */
  static Run sequential(NDArray x, NDArray y, NDArray vx, NDArray vy, int trials, int epochs) {
    Sparkeras.backend().setThreads(2);
    Oracle oracle = new RandomSearchOracle(Objective.max("val_accuracy")).maxTrials(trials)
        .seed(1);
    SpaceExplorer.populate(MLP::build, oracle);
    long start = System.nanoTime();
    double best = Double.NaN;
    double toBest = 0;
    while (true) {
      Trial t = oracle.createTrial("one-jvm");
      if (t.status() != TrialStatus.RUNNING) {
        break;
      }
      HyperParameters hp = t.hyperparameters().copy();
      TrialSpec spec = new TrialSpec(t.id(), List.of(WorkerModels.toBytes(MLP.build(hp))))
          .epochs(0, epochs).batchSize(64).objective(oracle.objective());
      TrialOutcome out = TrialRunner.run(spec, x, y, vx, vy);
      List<Execution> ex = new ArrayList<>(out.executions());
      Trial done = oracle.endTrial(t.id(), ex);
      if (Double.isNaN(best) || done.score() > best) {
        best = done.score();
        toBest = (System.nanoTime() - start) / 1e9;
      }
    }
    return new Run("one JVM, trials one after another", trials,
        (System.nanoTime() - start) / 1e9, best, toBest);
  }

  /** The same search as Spark tasks on local[slots], 2 shards, one thread per task. */
  static Run spark(int slots, NDArray x, NDArray y, NDArray vx, NDArray vy, int trials,
      int epochs) throws Exception {
    Sparkeras.backend().setThreads(1);
    SparkSession spark = SparkSession.builder().master("local[" + slots + "]")
        .appName("TuneBench").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2").getOrCreate();
    Path dir = Files.createTempDirectory("tune-bench-");
    try {
      StructType schema = StructType.fromDDL("features array<float>, label int");
      Dataset<Row> train = spark.createDataFrame(rowsOf(x, y), schema);
      Dataset<Row> validation = spark.createDataFrame(rowsOf(vx, vy), schema);
      Tuner tuner = Tuner.randomSearch(MLP, Objective.max("val_accuracy")).maxTrials(trials)
          .seed(1).directory(dir.toUri().toString());
      tuner.search(spark, train, validation, "features", "label", SearchOptions
          .parallelTrials(slots).shards(2).withEpochs(epochs).batchSize(64).progress(null));
      // from the first trial's start to the last one's end: the table's caching and the
      // validation table's collection (once per search) are left out, as in the one-JVM run
      long t0 = Long.MAX_VALUE;
      long t1 = 0;
      for (Trial t : tuner.oracle().trials()) {
        t0 = Math.min(t0, t.startedMs());
        t1 = Math.max(t1, t.endedMs());
      }
      Trial best = tuner.bestTrials(1).get(0);
      return new Run("Spark local[" + slots + "], " + slots + " trial(s) at once", trials,
          (t1 - t0) / 1000.0, best.score(), (best.endedMs() - t0) / 1000.0);
    } finally {
      spark.stop();
    }
  }

  private static List<Row> rowsOf(NDArray x, NDArray y) {
    int n = x.length();
    float[] xs = x.toArray();
    float[] ys = y.toArray();
    List<Row> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[] px = new float[784];
      System.arraycopy(xs, i * 784, px, 0, 784);
      out.add(RowFactory.create(px, (int) ys[i]));
    }
    return out;
  }
}
