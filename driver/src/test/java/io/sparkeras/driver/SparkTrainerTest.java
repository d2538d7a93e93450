package io.sparkeras.driver;

import static io.sparkeras.driver.SparkTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.callbacks.History;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.optimizers.Adam;
import io.sparkeras.api.optimizers.SGD;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SparkTrainer on a local[2] session: validation, sync equivalence, retries, scoring, resume. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SparkTrainerTest {
  static final int ROWS = 60; // not a multiple of the batch: the last step is partial
  static final int BATCH = 8;
  static SparkSession spark;
  static float[][] x;
  static int[] y;
  static Dataset<Row> df;

  @BeforeAll
  static void start() {
    Sparkeras.setRandomSeed(7);
    spark = session("SparkTrainerTest");
    x = features(ROWS, 11);
    y = labels(x);
    df = frame(spark, x, y);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static FitOptions options(int epochs) {
    return FitOptions.epochs(epochs).batchSize(BATCH).shuffle(false).verbose(0);
  }

  @Test
  void schemaErrorsNameColumnExpectedAndFound() {
    SparkTrainer t = SparkTrainer.of(spark, classifier(new Adam(0.01)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> t.fit(df, "pixels", "y", options(1)));
    assertTrue(e.getMessage().contains("features column 'pixels' does not exist"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> t.fit(df, "note", "y", options(1)));
    assertTrue(e.getMessage().contains("'note'") && e.getMessage().contains("found string"),
        e.getMessage());
    Dataset<Row> wide = spark.sql("select array(1f, 2f, 3f) as x, 1 as y");
    e = assertThrows(IllegalArgumentException.class, () -> t.fit(wide, "x", "y", options(1)));
    assertTrue(e.getMessage().contains("expected 4 values per row") && e.getMessage().contains(
        "found 3"), e.getMessage());
    Dataset<Row> arrayLabel = spark.sql("select array(1f, 2f, 3f, 4f) as x, array(0f, 1f, 0f) as y");
    e = assertThrows(IllegalArgumentException.class, () -> t.fit(arrayLabel, "x", "y", options(1)));
    assertTrue(e.getMessage().contains("label column 'y'") && e.getMessage().contains(
        "one class id per row"), e.getMessage());
    Model regression = new Sequential(Input.of(FEATURES), new Dense(2));
    regression.compile(new SGD(0.1), Losses.mse());
    e = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.of(spark, regression)
        .fit(df, "x", "y", options(1)));
    assertTrue(e.getMessage().contains("label column 'y'") && e.getMessage().contains(
        "expects 2 values per row"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.of(spark,
        classifier(new Adam(0.01))).workers(3).fit(df, "x", "y", options(1)));
    assertTrue(e.getMessage().contains("multiple of the number of workers"), e.getMessage());
  }

  @ParameterizedTest(name = "{0} worker(s)")
  @ValueSource(ints = {1, 2})
  void syncEqualsSingleProcessFit(int workers) {
    Model model = classifier(new Adam(0.01));
    Model local = copy(model);
    History localHistory = local.fit(NDArray.of(flat(x), ROWS, FEATURES), NDArray.ofLabels(y),
        options(2));
    History h = SparkTrainer.of(spark, model).workers(workers).mode(SyncMode.SYNC)
        .preserveRowOrder(true).fit(df, "x", "y", options(2));
    assertClose(local.getFlatWeights(), model.getFlatWeights(), 1e-5, workers + " workers");
    assertEquals(List.of(0, 1), h.epochs());
    assertEquals(localHistory.last("loss"), h.last("loss"), 1e-5);
    assertEquals(localHistory.last("accuracy"), h.last("accuracy"), 1e-9);
  }

  @Test
  void retriedTaskDoesNotApplyGradientsTwice() {
    Model clean = classifier(new SGD(0.1).momentum(0.9));
    Model faulty = copy(clean);
    SparkTrainer.of(spark, clean).workers(2).preserveRowOrder(true).fit(df, "x", "y", options(2));
    SparkTrainer t = SparkTrainer.of(spark, faulty).workers(2).preserveRowOrder(true)
        .timeout(5, TimeUnit.SECONDS).failFirstAttemptAt(1, 1, 3);
    t.fit(df, "x", "y", options(2));
    assertClose(clean.getFlatWeights(), faulty.getFlatWeights(), 1e-7, "after a retried task");
  }

  @Test
  void predictKeepsEveryColumnAndMatchesLocalPredict() {
    Model model = classifier(new Adam(0.01));
    SparkTrainer t = SparkTrainer.of(spark, model);
    Dataset<Row> scored = t.predict(df.repartition(2), "x");
    assertEquals(List.of("id", "x", "y", "note", "prediction"),
        Arrays.asList(scored.columns()));
    List<Row> rows = scored.orderBy("id").collectAsList();
    assertEquals(ROWS, rows.size());
    NDArray expected = model.predict(NDArray.of(flat(x), ROWS, FEATURES));
    for (int i = 0; i < ROWS; i++) {
      Row r = rows.get(i);
      assertEquals(i, r.getLong(0));
      assertEquals("row" + i, r.getString(3));
      List<Float> p = r.getList(4);
      for (int k = 0; k < CLASSES; k++) {
        assertEquals(expected.get(i, k), p.get(k), 1e-6);
      }
    }
  }

  @Test
  void distributedEvaluateEqualsLocalEvaluate() {
    Model model = classifier(new Adam(0.01));
    Map<String, Double> local = model.evaluate(NDArray.of(flat(x), ROWS, FEATURES),
        NDArray.ofLabels(y));
    Map<String, Double> dist = SparkTrainer.of(spark, model).scoringBatchSize(7)
        .evaluate(df.repartition(3), "x", "y");
    assertEquals(local.keySet(), dist.keySet());
    assertEquals(local.get("loss"), dist.get("loss"), 1e-6);
    assertEquals(local.get("accuracy"), dist.get("accuracy"), 1e-9);
  }

  @Test
  void checkpointsEveryEpochAndResumesExactly(@TempDir Path dir) {
    Model straight = classifier(new Adam(0.01));
    Model stopped = copy(straight);
    SparkTrainer.of(spark, straight).workers(2).preserveRowOrder(true).fit(df, "x", "y", options(3));
    String ck = dir.resolve("ckpt").toUri().toString();
    SparkTrainer.of(spark, stopped).workers(2).preserveRowOrder(true).checkpointDir(ck)
        .fit(df, "x", "y", options(2));
    assertTrue(dir.resolve("ckpt/epoch-0000/model.keras").toFile().isFile());
    assertTrue(dir.resolve("ckpt/epoch-0001/ps.ckpt").toFile().isFile());
    Model resumed = copy(classifier(new Adam(0.01))); // fresh weights: all come from the checkpoint
    History h = SparkTrainer.of(spark, resumed).workers(2).preserveRowOrder(true).checkpointDir(ck)
        .resume(true).fit(df, "x", "y", options(3));
    assertEquals(List.of(2), h.epochs());
    assertClose(straight.getFlatWeights(), resumed.getFlatWeights(), 1e-6, "resumed");
  }

  @Test
  void asyncAndAveragingModesTrain() {
    for (SyncMode mode : List.of(SyncMode.async(1), SyncMode.averaging(2))) {
      Model model = classifier(new Adam(0.02));
      History h = SparkTrainer.of(spark, model).workers(2).mode(mode)
          .fit(df, "x", "y", options(4));
      List<Double> loss = h.get("loss");
      assertEquals(4, loss.size(), mode.toString());
      assertTrue(loss.get(3) < loss.get(0), mode + ": loss " + loss);
    }
  }

  @Test
  void severalNumericColumnsTrainLikeTheArrayColumn() {
    Model viaArray = classifier(new Adam(0.01));
    Model viaColumns = copy(viaArray);
    SparkTrainer.of(spark, viaArray).workers(2).preserveRowOrder(true)
        .fit(df, "x", "y", options(1));
    Dataset<Row> columns = df.selectExpr("x[0] as a", "cast(x[1] as double) as b", "x[2] as c",
        "x[3] as d", "y");
    SparkTrainer.of(spark, viaColumns).workers(2).preserveRowOrder(true)
        .fit(columns, List.of("a", "b", "c", "d"), "y", options(1), null);
    assertClose(viaArray.getFlatWeights(), viaColumns.getFlatWeights(), 1e-7, "numeric columns");
  }

  @Test
  void predictLoadsTheModelOncePerExecutorJvm() {
    Model model = classifier(new Adam(0.01));
    SparkTrainer t = SparkTrainer.of(spark, model);
    t.predict(df.repartition(2), "x").count();
    long loads = io.sparkeras.worker.WorkerModels.loads();
    assertEquals(ROWS, t.predict(df.repartition(2), "x").count());
    assertEquals(loads, io.sparkeras.worker.WorkerModels.loads(), "second predict reuses the models");
  }
}
