package io.sparkeras.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.optimizers.Adam;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several threads of one JVM in native code at once, the product's normal case (local mode,
 * executors with several cores): three threads fit / predict / evaluate models on the torch
 * backend, a fourth trains Spark MLlib's multilayer perceptron (matrix products through netlib's
 * native BLAS), a fifth scores a DataFrame on local[2] (both task slots in libtorch), all for a
 * bounded time; every result must equal the one computed alone, before the threads started.
 *
 * <p>It runs in a child JVM so that a native crash is a test failure naming the crash report
 * (under {@code target/crash-reports/}) rather than the end of the test run. With the JavaCPP
 * 1.5.14 libtorch over the 1.5.13 OpenBLAS and netlib free to open the system's BLAS, this
 * crashed in OpenBLAS on a machine with Debian's {@code libopenblas0-pthread} (docs/platform.md,
 * "The native stack").
 */
class NativeConcurrencyStressTest {
  private static final int ROWS = 512;
  private static final int FEATURES = 64;
  private static final int CLASSES = 3;

  @Test
  @Timeout(240)
  void threadsInTorchAndBlasAtOnceGiveTheSingleThreadedResults(@TempDir Path dir)
      throws Exception {
    try (ChildJvm child = ChildJvm.start(NativeConcurrencyStressTest.class, dir,
        "-Dsparkeras.threads=2", "-Dsparkeras.blasThreads=threads", "-Dstress.seconds=12")) {
      int code = child.waitFor(200);
      assertEquals(0, code, child.describe());
      child.output().lines().filter(l -> l.startsWith("stress:")).forEach(System.out::println);
    }
  }

