package io.sparkeras.bench;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.backend.torch.TorchBackend;
import io.sparkeras.api.callbacks.Callback;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.datasets.FashionMnist;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.convolutional.Conv2D;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.layers.pooling.MaxPooling2D;
import io.sparkeras.api.layers.reshaping.Flatten;
import io.sparkeras.api.layers.reshaping.Reshape;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.optimizers.Adam;
import io.sparkeras.driver.SparkTrainer;
import io.sparkeras.ps.SyncMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One system of the peer benchmark ({@link PeersBench}) in its own JVM: Sparkeras sync, async or
 * averaging on a local[2] Spark session (2 workers x 1 libtorch thread), the engine alone
 * ({@code single-jvm}, {@code model.fit} with 2 threads) or Spark MLlib's
 * {@code MultilayerPerceptronClassifier}. Trains on Fashion-MNIST and prints, after every epoch,
 * one line {@code PEER_EPOCH {"epoch":..,"seconds":..,"epoch_seconds":..,"samples":..,
 * "test_accuracy":..}} ({@code seconds}: training time so far, evaluation excluded), then
 * {@code PEER_DONE {"vm_hwm_mb":..}}.
 *
 * <pre>{@code
 * bin/sparkeras class io.sparkeras.bench.PeerRun --system sparkeras-sync --workload mlp
 *     [--epochs 3] [--train-rows 60000] [--test-rows 10000] [--batch 128] [--mllib-seconds 300]
 * }</pre>
 *
 * {@code --batch} is per worker: the distributed systems take a global batch of 2 x batch, the
 * single JVM the same global batch.
 */
public final class PeerRun {
  /** Workers (Spark task slots, one core each) of the distributed systems. */
  static final int WORKERS = 2;
  /** Async staleness bound and averaging period used for the Sparkeras modes. */
  static final int STALENESS = 2;
  static final int AVERAGING_STEPS = 5;

  private PeerRun() {}

