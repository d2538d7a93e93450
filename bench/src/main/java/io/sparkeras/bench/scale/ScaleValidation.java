package io.sparkeras.bench.scale;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.callbacks.Callback;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.optimizers.Adam;
import io.sparkeras.driver.SparkTrainer;
import io.sparkeras.driver.TrainerSettings;
import io.sparkeras.ps.SyncMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
 * {@code bin/sparkeras bench scale validate}: the simulator against real distributed training
 * at the sizes this machine runs for real. For each worker count N: a real sync fit of the MLP
 * 784-512-256-10 (SparkTrainer on local[4], N workers x 1 libtorch thread, batch 128 per worker,
 * workers talking UDP to the embedded server as on a cluster, {@code ipc(false)}, with the
 * simulated hosts' Aeron MTU, 8192), then the
 * simulator with N worker hosts and one server host, compute replaced by a wait of the real
 * run's measured compute per step that spins on a core as real compute does, links unshaped
 * (the real run's loopback has no rate limit), pushes overlapped with backward as the real
 * workers' are ({@code SparkTrainer.overlapPush}). Compared: the time per step of the last epoch
 * (compute + push + pull per worker; Spark's per-epoch stage start is reported apart).
 *
 * <pre>
 * bin/sparkeras bench scale validate [--workers 1,2,4] [--steps 60] [--epochs 3]
 *     [--out bench/results/scale-validation-DATE.md]
 * </pre>
 */
public final class ScaleValidation {
  private ScaleValidation() {}

  /** Wall time of each epoch. */
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
  }

  static void run(Map<String, String> o) throws IOException {
    String[] counts = o.getOrDefault("workers", "1,2,4").split(",");
    int steps = Integer.parseInt(o.getOrDefault("steps", "60"));
    int epochs = Math.max(2, Integer.parseInt(o.getOrDefault("epochs", "3")));
    int batch = 128;
    SparkSession spark = SparkSession.builder().master("local[4]").appName("ScaleValidation")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
        .getOrCreate();
    List<String> table = new ArrayList<>();
    table.add("| workers | real step ms (compute / push / pull) | simulated step ms (compute /"
        + " push / wait) | simulated / real | real epoch start-up s | load |");
    table.add("|---|---|---|---|---|---|");
    try {
      Sparkeras.backend().setThreads(1);
      for (String c : counts) {
        int n = Integer.parseInt(c.trim());
        double loadBefore = SimCluster.loadAverage();
        double[] real = realStep(spark, n, batch, steps, epochs);
        double stepMs = real[0] + real[1] + real[2];
        SimJob job = SimJob.of(ModelShape.mlp(), ComputeProfile.fixed("mlp", batch,
            real[0] / 3, real[0] * 2 / 3).entry("mlp")).withWorkers(n).withSpin(true)
            .withOverlap(true).withSteps(steps, Math.min(10, steps / 3));
        SimResult sim;
        try (SimCluster cluster = SimCluster.start(n, 1, 9000, 0)) {
          sim = cluster.run(job, 100);
        }
        double simMs = sim.stepSeconds * 1e3;
        String row = String.format(Locale.ROOT, "| %d | %.2f (%.2f / %.2f / %.2f) | %.2f (%.2f /"
            + " %.2f / %.2f) | %.2f | %.2f | %.1f-%.1f |", n, stepMs, real[0], real[1], real[2],
            simMs, sim.computeSeconds * 1e3, sim.pushSeconds * 1e3, sim.waitSeconds * 1e3,
            simMs / stepMs, real[3], loadBefore, SimCluster.loadAverage());
        System.out.println(row);
        table.add(row);
      }
    } finally {
      spark.stop();
    }
    System.out.println();
    table.forEach(System.out::println);
    Path out = ScaleBench.home().resolve(o.getOrDefault("out", "bench/results/scale-validation-"
        + LocalDate.now(ZoneOffset.UTC) + ".md"));
    Files.write(out, table, StandardCharsets.UTF_8);
    System.out.println("wrote " + out);
  }

  /** {compute, push, pull} ms per step of the last epoch and the epoch's start-up seconds. */
  static double[] realStep(SparkSession spark, int workers, int batch, int steps, int epochs) {
    int rows = workers * batch * steps;
    SplittableRandom r = new SplittableRandom(3);
    List<Row> data = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      float[] px = new float[784];
      for (int j = 0; j < 784; j++) {
        px[j] = (float) r.nextDouble();
      }
      data.add(RowFactory.create(px, r.nextInt(10)));
    }
    Dataset<Row> df = spark.createDataFrame(data, StructType.fromDDL("pixels array<float>,"
        + " label int")).repartition(workers).cache();
    df.count();
    Model model = new Sequential(Input.of(784), new Dense(512).activation("relu"),
        new Dense(256).activation("relu"), new Dense(10).activation("softmax"));
    model.compile(new Adam(1e-3), Losses.sparseCategoricalCrossentropy());
    EpochTimer timer = new EpochTimer();
    SparkTrainer trainer = SparkTrainer.of(spark, model).workers(workers).mode(SyncMode.SYNC)
        .ipc(false);
    // the simulated hosts' Aeron MTU (frames that fit the links' jumbo frames, as on a cluster),
    // not the loopback's 64 KB default: 8x the datagrams, and as many more send and receive calls
    trainer.settings().set(TrainerSettings.PS_MTU, SimCluster.MTU);
    trainer.fit(df, "pixels", "label", FitOptions.epochs(epochs).batchSize(batch * workers)
        .verbose(0).callbacks(timer));
    Map<String, Double> s = trainer.lastEpochStats();
    double k = s.get("steps");
    double compute = s.get("compute_s") / k * 1e3;
    double push = s.get("push_s") / k * 1e3;
    double pull = s.get("pull_s") / k * 1e3;
    double epoch = timer.seconds.get(timer.seconds.size() - 1);
    df.unpersist();
    return new double[] {compute, push, pull, epoch - (compute + push + pull) * k / 1e3};
  }
}
