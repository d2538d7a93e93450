package io.sparkeras.driver;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.callbacks.History;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.datasets.FashionMnist;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.optimizers.Adam;
import io.sparkeras.ps.SyncMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real data through the distributed path: 2 sync workers train an MLP on Fashion-MNIST rows built
 * on the executors, learn, and the driver's validation equals a separate evaluate. The 4-epoch,
 * 60,000-row accuracy run (0.85+) belongs to {@code bin/sparkeras bench peers} (sparkeras-sync), not
 * the suite.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class FashionMnistSparkTest {

  /** Loaded once per JVM (executors read it from here: local mode shares the JVM). */
  static final class Holder {
    static final FashionMnist.Data DATA;

    static {
      try {
        DATA = FashionMnist.load();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Row i of a split as (pixels array<float>, label int), built on the executor. */
  static final class ToRow implements Function<Long, Row> {
    private static final long serialVersionUID = 1L;
    private final boolean train;

    ToRow(boolean train) {
      this.train = train;
    }

    @Override
    public Row call(Long i) {
      NDArray x = train ? Holder.DATA.xTrain() : Holder.DATA.xTest();
      NDArray y = train ? Holder.DATA.yTrain() : Holder.DATA.yTest();
      int n = x.sampleSize();
      int from = x.offset() + (int) (long) i * n;
      float[] pixels = Arrays.copyOfRange(x.data(), from, from + n);
      return RowFactory.create(pixels, (int) y.get((int) (long) i, 0));
    }
  }

  static Dataset<Row> split(SparkSession spark, boolean train, int n) {
    JavaRDD<Row> rows = spark.range(0, n, 1, 4).toJavaRDD().map(new ToRow(train));
    return spark.createDataFrame(rows, StructType.fromDDL("pixels array<float>, label int"));
  }

  @Test
  void twoSyncWorkersLearnFromRealRows() {
    assumeTrue(FashionMnist.isAvailable(), "Fashion-MNIST not installed");
    Sparkeras.setRandomSeed(42);
    SparkSession spark = SparkTestSupport.session("FashionMnistSparkTest");
    try {
      Dataset<Row> train = split(spark, true, 12_000).cache();
      Dataset<Row> test = split(spark, false, 2_000).cache();
      Model model = new Sequential(Input.of(784), new Dense(128).activation("relu"),
          new Dense(10).activation("softmax"));
      model.compile(new Adam(1e-3), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
      long t0 = System.nanoTime();
      History h = SparkTrainer.of(spark, model).workers(2).mode(SyncMode.SYNC)
          .fit(train, "pixels", "label", FitOptions.epochs(1).batchSize(128).verbose(2), test);
      double seconds = (System.nanoTime() - t0) / 1e9;
      Map<String, Double> scores = SparkTrainer.of(spark, model).evaluate(test, "pixels", "label");
      System.out.printf("fashion-mnist 2 sync workers: %s; test %s; fit %.1f s%n", h, scores,
          seconds);
      assertTrue(h.last("val_accuracy") >= 0.7, "val_accuracy " + h.last("val_accuracy"));
      assertEquals(h.last("val_accuracy"), scores.get("accuracy"), 1e-9);
    } finally {
      spark.stop();
    }
  }
}
