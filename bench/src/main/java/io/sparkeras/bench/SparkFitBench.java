package io.sparkeras.bench;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.callbacks.Callback;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.optimizers.Adam;
import io.sparkeras.driver.SparkTrainer;
import io.sparkeras.driver.TrainerSettings;
import io.sparkeras.ps.SyncMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Distributed training throughput against local training on the same machine: samples/s of an
 * MLP 784-H-10 (Adam, global batch B) trained by 2 sync workers × 1 libtorch thread on a
 * local[2] session, against {@code model.fit} with 2 threads in one process; and the fixed cost
 * of one distributed epoch (one step on 4 rows).
 *
 * <pre>{@code
 * bin/sparkeras bench spark [--rows 20000] [--epochs 3] [--batch 128] [--hidden 256[,H2...]]
 *     [--transport ipc|udp] [--shuffle false|true] [--overlap-push true|false]
 *     [--ps-nodes host:port,... --ps-secret-file FILE]
 * }</pre>
 *
 * With {@code --ps-nodes} the distributed fits use parameter-server nodes started with
 * {@code bin/sparkeras ps --bind host:port --secret-file FILE} (docs/cluster.md) instead of the
 * server embedded in the driver; the workers then reach them over UDP.
 *
 * {@code --overlap-push false} makes the workers push only after backward (the default pushes
 * the last layers' gradients while backward runs, {@code SparkTrainer.overlapPush}).
 *
 * Both fits shuffle as {@code --shuffle} says (default false, the figures before shuffling
 * existed). Epoch times exclude the first epoch (JIT, model loading). Ends with one JSON line.
 */
public final class SparkFitBench {
  private SparkFitBench() {}

  /** Wall time of every epoch. */
  static final class EpochTimer extends Callback {
    final List<Double> seconds = new ArrayList<>();
    long start;

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
      start = System.nanoTime();
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
      seconds.add((System.nanoTime() - start) / 1e9);
    }

    double meanAfterFirst() {
      double s = 0;
      for (int i = 1; i < seconds.size(); i++) {
        s += seconds.get(i);
      }
      return s / Math.max(1, seconds.size() - 1);
    }
  }

  /** MLP 784-H1-H2...-10 ({@code hidden}: "256" or "512,256"). */
  static Model mlp(String hidden) {
    Sequential m = new Sequential(Input.of(784));
    for (String h : hidden.split(",")) {
      m.add(new Dense(Integer.parseInt(h.trim())).activation("relu"));
    }
    m.add(new Dense(10).activation("softmax"));
    m.compile(new Adam(1e-3), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
    return m;
  }

  private static boolean parseTransport(String v) {
    if (!v.equals("ipc") && !v.equals("udp")) {
      throw new IllegalArgumentException("--transport: expected ipc or udp, found '" + v + "'");
    }
    return v.equals("ipc");
  }

  /** The trainer on the nodes {@code psNodes} (when not null) instead of the embedded server. */
  private static SparkTrainer server(SparkTrainer t, String psNodes, String psSecretFile) {
    if (psNodes != null) {
      t.settings().set(TrainerSettings.PS_NODES, List.of(psNodes.split(",")))
          .set(TrainerSettings.PS_SECRET_FILE, psSecretFile);
    }
    return t;
  }

  public static void main(String[] args) {
    int rows = 20_000;
    int epochs = 3;
    int batch = 128;
    String hidden = "256";
    boolean ipc = true;
    boolean shuffle = false;
    boolean overlapPush = true;
    String psNodes = null;
    String psSecretFile = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rows": rows = Integer.parseInt(args[++i]); break;
        case "--epochs": epochs = Integer.parseInt(args[++i]); break;
        case "--batch": batch = Integer.parseInt(args[++i]); break;
        case "--hidden": hidden = args[++i]; break;
        case "--transport": ipc = parseTransport(args[++i]); break;
        case "--shuffle": shuffle = Boolean.parseBoolean(args[++i]); break;
        case "--overlap-push": overlapPush = Boolean.parseBoolean(args[++i]); break;
        case "--ps-nodes": psNodes = args[++i]; break;
        case "--ps-secret-file": psSecretFile = args[++i]; break;
        default:
          System.err.println("usage: bin/sparkeras bench spark [--rows N] [--epochs E] "
              + "[--batch B] [--hidden H[,H2...]] [--transport ipc|udp] [--shuffle true|false] "
              + "[--overlap-push true|false] [--ps-nodes host:port,... --ps-secret-file FILE]");
          System.exit(2);
      }
    }
    epochs = Math.max(2, epochs);
    Sparkeras.setRandomSeed(1);
    SplittableRandom r = new SplittableRandom(3);
    float[] x = new float[rows * 784];
    int[] y = new int[rows];
    List<Row> data = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      float[] px = new float[784];
      for (int j = 0; j < 784; j++) {
        px[j] = (float) r.nextDouble();
      }
      System.arraycopy(px, 0, x, i * 784, 784);
      y[i] = r.nextInt(10);
      data.add(RowFactory.create(px, y[i]));
    }

    Sparkeras.backend().setThreads(2);
    Model local = mlp(hidden);
    EpochTimer localTimer = new EpochTimer();
    local.fit(NDArray.of(x, rows, 784), NDArray.ofLabels(y),
        FitOptions.epochs(epochs).batchSize(batch).shuffle(shuffle).verbose(0)
            .callbacks(localTimer));
    double localRate = rows / localTimer.meanAfterFirst();

    SparkSession spark = SparkSession.builder().master("local[2]").appName("SparkFitBench")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
    try {
      Sparkeras.backend().setThreads(1); // each of the 2 tasks: one intra-op thread
      StructType schema = StructType.fromDDL("pixels array<float>, label int");
      Dataset<Row> df = spark.createDataFrame(data, schema).repartition(2).cache();
      df.count();
      Model dist = mlp(hidden);
      EpochTimer distTimer = new EpochTimer();
      SparkTrainer trainer = server(SparkTrainer.of(spark, dist).workers(2).mode(SyncMode.SYNC)
          .ipc(ipc).overlapPush(overlapPush), psNodes, psSecretFile);
      trainer.fit(df, "pixels", "label",
          FitOptions.epochs(epochs).batchSize(batch).shuffle(shuffle).verbose(0)
              .callbacks(distTimer));
      Map<String, Double> stats = trainer.lastEpochStats();
      double distRate = rows / distTimer.meanAfterFirst();

      Dataset<Row> tiny = spark.createDataFrame(data.subList(0, 4), schema).cache();
      tiny.count();
      EpochTimer tinyTimer = new EpochTimer();
      server(SparkTrainer.of(spark, mlp(hidden)).workers(2).ipc(ipc), psNodes, psSecretFile)
          .fit(tiny, "pixels", "label",
              FitOptions.epochs(6).batchSize(4).verbose(0).callbacks(tinyTimer));
      double overhead = tinyTimer.meanAfterFirst();

      System.out.printf(Locale.ROOT, "MLP 784-%s-10, Adam, global batch %d, %d rows, %d epochs "
          + "(first excluded), workers to server over %s%n", hidden.replace(',', '-'), batch, rows, epochs,
          psNodes != null ? "UDP, server on the nodes " + psNodes
              : ipc ? "shared memory (aeron:ipc)" : "UDP");
      System.out.printf(Locale.ROOT, "local fit, 2 threads:              %8.0f samples/s%n",
          localRate);
      System.out.printf(Locale.ROOT, "SparkTrainer sync, 2 workers x 1:  %8.0f samples/s (%.2fx)"
          + "%n", distRate, distRate / localRate);
      System.out.printf(Locale.ROOT, "  last epoch per worker: %s (epoch wall %.2f s)%n", stats,
          distTimer.seconds.get(distTimer.seconds.size() - 1));
      System.out.printf(Locale.ROOT, "fixed cost of a distributed epoch: %8.3f s%n", overhead);
      System.out.printf(Locale.ROOT, "{\"local_2_threads\": %.0f, \"spark_sync_2x1\": %.0f, "
          + "\"epoch_overhead_s\": %.3f}%n", localRate, distRate, overhead);
    } finally {
      spark.stop();
    }
  }
}