  /** Exact models of the benchmark: the MLP 784-512-256-10 and the small CNN. */
  static Model model(String workload) {
    Model m;
    if (workload.equals("mlp")) {
      m = new Sequential(Input.of(784), new Dense(512).activation("relu"),
          new Dense(256).activation("relu"), new Dense(10).activation("softmax"));
    } else if (workload.equals("cnn")) {
      m = new Sequential(Input.of(784), new Reshape(28, 28, 1),
          new Conv2D(32, 3).activation("relu"), new MaxPooling2D(2),
          new Conv2D(64, 3).activation("relu"), new MaxPooling2D(2), new Flatten(),
          new Dense(128).activation("relu"), new Dense(10).activation("softmax"));
    } else {
      throw new IllegalArgumentException("--workload: expected mlp or cnn, found " + workload);
    }
    m.compile(new Adam(1e-3), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
    return m;
  }

  /** Times epochs without the evaluation on the test set it runs after each of them. */
  static final class EpochReporter extends Callback {
    private final NDArray xTest;
    private final NDArray yTest;
    private final long samplesPerEpoch;
    private long trainNanos;
    private long epochStart;

    EpochReporter(NDArray xTest, NDArray yTest, long samplesPerEpoch) {
      this.xTest = xTest;
      this.yTest = yTest;
      this.samplesPerEpoch = samplesPerEpoch;
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
      epochStart = System.nanoTime();
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
      long took = System.nanoTime() - epochStart;
      trainNanos += took;
      double acc = getModel().evaluate(xTest, yTest).get("accuracy");
      epochLine(epoch + 1, trainNanos / 1e9, took / 1e9, samplesPerEpoch, acc);
    }
  }

  static void epochLine(int epoch, double seconds, double epochSeconds, long samples,
      double accuracy) {
    System.out.printf(Locale.ROOT, "PEER_EPOCH {\"epoch\":%d,\"seconds\":%.3f,\"epoch_seconds\""
        + ":%.3f,\"samples\":%d,\"test_accuracy\":%.4f}%n", epoch, seconds, epochSeconds, samples,
        accuracy);
    System.out.flush();
  }

  /** Peak resident set of this JVM (VmHWM), in MB; negative where /proc is missing. */
  static double peakRssMb() {
    return PeersBench.vmHwmKb(ProcessHandle.current()) / 1024.0;
  }

  public static void main(String[] args) throws Exception {
    String system = null;
    String workload = "mlp";
    int epochs = 3;
    int trainRows = 60_000;
    int testRows = 10_000;
    int batch = 128;
    double mllibSeconds = 300;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--system": system = args[++i]; break;
        case "--workload": workload = args[++i]; break;
        case "--epochs": epochs = Integer.parseInt(args[++i]); break;
        case "--train-rows": trainRows = Integer.parseInt(args[++i]); break;
        case "--test-rows": testRows = Integer.parseInt(args[++i]); break;
        case "--batch": batch = Integer.parseInt(args[++i]); break;
        case "--mllib-seconds": mllibSeconds = Double.parseDouble(args[++i]); break;
        default:
          System.err.println("PeerRun: unknown argument " + args[i]);
          System.exit(2);
      }
    }
    if (system == null) {
      System.err.println("PeerRun: --system is required");
      System.exit(2);
    }
    Sparkeras.setRandomSeed(1);
    FashionMnist.Data d = FashionMnist.load();
    NDArray xTrain = FashionMnist.flatten(d.xTrain()).rows(0, trainRows);
    NDArray yTrain = d.yTrain().rows(0, trainRows);
    NDArray xTest = FashionMnist.flatten(d.xTest()).rows(0, testRows);
    NDArray yTest = d.yTest().rows(0, testRows);
    switch (system) {
      case "single-jvm": singleJvm(workload, epochs, WORKERS * batch, xTrain, yTrain, xTest, yTest);
        break;
      case "sparkeras-sync": case "sparkeras-async": case "sparkeras-averaging":
        sparkeras(system, workload, epochs, WORKERS * batch, xTrain, yTrain, xTest, yTest);
        break;
      case "mllib-mlp": mllib(workload, batch, mllibSeconds, xTrain, yTrain, xTest, yTest);
        break;
      default:
        System.err.println("PeerRun: unknown system " + system);
        System.exit(2);
    }
    System.out.printf(Locale.ROOT, "PEER_DONE {\"vm_hwm_mb\":%.1f}%n", peakRssMb());
    System.out.flush();
    // after a distributed fit a non-daemon thread outlives spark.stop(): end the JVM explicitly
    System.exit(0);
  }

  private static void singleJvm(String workload, int epochs, int batch, NDArray x, NDArray y,
      NDArray xTest, NDArray yTest) {
    // The upper bound is the engine's fastest setting for the workload on these cores: BLAS on
    // all threads for the MLP (1.6x faster), on one for the CNN (more would oversubscribe inside
    // libtorch's parallel convolution loops). See TorchBackend.BLAS_THREADS_PROP_NAME.
    if (System.getProperty(TorchBackend.BLAS_THREADS_PROP_NAME) == null) {
      System.setProperty(TorchBackend.BLAS_THREADS_PROP_NAME, workload.equals("mlp") ? "threads"
          : "1");
    }
    Sparkeras.backend().setThreads(WORKERS);
    Model m = model(workload);
    m.fit(x, y, FitOptions.epochs(epochs).batchSize(batch).verbose(0)
        .callbacks(new EpochReporter(xTest, yTest, x.length())));
  }

  private static SparkSession spark() {
    return SparkSession.builder().master("local[" + WORKERS + "]").appName("PeerRun")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
  }

  private static void sparkeras(String system, String workload, int epochs, int batch, NDArray x,
      NDArray y, NDArray xTest, NDArray yTest) {
    SparkSession spark = spark();
    try {
      int n = x.length();
      int w = x.sampleSize();
      List<Row> rows = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        float[] px = new float[w];
        System.arraycopy(x.data(), x.offset() + i * w, px, 0, w);
        rows.add(RowFactory.create(px, (int) y.get(i, 0)));
      }
      StructType schema = StructType.fromDDL("pixels array<float>, label int");
      Dataset<Row> df = spark.createDataFrame(rows, schema).repartition(WORKERS).cache();
      df.count();
      rows.clear();
      Sparkeras.backend().setThreads(1); // each of the 2 tasks: one intra-op thread
      SyncMode mode = system.equals("sparkeras-sync") ? SyncMode.SYNC
          : system.equals("sparkeras-async") ? SyncMode.async(STALENESS)
          : SyncMode.averaging(AVERAGING_STEPS);
      SparkTrainer trainer = SparkTrainer.of(spark, model(workload)).workers(WORKERS).mode(mode);
      trainer.fit(df, "pixels", "label", FitOptions.epochs(epochs).batchSize(batch).verbose(0)
          .callbacks(new EpochReporter(xTest, yTest, n)));
      Map<String, Double> stats = trainer.lastEpochStats();
      System.out.printf(Locale.ROOT, "PEER_PROFILE {\"steps\":%.0f,\"compute_s\":%.3f,"
          + "\"push_s\":%.3f,\"pull_s\":%.3f}%n", stats.getOrDefault("steps", 0.0),
          stats.getOrDefault("compute_s", 0.0), stats.getOrDefault("push_s", 0.0),
          stats.getOrDefault("pull_s", 0.0));
    } finally {
      spark.stop();
    }
  }

  /**
   * MLlib's MLP (sigmoid hidden layers, softmax output, L-BFGS) with the same layer sizes, trained
   * in rounds of L-BFGS iterations that continue from the previous round's weights, until 88%
   * test accuracy or {@code maxSeconds} of training. An "epoch" line per round; its samples count
   * one pass over the rows per iteration.
   */
  private static void mllib(String workload, int batch, double maxSeconds, NDArray x, NDArray y,
      NDArray xTest, NDArray yTest) {
    if (!workload.equals("mlp")) {
      throw new IllegalArgumentException("mllib-mlp: MLlib has no convolution layers");
    }
    SparkSession spark = spark();
    try {
      StructType schema = new StructType().add("features", new VectorUDT())
          .add("label", DataTypes.DoubleType);
      Dataset<Row> train = spark.createDataFrame(vectorRows(x, y), schema).repartition(WORKERS)
          .cache();
      Dataset<Row> test = spark.createDataFrame(vectorRows(xTest, yTest), schema).cache();
      long n = train.count();
      test.count();
      int[] iterationsPerRound = {5, 5, 10, 10, 20, 20, 40, 40, 80, 80, 160, 160};
      Vector weights = null;
      double seconds = 0;
      for (int round = 0; round < iterationsPerRound.length && seconds < maxSeconds; round++) {
        int it = iterationsPerRound[round];
        MultilayerPerceptronClassifier mlp = new MultilayerPerceptronClassifier()
            .setLayers(new int[] {784, 512, 256, 10}).setBlockSize(batch).setMaxIter(it)
            .setSeed(1L);
        if (weights != null) {
          mlp.setInitialWeights(weights);
        }
        long t0 = System.nanoTime();
        MultilayerPerceptronClassificationModel m = mlp.fit(train);
        double took = (System.nanoTime() - t0) / 1e9;
        seconds += took;
        weights = m.weights();
        long correct = m.transform(test).filter("prediction = label").count();
        double acc = correct / (double) xTest.length();
        epochLine(round + 1, seconds, took, n * it, acc);
        if (acc >= 0.88) {
          break;
        }
      }
    } finally {
      spark.stop();
    }
  }

  private static List<Row> vectorRows(NDArray x, NDArray y) {
    int w = x.sampleSize();
    List<Row> rows = new ArrayList<>(x.length());
    double[] v = new double[w];
    for (int i = 0; i < x.length(); i++) {
      for (int j = 0; j < w; j++) {
        v[j] = x.data()[x.offset() + i * w + j];
      }
      rows.add(RowFactory.create(Vectors.dense(v.clone()), (double) y.get(i, 0)));
    }
    return rows;
  }
}