  /** The child program: exits 0 when every concurrent result equals the reference. */
  public static void main(String[] args) throws Exception {
    long seconds = Long.getLong("stress.seconds", 12);
    long started = System.nanoTime();
    SparkSession spark = SparkSession.builder().master("local[2]").appName("native-stress")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    float[][] x = features(ROWS, 11);
    int[] y = labels(x);
    Model template = model();
    float[] initial = template.getFlatWeights();
    TorchResult reference = torchWork(initial, x, y);
    Dataset<Row> mllibData = mllibFrame(spark, x, y).cache();
    double[] mllibReference = mllib(mllibData);
    Dataset<Row> scoringData = SparkTestSupport.frame(spark, x, y).repartition(2).cache();
    Model scorer = model();
    scorer.setFlatWeights(reference.weights);
    float[] scoringReference = scored(spark, scorer, scoringData);

    System.out.println("stress: references computed after "
        + (System.nanoTime() - started) / 1_000_000 + " ms");
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicInteger torchRuns = new AtomicInteger();
    AtomicInteger mllibRuns = new AtomicInteger();
    AtomicInteger scoringRuns = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      threads.add(loop("torch-" + t, deadline, failures, () -> {
        TorchResult r = torchWork(initial, x, y);
        compare(reference.weights, r.weights, 0, "fit weights");
        compare(reference.predictions, r.predictions, 0, "predictions");
        if (!reference.scores.equals(r.scores)) {
          throw new AssertionError("evaluate: " + reference.scores + " alone, " + r.scores);
        }
        torchRuns.incrementAndGet();
      }));
    }
    threads.add(loop("mllib", deadline, failures, () -> {
      double[] w = mllib(mllibData);
      if (!Arrays.equals(mllibReference, w)) {
        throw new AssertionError("MLlib MLP weights differ from the run alone");
      }
      mllibRuns.incrementAndGet();
    }));
    threads.add(loop("scoring", deadline, failures, () -> {
      compare(scoringReference, scored(spark, scorer, scoringData), 1e-6, "local[2] scoring");
      scoringRuns.incrementAndGet();
    }));
    for (Thread t : threads) {
      t.join();
    }
    System.out.println("stress: threads joined after "
        + (System.nanoTime() - started) / 1_000_000 + " ms");
    spark.stop();
    System.out.println("stress: " + torchRuns + " torch fit/predict/evaluate runs, " + mllibRuns
        + " MLlib fits, " + scoringRuns + " local[2] scoring jobs in " + seconds + " s");
    if (!failures.isEmpty() || torchRuns.get() < 3 || mllibRuns.get() < 1
        || scoringRuns.get() < 1) {
      failures.forEach(f -> System.out.println("FAILED: " + f));
      System.exit(1);
    }
    System.exit(0);
  }

  private interface Work {
    void run() throws Exception;
  }

  private static Thread loop(String name, long deadline, ConcurrentLinkedQueue<String> failures,
      Work work) {
    Thread t = new Thread(() -> {
      try {
        do {
          work.run();
        } while (System.nanoTime() < deadline && failures.isEmpty());
      } catch (Throwable e) {
        failures.add(name + ": " + e);
      }
    }, name);
    t.start();
    return t;
  }

  private record TorchResult(float[] weights, float[] predictions, Map<String, Double> scores) {}

  /** 64 -> 128 (relu) -> 3 (softmax): products large enough to go through OpenBLAS. */
  private static Model model() {
    Model m = new Sequential(Input.of(FEATURES), new Dense(128).activation("relu"),
        new Dense(CLASSES).activation("softmax"));
    m.compile(new Adam(0.01), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
    return m;
  }

  private static TorchResult torchWork(float[] initial, float[][] x, int[] y) {
    Model m = model();
    m.setFlatWeights(initial);
    NDArray xs = NDArray.ofRows(x);
    NDArray ys = NDArray.ofLabels(y);
    m.fit(xs, ys, FitOptions.epochs(2).batchSize(64).shuffle(false).verbose(0));
    return new TorchResult(m.getFlatWeights(), m.predict(xs, 128).toArray(), m.evaluate(xs, ys));
  }

  private static double[] mllib(Dataset<Row> data) {
    MultilayerPerceptronClassificationModel m = new MultilayerPerceptronClassifier()
        .setLayers(new int[] {FEATURES, 32, CLASSES}).setMaxIter(4).setBlockSize(64).setSeed(3)
        .fit(data);
    return m.weights().toArray();
  }

  private static float[] scored(SparkSession spark, Model m, Dataset<Row> data) {
    List<Row> rows = SparkTrainer.of(spark, m).predict(data, "x").orderBy("id")
        .select("prediction").collectAsList();
    float[] out = new float[rows.size() * CLASSES];
    for (int i = 0; i < rows.size(); i++) {
      List<Float> p = rows.get(i).getList(0);
      for (int j = 0; j < CLASSES; j++) {
        out[i * CLASSES + j] = p.get(j);
      }
    }
    return out;
  }

  private static void compare(float[] alone, float[] together, double rel, String what) {
    SparkTestSupport.assertClose(alone, together, rel, what + " (alone vs under load)");
  }

  private static Dataset<Row> mllibFrame(SparkSession spark, float[][] x, int[] y) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      double[] d = new double[FEATURES];
      for (int j = 0; j < FEATURES; j++) {
        d[j] = x[i][j];
      }
      rows.add(RowFactory.create(Vectors.dense(d), (double) y[i]));
    }
    return spark.createDataFrame(rows, new StructType()
        .add("features", new VectorUDT(), false).add("label", DataTypes.DoubleType, false));
  }

  private static float[][] features(int n, long seed) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    float[][] x = new float[n][FEATURES];
    for (float[] row : x) {
      for (int j = 0; j < FEATURES; j++) {
        row[j] = (float) (r.nextDouble() * 2 - 1);
      }
    }
    return x;
  }

  private static int[] labels(float[][] x) {
    int[] y = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      float a = x[i][0] + x[i][1];
      float b = x[i][2] - x[i][0];
      float c = x[i][3] - x[i][1];
      y[i] = a >= b && a >= c ? 0 : b >= c ? 1 : 2;
    }
    return y;
  }
}
