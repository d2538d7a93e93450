package io.sparkeras.driver.ml;

import static org.junit.jupiter.api.Assertions.*;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.optimizers.Adam;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * KerasEstimator / KerasModel in Spark ML pipelines on a real local[2] session: fit, save, load
 * in a new session (the first one is stopped), identical predictions; params round-trip;
 * schema errors.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class KerasPipelineTest {
  static final String[] INPUTS = {"a", "b", "c", "d"};
  static final int ROWS = 160;
  static SparkSession spark;
  static List<Row> rows;
  static StructType schema = StructType.fromDDL(
      "id bigint, a double, b double, c double, d double, label int, note string");

  static SparkSession session() {
    return SparkSession.builder().master("local[2]").appName("KerasPipelineTest")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
  }

  @BeforeAll
  static void start() {
    Sparkeras.setRandomSeed(5);
    SplittableRandom r = new SplittableRandom(17);
    rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      // features on different scales (so that StandardScaler matters); class = argmax of a
      // fixed linear map of the standardised values
      double a = r.nextDouble() * 2 - 1;
      double b = r.nextDouble() * 2 - 1;
      double c = r.nextDouble() * 2 - 1;
      double d = r.nextDouble() * 2 - 1;
      double[] s = {a + b, c - a, d - b};
      int label = s[0] >= s[1] && s[0] >= s[2] ? 0 : s[1] >= s[2] ? 1 : 2;
      rows.add(RowFactory.create((long) i, a * 100, b, c * 10 + 5, d, label, "row" + i));
    }
    spark = session();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  static Dataset<Row> frame() {
    return spark.createDataFrame(rows, schema);
  }

  static Model classifier() {
    Model m = new Sequential(Input.of(4), new Dense(16).activation("relu"),
        new Dense(3).activation("softmax"));
    m.compile(new Adam(0.02), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
    return m;
  }

  static VectorAssembler assembler(String... cols) {
    return new VectorAssembler().setInputCols(cols).setOutputCol("raw");
  }

  /** id -> prediction, checking that every input column was kept. */
  static Map<Long, float[]> predictions(Dataset<Row> scored) {
    assertTrue(Arrays.asList(scored.columns()).containsAll(Arrays.asList(schema.fieldNames())),
        Arrays.toString(scored.columns()));
    Map<Long, float[]> out = new HashMap<>();
    for (Row r : scored.select("id", "prediction", "note").collectAsList()) {
      List<Float> p = r.getList(1);
      float[] v = new float[p.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = p.get(i);
      }
      assertEquals("row" + r.getLong(0), r.getString(2));
      out.put(r.getLong(0), v);
    }
    assertEquals(ROWS, out.size());
    return out;
  }

  static double accuracy(Map<Long, float[]> predictions) {
    int right = 0;
    for (Row r : rows) {
      float[] p = predictions.get(r.getLong(0));
      int arg = 0;
      for (int k = 1; k < p.length; k++) {
        arg = p[k] > p[arg] ? k : arg;
      }
      right += arg == r.getInt(5) ? 1 : 0;
    }
    return right / (double) rows.size();
  }

  @Test
  void pipelinesFitSaveLoadInANewSessionAndTransformIdentically(@TempDir Path dir)
      throws Exception {
    Model net = classifier();
    float[] initial = net.getFlatWeights();
    KerasEstimator keras = new KerasEstimator(net).setFeaturesCol("raw").setEpochs(2)
        .setBatchSize(8).setWorkers(2);
    Pipeline plain = new Pipeline().setStages(new PipelineStage[] {assembler(INPUTS), keras});
    KerasEstimator scaledKeras = keras.copy(ParamMap.empty()).setFeaturesCol("scaled")
        .setEpochs(4).setValidationFraction(0.25).setSeed(3);
    Pipeline scaled = new Pipeline().setStages(new PipelineStage[] {assembler(INPUTS),
        new StandardScaler().setInputCol("raw").setOutputCol("scaled").setWithMean(true),
        scaledKeras});

    PipelineModel plainFit = plain.fit(frame());
    PipelineModel scaledFit = scaled.fit(frame());
    assertArrayEquals(initial, net.getFlatWeights(), "fit must not change the wrapped model");
    KerasModel stage = (KerasModel) scaledFit.stages()[2];
    assertSame(scaledKeras, stage.parent());
    assertEquals(scaledKeras.uid(), stage.uid());
    assertEquals("scaled", stage.getFeaturesCol());
    List<Double> loss = stage.history().get("loss");
    assertEquals(4, loss.size(), stage.history().toString());
    assertTrue(loss.get(3) < loss.get(0), "training loss went down: " + loss);
    assertEquals(4, stage.history().get("val_accuracy").size(), stage.history().toString());

    Map<Long, float[]> plainBefore = predictions(plainFit.transform(frame()));
    Map<Long, float[]> scaledBefore = predictions(scaledFit.transform(frame()));
    assertTrue(accuracy(scaledBefore) > 0.7, "accuracy " + accuracy(scaledBefore));
    String plainPath = dir.resolve("plain").toUri().toString();
    String scaledPath = dir.resolve("scaled").toUri().toString();
    plainFit.write().save(plainPath);
    scaledFit.write().save(scaledPath);
    plain.write().save(dir.resolve("unfitted").toUri().toString());
    // a second save to an existing path fails (no overwrite) and leaves the first intact
    assertThrows(java.io.IOException.class, () -> scaledFit.write().save(scaledPath));

    spark.stop();
    spark = session();
    Map<Long, float[]> plainAfter = predictions(PipelineModel.load(plainPath).transform(frame()));
    PipelineModel scaledLoaded = PipelineModel.load(scaledPath);
    Map<Long, float[]> scaledAfter = predictions(scaledLoaded.transform(frame()));
    for (long id = 0; id < ROWS; id++) {
      assertArrayEquals(plainBefore.get(id), plainAfter.get(id), "plain pipeline, row " + id);
      assertArrayEquals(scaledBefore.get(id), scaledAfter.get(id), "scaled pipeline, row " + id);
    }
    KerasModel loadedStage = (KerasModel) scaledLoaded.stages()[2];
    assertEquals(stage.history(), loadedStage.history());
    assertArrayEquals(stage.model().getFlatWeights(), loadedStage.model().getFlatWeights());

    // the unfitted pipeline loads with its estimator (same params, same initial weights)
    Pipeline unfitted = Pipeline.load(dir.resolve("unfitted").toUri().toString());
    KerasEstimator loadedKeras = (KerasEstimator) unfitted.getStages()[1];
    assertEquals(keras.uid(), loadedKeras.uid());
    assertEquals(2, loadedKeras.getEpochs());
    assertArrayEquals(initial, loadedKeras.model().getFlatWeights());
  }

  @Test
  void transformEqualsLocalPredictAndKeepsColumns() {
    Model net = classifier();
    float[] x = new float[ROWS * 4];
    List<Row> arrays = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      Row r = rows.get(i);
      float[] f = new float[4];
      for (int j = 0; j < 4; j++) {
        f[j] = (float) r.getDouble(1 + j) / 10;
        x[i * 4 + j] = f[j];
      }
      arrays.add(RowFactory.create((long) i, f, "row" + i));
    }
    Dataset<Row> df = spark.createDataFrame(arrays,
        StructType.fromDDL("id bigint, features array<float>, note string")).repartition(3);
    KerasModel scorer = KerasModel.of(net).setScoringBatchSize(7);
    Dataset<Row> scored = scorer.transform(df);
    assertEquals(scorer.transformSchema(df.schema()), scored.schema());
    assertEquals("array<float>", scored.schema().apply("prediction").dataType().simpleString());
    NDArray local = net.predict(NDArray.of(x, ROWS, 4));
    float[] expected = local.data();
    for (Row r : scored.select("id", "prediction", "note").collectAsList()) {
      int i = (int) r.getLong(0);
      assertEquals("row" + i, r.getString(2));
      List<Float> p = r.getList(1);
      for (int k = 0; k < 3; k++) {
        assertEquals(expected[i * 3 + k], p.get(k), 1e-6, "row " + i + " class " + k);
      }
    }
  }

  @Test
  void paramsRoundTripThroughSaveLoadAndCopy(@TempDir Path dir) throws Exception {
    KerasEstimator e = new KerasEstimator(classifier()).setFeaturesCol("f").setLabelCol("y")
        .setPredictionCol("p").setEpochs(3).setBatchSize(32).setWorkers(1).setMode("averaging")
        .setStaleness(4).setAverageEvery(5).setSeed(99).setValidationFraction(0.1)
        .setScoringBatchSize(64).setVerbose(2);
    String path = dir.resolve("est").toUri().toString();
    e.save(path);
    KerasEstimator back = KerasEstimator.load(path);
    assertEquals(e.uid(), back.uid());
    assertEquals(e.extractParamMap().toString(), back.extractParamMap().toString());
    for (ParamPair<?> p : e.extractParamMap().toList()) {
      assertEquals(p.value(), back.getOrDefault(back.getParam(p.param().name())),
          p.param().name());
    }
    assertEquals(13, back.params().length, Arrays.toString(back.params()));
    assertArrayEquals(e.model().getFlatWeights(), back.model().getFlatWeights());
    assertEquals("averaging:5", back.syncMode().toString());

    KerasEstimator copy = e.copy(new ParamMap().put(e.epochs().w(7)));
    assertEquals(7, copy.getEpochs());
    assertEquals(3, e.getEpochs());
    assertEquals("p", copy.getPredictionCol());

    KerasModel m = KerasModel.of(classifier()).setFeaturesCol("f").setPredictionCol("out")
        .setScoringBatchSize(9);
    String mp = dir.resolve("model").toUri().toString();
    m.save(mp);
    KerasModel mb = KerasModel.load(mp);
    assertEquals(m.uid(), mb.uid());
    assertEquals("f", mb.getFeaturesCol());
    assertEquals("out", mb.getPredictionCol());
    assertEquals(9, mb.getScoringBatchSize());
    assertArrayEquals(m.modelFile(), mb.modelFile());
    // a diverged fit's history (NaN) survives save / load
    KerasModel diverged = new KerasModel("kerasModel_nan", m.modelFile(),
        Map.of("loss", List.of(0.5, Double.NaN)));
    String dp = dir.resolve("diverged").toUri().toString();
    diverged.save(dp);
    assertEquals(diverged.history(), KerasModel.load(dp).history());

    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> e.setMode("ring"));
    assertTrue(bad.getMessage().startsWith("mode: expected sync, async or averaging, "
        + "found 'ring'"), bad.getMessage());
    bad = assertThrows(IllegalArgumentException.class, () -> e.setValidationFraction(1.0));
    assertTrue(bad.getMessage().startsWith("validationFraction: expected a value in [0, 1)"),
        bad.getMessage());
    bad = assertThrows(IllegalArgumentException.class, () -> m.setScoringBatchSize(0));
    assertEquals("scoringBatchSize: expected >= 1, found 0", bad.getMessage());
    Model notCompiled = new Sequential(Input.of(4), new Dense(3));
    bad = assertThrows(IllegalArgumentException.class, () -> new KerasEstimator(notCompiled));
    assertTrue(bad.getMessage().contains("must be compiled"), bad.getMessage());
  }

  @Test
  void transformSchemaErrorsNameTheColumnAndTheExpectedType() {
    KerasEstimator e = new KerasEstimator(classifier());
    StructType s = frame().schema();
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> e.transformSchema(s));
    assertTrue(bad.getMessage().contains("features column 'features' does not exist"),
        bad.getMessage());
    bad = assertThrows(IllegalArgumentException.class,
        () -> e.setFeaturesCol("note").transformSchema(s));
    assertTrue(bad.getMessage().contains("features column 'note' must be of type vector (Spark ML "
        + "VectorUDT), array<float> or array<double> with 4 values per row; found string"),
        bad.getMessage());
    Dataset<Row> three = assembler("a", "b", "c").transform(frame());
    bad = assertThrows(IllegalArgumentException.class,
        () -> e.setFeaturesCol("raw").transformSchema(three.schema()));
    assertTrue(bad.getMessage().contains("features column 'raw' holds vectors of size 3"),
        bad.getMessage());
    Dataset<Row> four = assembler(INPUTS).transform(frame());
    bad = assertThrows(IllegalArgumentException.class,
        () -> e.setLabelCol("note").transformSchema(four.schema()));
    assertTrue(bad.getMessage().contains("label column 'note' must be of type numeric"),
        bad.getMessage());
    StructType ok = e.setLabelCol("label").transformSchema(four.schema());
    assertEquals("array<float>", ok.apply("prediction").dataType().simpleString());
    bad = assertThrows(IllegalArgumentException.class,
        () -> e.setPredictionCol("note").transformSchema(four.schema()));
    assertTrue(bad.getMessage().contains("already has a column 'note'"), bad.getMessage());

    KerasModel m = KerasModel.of(classifier());
    bad = assertThrows(IllegalArgumentException.class, () -> m.transform(frame()));
    assertTrue(bad.getMessage().contains("KerasModel " + m.uid() + ": features column 'features' "
        + "does not exist"), bad.getMessage());
  }
}
