package io.sparkeras.bench;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.datasets.FashionMnist;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.optimizers.Adam;
import io.sparkeras.driver.SparkTrainer;
import io.sparkeras.examples.FashionMnistExample;
import io.sparkeras.ps.SyncMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * What shuffling every epoch is worth on Spark: the README's MLP 784-512-256-10 trained on
 * Fashion-MNIST by 2 sync workers (local[2], Adam 1e-3, global batch 128, seed 42, the same
 * initial weights), once with {@code shuffle(true)} (rows dealt by a seeded permutation, a
 * fresh seeded order every epoch) and once with {@code shuffle(false)} (the table's order),
 * then test accuracy with {@code SparkTrainer.evaluate}. With {@code --order by-label} the table
 * is sorted by class first, as a lake table partitioned by label would be read: the case where
 * the table's order hurts. Minutes per run, so a bench and not a test.
 *
 * <pre>{@code
 * bin/sparkeras bench shuffle [--epochs 5] [--rows 60000] [--order as-published|by-label]
 * }</pre>
 *
 * Ends with one JSON line: {@code {"epochs": 5, "rows": 60000, "order": "as-published",
 * "shuffle": {"accuracy": .., "seconds": ..}, "no_shuffle": {...}}}.
 */
public final class ShuffleBench {
  private ShuffleBench() {}

  public static void main(String[] args) {
    int epochs = 5;
    int rows = 60_000;
    String order = "as-published";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--epochs" -> epochs = Integer.parseInt(args[++i]);
        case "--rows" -> rows = Integer.parseInt(args[++i]);
        case "--order" -> order = args[++i];
        default -> throw new IllegalArgumentException("bench shuffle: unknown argument " + args[i]
            + "; expected --epochs, --rows or --order");
      }
    }
    if (!order.equals("as-published") && !order.equals("by-label")) {
      throw new IllegalArgumentException("--order: expected as-published or by-label, found '"
          + order + "'");
    }
    SparkSession spark = SparkSession.builder().master("local[2]").appName("ShuffleBench")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
    try {
      Sparkeras.backend().setThreads(1); // each of the 2 tasks: one intra-op thread
      Dataset<Row> train = frame(spark, true, Math.min(rows, Holder.DATA.yTrain().shape()[0]));
      if (order.equals("by-label")) {
        train = train.orderBy("label", "id");
      }
      train = train.cache();
      long n = train.count();
      Dataset<Row> test = frame(spark, false, Holder.DATA.yTest().shape()[0]).cache();
      test.count();
      StringBuilder json = new StringBuilder(String.format(Locale.ROOT,
          "{\"epochs\":%d,\"rows\":%d,\"order\":\"%s\"", epochs, n, order));
      for (boolean shuffle : new boolean[] {true, false}) {
        Sparkeras.setRandomSeed(42);
        Model m = FashionMnistExample.Models.build("mlp");
        m.compile(new Adam(1e-3), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
        SparkTrainer trainer = SparkTrainer.of(spark, m).workers(2).mode(SyncMode.SYNC).seed(42);
        long t0 = System.nanoTime();
        trainer.fit(train, "pixels", "label",
            FitOptions.epochs(epochs).batchSize(128).shuffle(shuffle).verbose(2));
        double seconds = (System.nanoTime() - t0) / 1e9;
        double accuracy = trainer.evaluate(test, "pixels", "label").get("accuracy");
        System.out.printf(Locale.ROOT, "shuffle %-5s: test accuracy %.4f after %d epochs, %.0f s"
            + "%n", shuffle, accuracy, epochs, seconds);
        json.append(String.format(Locale.ROOT, ",\"%s\":{\"accuracy\":%.4f,\"seconds\":%.1f}",
            shuffle ? "shuffle" : "no_shuffle", accuracy, seconds));
      }
      System.out.println(json.append("}"));
    } finally {
      spark.stop();
    }
  }

  /** The data set, loaded once per JVM (the tasks of local[2] read it). */
  static final class Holder {
    static final FashionMnist.Data DATA = load();

    private static FashionMnist.Data load() {
      try {
        return FashionMnist.load();
      } catch (IOException e) {
        throw new UncheckedIOException("Fashion-MNIST: " + e.getMessage(), e);
      }
    }

    private Holder() {}
  }

  /** Row {@code id} of a split as (id, pixels array&lt;float&gt;, label int). */
  static Row row(boolean train, long id) {
    int i = (int) id;
    NDArray images = train ? Holder.DATA.xTrain() : Holder.DATA.xTest();
    NDArray labels = train ? Holder.DATA.yTrain() : Holder.DATA.yTest();
    return RowFactory.create(id, FashionMnist.flatten(images).rows(i, i + 1).toArray(),
        (int) labels.get(i, 0));
  }

  /** The first {@code n} rows of a split. */
  static Dataset<Row> frame(SparkSession spark, boolean train, int n) {
    JavaRDD<Row> rows = spark.range(0, n, 1, 2).toJavaRDD().map(id -> row(train, id));
    return spark.createDataFrame(rows, StructType.fromDDL("id bigint, pixels array<float>, "
        + "label int"));
  }
}
