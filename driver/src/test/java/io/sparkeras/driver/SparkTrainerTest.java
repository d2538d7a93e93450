package io.sparkeras.driver;

import static io.sparkeras.driver.SparkTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.callbacks.History;
import io.sparkeras.api.callbacks.LearningRateScheduler;
import io.sparkeras.api.constraints.MaxNorm;
import io.sparkeras.api.constraints.NonNeg;
import io.sparkeras.api.constraints.UnitNorm;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.layers.normalization.BatchNormalization;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.optimizers.Adam;
import io.sparkeras.api.optimizers.Optimizer;
import io.sparkeras.api.optimizers.SGD;
import io.sparkeras.core.optim.schedules.Schedules;
import io.sparkeras.ps.Compression;
import io.sparkeras.ps.SyncMode;
import io.sparkeras.worker.BadRowPolicy;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.ExceptionFailure;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
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

  /**
   * Workers 1, 2, 4 over shared memory (the default in local mode); 2 over UDP (-2); 2 pushing
   * only after backward (20). The others push the last layers' gradients while backward still
   * runs, and each shard's pull is asked for as soon as its part is pushed.
   */
  @ParameterizedTest(name = "{0} worker(s)")
  @ValueSource(ints = {1, 2, 4, -2, 20})
  void syncEqualsSingleProcessFit(int workersAndTransport) {
    boolean overlap = workersAndTransport != 20;
    int workers = overlap ? Math.abs(workersAndTransport) : 2;
    Model model = classifier(new Adam(0.01));
    Model local = copy(model);
    History localHistory = local.fit(NDArray.of(flat(x), ROWS, FEATURES), NDArray.ofLabels(y),
        options(2));
    SparkTrainer trainer = SparkTrainer.of(spark, model).workers(workers).mode(SyncMode.SYNC)
        .ipc(workersAndTransport > 0).overlapPush(overlap);
    History h = trainer.fit(df, "x", "y", options(2));
    assertClose(local.getFlatWeights(), model.getFlatWeights(), 1e-5, workers + " workers");
    double early = trainer.lastEpochStats().get("pushed_during_backward");
    assertTrue(overlap ? early > 0 : early == 0, "share pushed during backward: " + early);
    assertEquals(List.of(0, 1), h.epochs());
    assertEquals(localHistory.last("loss"), h.last("loss"), 1e-5);
    assertEquals(localHistory.last("accuracy"), h.last("accuracy"), 1e-9);
  }

  /**
   * fp16 on the wire (gradients pushed, parameters pulled): the fit follows the local one
   * closely but not exactly, since the workers compute at half-precision parameters (the
   * server's own copy, which the driver reads back, stays float32).
   */
  @Test
  void fp16CompressionTrainsCloseToButNotExactlyLikeTheLocalFit() {
    Model model = classifier(new Adam(0.01));
    Model local = copy(model);
    local.fit(NDArray.of(flat(x), ROWS, FEATURES), NDArray.ofLabels(y), options(2));
    SparkTrainer.of(spark, model).workers(2).compression(Compression.FP16)
        .fit(df, "x", "y", options(2));
    float[] a = local.getFlatWeights();
    float[] b = model.getFlatWeights();
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    assertTrue(worst > 1e-6 && worst < 2e-2, "largest difference from the local fit: " + worst);
  }

  @Test
  void syncWithALearningRateScheduleEqualsSingleProcessFit() {
    Model model = classifier(new SGD(Schedules.create("ExponentialDecay",
        Map.of("initial_learning_rate", 0.5, "decay_steps", 3, "decay_rate", 0.5))).momentum(0.9));
    Model local = copy(model);
    local.fit(NDArray.of(flat(x), ROWS, FEATURES), NDArray.ofLabels(y), options(2));
    SparkTrainer.of(spark, model).workers(2).fit(df, "x", "y", options(2));
    assertClose(local.getFlatWeights(), model.getFlatWeights(), 1e-5, "scheduled SGD");
  }

  @Test
  void learningRateCallbacksReachTheServer() {
    // LearningRateScheduler sets the rate at each epoch's start; the server must apply it
    LearningRateScheduler.Schedule halve = (epoch, lr) -> epoch == 0 ? 0.5 : lr * 0.1;
    Model model = classifier(new SGD(0.01).momentum(0.9));
    Model local = copy(model);
    local.fit(NDArray.of(flat(x), ROWS, FEATURES), NDArray.ofLabels(y),
        options(3).callbacks(new LearningRateScheduler(halve)));
    Model constant = copy(model);
    SparkTrainer.of(spark, model).workers(2).fit(df, "x", "y",
        options(3).callbacks(new LearningRateScheduler(halve)));
    assertClose(local.getFlatWeights(), model.getFlatWeights(), 1e-5, "scheduled by callback");
    assertEquals(0.005, model.getOptimizer().getLearningRate(), 1e-9);
    // and the schedule mattered: without it the weights differ
    SparkTrainer.of(spark, constant).workers(2).fit(df, "x", "y",
        options(3));
    assertFalse(Arrays.equals(constant.getFlatWeights(), model.getFlatWeights()));
  }

  /** 4 -> batch normalization (fast moving averages) -> 8 (relu) -> 3 (softmax). */
  static Model normalized() {
    Model m = new Sequential(Input.of(FEATURES), new BatchNormalization().momentum(0.5),
        new Dense(8).activation("relu"), new Dense(CLASSES).activation("softmax"));
    m.compile(new Adam(0.01), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
    return m;
  }

  @Test
  void batchNormalizationStatisticsAreKeptPerWorkerAndAveraged() {
    // features scaled and shifted to mean 3, variance 16/3: the moving statistics must find
    // them (far from their initial 0 and 1)
    float[][] shifted = new float[ROWS][FEATURES];
    double[] mean = new double[FEATURES];
    for (int i = 0; i < ROWS; i++) {
      for (int j = 0; j < FEATURES; j++) {
        shifted[i][j] = 4 * x[i][j] + 3;
        mean[j] += shifted[i][j] / ROWS;
      }
    }
    double[] variance = new double[FEATURES];
    for (float[] row : shifted) {
      for (int j = 0; j < FEATURES; j++) {
        variance[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / ROWS;
      }
    }
    Dataset<Row> data = frame(spark, shifted, y);
    // one worker: the same batches as a local fit, so the same statistics, bit for bit
    Model one = normalized();
    Model local = copy(one);
    local.fit(NDArray.of(flat(shifted), ROWS, FEATURES), NDArray.ofLabels(y), options(2));
    SparkTrainer.of(spark, one).workers(1).fit(data, "x", "y", options(2));
    assertClose(local.getFlatWeights(), one.getFlatWeights(), 1e-5, "1 worker with BN");
    // two workers: each keeps its own statistics, the driver averages them after every epoch
    // (rows in the DataFrame's order, dealt by the row plan: 60 rows would otherwise leave the
    // accuracy check below at the mercy of the seed's deal)
    Model two = normalized();
    SparkTrainer.of(spark, two).workers(2).fit(data, "x", "y",
        FitOptions.epochs(8).batchSize(20).shuffle(false).verbose(0));
    BatchNormalization bn = (BatchNormalization) two.layers().stream()
        .filter(l -> l instanceof BatchNormalization).findFirst().orElseThrow();
    float[] mm = bn.movingMean().numpy();
    float[] mv = bn.movingVariance().numpy();
    for (int j = 0; j < FEATURES; j++) {
      // batches of 10 rows per worker: the statistics are noisy, but nowhere near 0 and 1
      assertEquals(mean[j], mm[j], 0.8, "moving_mean[" + j + "] " + Arrays.toString(mm));
      assertEquals(variance[j], mv[j], 0.4 * variance[j], "moving_variance[" + j + "] "
          + Arrays.toString(mv));
    }
    // inference uses them: accuracy on the training rows is far above chance
    double accuracy = SparkTrainer.of(spark, two).evaluate(data, "x", "y").get("accuracy");
    assertTrue(accuracy > 0.5, "accuracy " + accuracy);
  }

  @Test
  void syncWithGradientClippingEqualsSingleProcessFit() {
    // SGD, not Adam: Adam's update hardly changes when every gradient is scaled down, so it
    // would not show whether the server clipped
    for (Optimizer opt : List.<Optimizer>of(new SGD(0.5).clipnorm(0.05),
        new SGD(0.5).clipvalue(0.01), new SGD(0.5).globalClipnorm(0.05))) {
      Model model = classifier(opt);
      Model local = copy(model);
      local.fit(NDArray.of(flat(x), ROWS, FEATURES), NDArray.ofLabels(y), options(1));
      SparkTrainer.of(spark, model).workers(2).fit(df, "x", "y",
          options(1));
      assertClose(local.getFlatWeights(), model.getFlatWeights(), 1e-5, opt.getConfig()
          .toString());
    }
  }

  /** The shards apply Keras's weight constraints after each update, as the local optimizer. */
  @Test
  void syncWithWeightConstraintsEqualsSingleProcessFit() {
    Model model = new Sequential(Input.of(FEATURES), new Dense(8).activation("relu")
        .kernelConstraint(new MaxNorm(0.3, 0)).biasConstraint(new NonNeg()),
        new Dense(CLASSES).activation("softmax").kernelConstraint(new UnitNorm(1)));
    model.compile(new SGD(0.5), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
    Model local = copy(model);
    Model unconstrained = classifier(new SGD(0.5));
    unconstrained.setFlatWeights(model.getFlatWeights());
    local.fit(NDArray.of(flat(x), ROWS, FEATURES), NDArray.ofLabels(y), options(1));
    unconstrained.fit(NDArray.of(flat(x), ROWS, FEATURES), NDArray.ofLabels(y), options(1));
    SparkTrainer.of(spark, model).workers(2).psShards(2).fit(df, "x", "y",
        options(1));
    float[] got = model.getFlatWeights();
    assertClose(local.getFlatWeights(), got, 1e-5, "constrained");
    float[] free = unconstrained.getFlatWeights();
    double diff = 0;
    for (int i = 0; i < got.length; i++) {
      diff = Math.max(diff, Math.abs(free[i] - got[i]));
    }
    assertTrue(diff > 1e-3, "the constraints made no visible difference: " + diff);
  }

  @Test
  void retriedTaskDoesNotApplyGradientsTwice() {
    Model clean = classifier(new SGD(0.1).momentum(0.9));
    Model faulty = copy(clean);
    SparkTrainer.of(spark, clean).workers(2).fit(df, "x", "y", options(2));
    // partition 1 fails at step 3 of epoch 1 on its first attempt (B/N = 4 rows per step)
    SparkTrainer t = SparkTrainer.of(spark, faulty).workers(2)
        .timeout(5, TimeUnit.SECONDS).wrapTasks((epoch, body) -> epoch == 1
            ? new FailFirstAttempt(body, 1, 3 * (BATCH / 2)) : body);
    AtomicInteger injected = new AtomicInteger();
    SparkListener failures = new SparkListener() {
      @Override
      public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.reason() instanceof ExceptionFailure
            && ((ExceptionFailure) end.reason()).description().contains("injected failure")) {
          injected.incrementAndGet();
        }
      }
    };
    spark.sparkContext().addSparkListener(failures);
    try {
      t.fit(df, "x", "y", options(2));
    } finally {
      spark.sparkContext().removeSparkListener(failures);
    }
    assertEquals(1, injected.get(), "the first attempt failed once, the retry went through");
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
  void aBadRowFailsTheFitWithItsPositionOrIsSkippedAndCounted(@TempDir Path dir) {
    float[][] bad = new float[ROWS][];
    for (int i = 0; i < ROWS; i++) {
      bad[i] = x[i].clone();
    }
    bad[37][2] = Float.NaN;
    Dataset<Row> data = frame(spark, bad, y);
    Model model = classifier(new Adam(0.01));
    float[] before = model.getFlatWeights();
    String ck = dir.resolve("ckpt").toUri().toString();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SparkTrainer.of(spark, model).workers(2).checkpointDir(ck)
            .fit(data, "x", "y", options(2)));
    assertTrue(e.getMessage().contains("sparkeras fit epoch 1/2: bad input row ")
        && e.getMessage().contains("column 'x'") && e.getMessage().contains("NaN"),
        e.getMessage());
    // nothing trained, nothing written
    assertArrayEquals(before, model.getFlatWeights());
    String[] written = dir.resolve("ckpt").toFile().list();
    assertTrue(written == null || written.length == 0, Arrays.toString(written));

    SparkTrainer skipping = SparkTrainer.of(spark, model).workers(2).badRows(BadRowPolicy.SKIP);
    History h = skipping.fit(data, "x", "y", options(2));
    assertEquals(List.of(0, 1), h.epochs());
    assertEquals(1.0, skipping.lastEpochStats().get("rows_skipped"));
  }

  @Test
  void checkpointsEveryEpochAndResumesExactly(@TempDir Path dir) {
    Model straight = classifier(new Adam(0.01));
    Model stopped = copy(straight);
    SparkTrainer.of(spark, straight).workers(2).fit(df, "x", "y", options(3));
    String ck = dir.resolve("ckpt").toUri().toString();
    SparkTrainer.of(spark, stopped).workers(2).checkpointDir(ck)
        .fit(df, "x", "y", options(2));
    assertTrue(dir.resolve("ckpt/epoch-0000/model.keras").toFile().isFile());
    assertTrue(dir.resolve("ckpt/epoch-0001/ps.ckpt").toFile().isFile());
    Model resumed = copy(classifier(new Adam(0.01))); // fresh weights: all come from the checkpoint
    History h = SparkTrainer.of(spark, resumed).workers(2).checkpointDir(ck)
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
    SparkTrainer.of(spark, viaArray).workers(2)
        .fit(df, "x", "y", options(1));
    Dataset<Row> columns = df.selectExpr("x[0] as a", "cast(x[1] as double) as b", "x[2] as c",
        "x[3] as d", "y");
    SparkTrainer.of(spark, viaColumns).workers(2)
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

  @Test
  void callbacksRunOnTheDriverWithValidationLogs() {
    Model model = classifier(new Adam(0.01));
    // min_delta larger than any improvement: stops after patience + 1 epochs
    History h = SparkTrainer.of(spark, model).workers(2).fit(df, "x", "y",
        options(10).callbacks(new io.sparkeras.api.callbacks.EarlyStopping("val_loss", 1)
            .minDelta(10)), df);
    assertEquals(List.of(0, 1), h.epochs());
    assertTrue(h.history().containsKey("val_accuracy"), h.toString());
  }

  @Test
  void aucPrecisionRecallAreComputedOverAllPartitions() {
    Model model = new Sequential(Input.of(FEATURES), new Dense(1).activation("sigmoid"));
    model.compile(new Adam(0.01), Losses.binaryCrossentropy(),
        io.sparkeras.api.metrics.Metrics.auc(), io.sparkeras.api.metrics.Metrics.precision(),
        io.sparkeras.api.metrics.Metrics.recall());
    float[] yf = new float[ROWS];
    for (int i = 0; i < ROWS; i++) {
      yf[i] = x[i][0] + 0.3f * x[i][1] > 0 ? 1 : 0;
    }
    Map<String, Double> local = model.evaluate(List.of(NDArray.of(flat(x), ROWS, FEATURES)),
        List.of(NDArray.of(yf, ROWS, 1)), ROWS); // one batch: the api's BCE target check
    // reads a row view's whole backing array, so a local batch smaller than ROWS would fail
    Dataset<Row> binary = df.selectExpr("x", "cast(x[0] + 0.3 * x[1] > 0 as int) as t")
        .repartition(3);
    // batch 16 over 3 partitions of 20: every partition ends with a partial batch
    Map<String, Double> dist = SparkTrainer.of(spark, model).scoringBatchSize(16)
        .evaluate(binary, "x", "t");
    assertEquals(local.keySet(), dist.keySet());
    for (String k : local.keySet()) {
      assertEquals(local.get(k), dist.get(k), 1e-6, k);
    }
  }
}
