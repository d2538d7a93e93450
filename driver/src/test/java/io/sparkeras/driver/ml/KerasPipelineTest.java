package io.sparkeras.driver.ml;

import static org.junit.jupiter.api.Assertions.*;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.data.Columns;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.optimizers.Adam;
import io.sparkeras.api.utils.FeatureSpace;
import io.sparkeras.driver.preprocessing.SparkAdapt;
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
import org.apache.spark.ml.feature.SQLTransformer;
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
 * in a new session (the first one is stopped), identical predictions; a FeatureSpace model fit
 * and scored on raw string, integer and float columns ({@code inputCols}); params round-trip;
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
  static final String[] JOBS = {"Clerk", "ENGINEER", "nurse", "Pilot", "chef", "driver"};
  static final StructType RAW = StructType.fromDDL(
      "id bigint, age float, job_raw string, kids bigint, label int");

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
        .setScoringBatchSize(64).setVerbose(2).setShuffle(false).setSampleWeightCol("w")
        .setClassWeight("0=1,2=2.5");
    String path = dir.resolve("est").toUri().toString();
    e.save(path);
    KerasEstimator back = KerasEstimator.load(path);
    assertEquals(e.uid(), back.uid());
    assertEquals(e.extractParamMap().toString(), back.extractParamMap().toString());
    for (ParamPair<?> p : e.extractParamMap().toList()) {
      assertEquals(p.value(), back.getOrDefault(back.getParam(p.param().name())),
          p.param().name());
    }
    assertEquals(17, back.params().length, Arrays.toString(back.params()));
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
    bad = assertThrows(IllegalArgumentException.class, () -> e.setClassWeight("0=heavy"));
    assertEquals("classWeight: expected class=weight pairs, e.g. 0=1,1=5, found '0=heavy'",
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

  /**
   * Raw rows with a known rule: engineers and pilots over 40, and anyone without kids, are
   * class 1. The job is spelt in mixed case (a SQLTransformer lower-cases it in the pipeline).
   */
  static Dataset<Row> rawFrame(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float age = 18 + r.nextInt(50);
      String job = JOBS[r.nextInt(JOBS.length)];
      long kids = r.nextInt(4);
      String lower = job.toLowerCase(java.util.Locale.ROOT);
      boolean senior = (lower.equals("engineer") || lower.equals("pilot")) && age > 40;
      out.add(RowFactory.create((long) i, age, job, kids, senior || kids == 0 ? 1 : 0));
    }
    return spark.createDataFrame(out, RAW);
  }

  static final SQLTransformer LOWER_JOB = new SQLTransformer()
      .setStatement("SELECT *, lower(job_raw) AS job FROM __THIS__");

  /** A FeatureSpace on age, job and kids adapted over {@code train}, and a classifier on it. */
  static Model rawClassifier(Dataset<Row> train) {
    FeatureSpace fs = SparkAdapt.adapt(FeatureSpace.builder()
        .feature("age", FeatureSpace.floatNormalized())
        .feature("job", FeatureSpace.stringCategorical())
        .feature("kids", FeatureSpace.integerCategorical())
        .outputMode("concat").build(), LOWER_JOB.transform(train));
    Model m = new Model(fs.inputList(), List.of(new Dense(2).activation("softmax")
        .apply(new Dense(16).activation("relu").apply(fs.encodedFeatures()))));
    m.compile(new Adam(0.02), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
    return m;
  }

  @Test
  void rawColumnsFitAndTransformThroughAPipelineAndItsSavedCopy(@TempDir Path dir)
      throws Exception {
    Dataset<Row> train = rawFrame(800, 7).repartition(2).cache();
    Dataset<Row> test = rawFrame(300, 8).cache();
    KerasEstimator keras = new KerasEstimator(rawClassifier(train))
        .setInputCols("age", "job", "kids").setEpochs(10).setBatchSize(32).setWorkers(2);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {LOWER_JOB, keras});
    PipelineModel fitted = pipeline.fit(train);
    KerasModel stage = (KerasModel) fitted.stages()[1];
    assertArrayEquals(new String[] {"age", "job", "kids"}, stage.getInputCols());
    List<Double> loss = stage.history().get("loss");
    assertTrue(loss.get(loss.size() - 1) < loss.get(0), "training loss went down: " + loss);

    Dataset<Row> scored = fitted.transform(test);
    assertEquals("array<float>", scored.schema().apply("prediction").dataType().simpleString());
    List<Row> before = scored.select("id", "age", "job", "kids", "label", "prediction")
        .orderBy("id").collectAsList();
    int n = before.size();
    int right = 0;
    int positives = 0;
    float[] age = new float[n];
    String[] job = new String[n];
    long[] kids = new long[n];
    float[] distributed = new float[2 * n];
    for (int i = 0; i < n; i++) {
      Row r = before.get(i);
      age[i] = r.getFloat(1);
      job[i] = r.getString(2);
      kids[i] = r.getLong(3);
      List<Float> p = r.getList(5);
      distributed[2 * i] = p.get(0);
      distributed[2 * i + 1] = p.get(1);
      right += (p.get(1) > p.get(0) ? 1 : 0) == r.getInt(4) ? 1 : 0;
      positives += r.getInt(4);
    }
    double accuracy = right / (double) n;
    double majority = Math.max(positives, n - positives) / (double) n;
    assertTrue(accuracy > 0.85 && accuracy > majority + 0.15, "accuracy " + accuracy
        + " vs majority class " + majority + ", history " + stage.history());
    NDArray local = stage.model().predict(Columns.of("age", age).with("job", job)
        .with("kids", kids));
    assertArrayEquals(distributed, local.toArray(), 1e-5f,
        "the executors scored raw rows as the trained model does locally");

    String path = dir.resolve("raw").toUri().toString();
    fitted.write().save(path);
    PipelineModel loaded = PipelineModel.load(path);
    KerasModel loadedStage = (KerasModel) loaded.stages()[1];
    assertArrayEquals(stage.getInputCols(), loadedStage.getInputCols());
    List<Row> after = loaded.transform(test).select("id", "prediction").orderBy("id")
        .collectAsList();
    for (int i = 0; i < n; i++) {
      assertEquals(before.get(i).getList(5), after.get(i).getList(1), "row " + i);
    }
  }

  @Test
  void inputColsErrorsNameTheColumn() {
    Dataset<Row> raw = LOWER_JOB.transform(rawFrame(60, 9));
    Model net = rawClassifier(rawFrame(60, 9));
    KerasEstimator e = new KerasEstimator(net);
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> e.transformSchema(raw.schema()));
    assertTrue(bad.getMessage().contains("features column 'features' does not exist")
        && bad.getMessage().contains("raw inputs [age, job, kids]: give their columns with "
        + "setInputCols"), bad.getMessage());
    bad = assertThrows(IllegalArgumentException.class,
        () -> e.setInputCols("age", "job", "kidz").transformSchema(raw.schema()));
    assertTrue(bad.getMessage().contains("KerasEstimator " + e.uid() + ": input column 'kidz' "
        + "does not exist"), bad.getMessage());
    bad = assertThrows(IllegalArgumentException.class,
        () -> e.setInputCols("age", "job").transformSchema(raw.schema()));
    assertTrue(bad.getMessage().contains("the model's input 'kids' needs a column 'kids'"),
        bad.getMessage());
    Dataset<Row> numericJob = raw.withColumn("job", raw.col("kids"));
    bad = assertThrows(IllegalArgumentException.class,
        () -> e.setInputCols("age", "job", "kids").transformSchema(numericJob.schema()));
    assertTrue(bad.getMessage().contains("input 'job' takes strings"), bad.getMessage());
    assertEquals("array<float>", e.transformSchema(raw.schema()).apply("prediction").dataType()
        .simpleString());
    bad = assertThrows(IllegalArgumentException.class, () -> e.setInputCols());
    assertTrue(bad.getMessage().startsWith("inputCols: expected at least one column name"),
        bad.getMessage());
    bad = assertThrows(IllegalArgumentException.class, () -> e.setInputCols("age", "age"));
    assertTrue(bad.getMessage().startsWith("inputCols: column 'age' is given twice"),
        bad.getMessage());

    KerasModel plain = KerasModel.of(classifier()).setInputCols("a", "b");
    bad = assertThrows(IllegalArgumentException.class, () -> plain.transform(frame()));
    assertTrue(bad.getMessage().contains("model '" + plain.model().getName() + "' has none and "
        + "takes one features column (setFeaturesCol)"), bad.getMessage());
    KerasModel scorer = KerasModel.of(net).setInputCols("age", "job", "kids");
    bad = assertThrows(IllegalArgumentException.class,
        () -> scorer.transform(rawFrame(5, 1)));
    assertTrue(bad.getMessage().contains("KerasModel " + scorer.uid() + ": input column 'job' "
        + "does not exist"), bad.getMessage());
  }
}
