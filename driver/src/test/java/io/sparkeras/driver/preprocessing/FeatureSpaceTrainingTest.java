package io.sparkeras.driver.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.data.Columns;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.models.CompileOptions;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.optimizers.Adam;
import io.sparkeras.api.utils.FeatureSpace;
import io.sparkeras.driver.SparkTrainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tabular path end to end on real local Spark: a table of raw string, integer and float
 * columns made with a known rule, a FeatureSpace adapted over the DataFrame in one Spark pass,
 * a model on its encoded features, distributed fit on the raw columns (2 workers, the embedded
 * parameter server), distributed predict and evaluate on raw rows, and the saved {@code .keras}
 * scoring the same rows locally. Accuracy must be clearly above the majority class.
 */
class FeatureSpaceTrainingTest {
  private static final String[] JOBS = {"clerk", "engineer", "nurse", "driver", "chef", "pilot"};
  private static SparkSession spark;

  @TempDir
  Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("FeatureSpaceTrainingTest")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /**
   * The rule: engineers and pilots over 40 earn more, so do people working over 45 hours in the
   * "10xxx" zips and anyone with no kids over 55; the rest do not.
   */
  private static int rule(float age, double hours, String job, String zip, long kids) {
    boolean senior = (job.equals("engineer") || job.equals("pilot")) && age > 40;
    boolean busy = hours > 45 && zip.startsWith("10");
    boolean free = kids == 0 && age > 55;
    return senior || busy || free ? 1 : 0;
  }

  static Dataset<Row> table(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float age = 18 + r.nextInt(52);
      double hours = 20 + 40 * Math.pow(r.nextDouble(), 1.5);
      String job = JOBS[r.nextInt(JOBS.length)];
      String zip = (r.nextBoolean() ? "10" : "8" + r.nextInt(10)) + (100 + r.nextInt(20));
      long kids = r.nextInt(4);
      rows.add(RowFactory.create(age, hours, job, zip, kids, rule(age, hours, job, zip, kids)));
    }
    StructType schema = new StructType()
        .add("age", DataTypes.FloatType).add("hours", DataTypes.DoubleType)
        .add("occupation", DataTypes.StringType).add("zip", DataTypes.StringType)
        .add("kids", DataTypes.LongType).add("label", DataTypes.IntegerType);
    return spark.createDataFrame(rows, schema);
  }

  private static FeatureSpace space() {
    return FeatureSpace.builder()
        .feature("age", FeatureSpace.floatNormalized())
        .feature("hours", FeatureSpace.floatDiscretized(8))
        .feature("occupation", FeatureSpace.stringCategorical())
        .feature("zip", FeatureSpace.stringHashed(64))
        .feature("kids", FeatureSpace.integerCategorical())
        .cross("occupation", "zip", 128)
        .outputMode("concat").build();
  }

  @Test
  void featureSpaceModelTrainsOnRawColumnsAndScoresRawRows() throws Exception {
    Dataset<Row> train = table(3000, 1).repartition(3).cache();
    Dataset<Row> test = table(600, 2).cache();
    FeatureSpace fs = SparkAdapt.adapt(space(), train);
    Model model = new Model(fs.inputList(), List.of(new Dense(2).activation("softmax")
        .apply(new Dense(16).activation("relu").apply(fs.encodedFeatures()))));
    model.compile(new Adam(0.02), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
    SparkTrainer trainer = SparkTrainer.of(spark, model).workers(2);
    trainer.fit(train, fs.columns(), "label", FitOptions.epochs(6).batchSize(64), null);

    double positives = test.where("label = 1").count() / (double) test.count();
    double majority = Math.max(positives, 1 - positives);
    Map<String, Double> scores = trainer.evaluate(test, fs.columns(), "label");
    double accuracy = scores.get("accuracy");
    System.out.printf("FeatureSpaceTrainingTest: test accuracy %.4f, majority class %.4f%n",
        accuracy, majority);
    assertTrue(accuracy > majority + 0.12 && accuracy > 0.85, "accuracy " + accuracy
        + " vs majority class " + majority + " (" + scores + ")");

    // distributed predict on raw rows; the same rows scored locally by the saved .keras agree
    List<Row> scored = trainer.predict(test, fs.columns()).collectAsList();
    Path file = tmp.resolve("income.keras");
    model.save("file:" + file);
    Model loaded = Model.load("file:" + file);
    int n = scored.size();
    float[] age = new float[n];
    double[] hours = new double[n];
    String[] job = new String[n];
    String[] zip = new String[n];
    long[] kids = new long[n];
    int correct = 0;
    float[] distributed = new float[2 * n];
    for (int i = 0; i < n; i++) {
      Row row = scored.get(i);
      age[i] = row.getFloat(0);
      hours[i] = row.getDouble(1);
      job[i] = row.getString(2);
      zip[i] = row.getString(3);
      kids[i] = row.getLong(4);
      List<Float> p = row.getList(6);
      distributed[2 * i] = p.get(0);
      distributed[2 * i + 1] = p.get(1);
      correct += (p.get(1) > p.get(0) ? 1 : 0) == row.getInt(5) ? 1 : 0;
    }
    assertEquals(accuracy, correct / (double) n, 1e-9, "predict agrees with evaluate");
    NDArray local = loaded.predict(Columns.of("age", age).with("hours", hours)
        .with("occupation", job).with("zip", zip).with("kids", kids));
    assertArrayEquals(distributed, local.toArray(), 1e-5f,
        "the saved model scores raw rows as the executors did");
  }

  @Test
  void rawColumnsAreCheckedAgainstTheModelInputs() {
    Dataset<Row> t = table(50, 3);
    FeatureSpace fs = SparkAdapt.adapt(space(), t);
    Model model = new Model(fs.inputList(), List.of(new Dense(2).activation("softmax")
        .apply(fs.encodedFeatures())));
    model.compile(new Adam(0.01), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
    SparkTrainer trainer = SparkTrainer.of(spark, model).workers(2);
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> trainer.predict(t, List.of("age", "hours", "occupation", "zip")));
    assertTrue(missing.getMessage().contains("input 'kids' needs a column 'kids'"),
        missing.getMessage());
    IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
        () -> trainer.predict(t.withColumn("occupation", t.col("kids")), fs.columns()));
    assertTrue(type.getMessage().contains("input 'occupation' takes strings"),
        type.getMessage());
  }

  /**
   * Raw columns combine with the rest of the batch layout: two outputs (per-output losses), a
   * sample weight column, and a raw input mapped to a column of another name by
   * {@code input=column}.
   */
  @Test
  void rawColumnsWithTwoOutputsAndSampleWeights() {
    Dataset<Row> t = table(400, 4).selectExpr("age", "hours", "occupation as job", "zip", "kids",
        "label", "cast(hours / 60 as float) as busy", "0.5 + kids as weight").cache();
    FeatureSpace fs = SparkAdapt.adapt(space(), t.withColumnRenamed("job", "occupation"));
    Dense hidden = new Dense(8).activation("relu");
    Model model = new Model(fs.inputList(), List.of(
        new Dense(2).activation("softmax").name("cls").apply(hidden.apply(fs.encodedFeatures())),
        new Dense(1).name("reg").apply(fs.encodedFeatures())));
    model.compile(new Adam(0.02), CompileOptions
        .losses(Map.of("cls", Losses.sparseCategoricalCrossentropy(), "reg", Losses.mse()))
        .metrics(Map.of("cls", List.of(Metrics.accuracy()))));
    List<String> features = List.of("age=age", "hours=hours", "occupation=job", "zip=zip",
        "kids=kids");
    SparkTrainer plain = SparkTrainer.of(spark, model).workers(2);
    plain.fit(t, features, "cls=label,reg=busy", FitOptions.epochs(1).batchSize(32), null);
    Map<String, Double> scores = plain.evaluate(t, features, "cls=label,reg=busy");
    for (String k : List.of("loss", "cls_loss", "reg_loss", "cls_accuracy")) {
      assertTrue(scores.containsKey(k), k + " in " + scores);
    }
    Map<String, Double> weighted = SparkTrainer.of(spark, model).workers(2)
        .sampleWeightCol("weight").evaluate(t, features, "cls=label,reg=busy");
    // rows weigh 0.5 to 3.5 by their kids: the weighted loss is another number
    assertTrue(Math.abs(scores.get("loss") - weighted.get("loss")) > 1e-4,
        scores + " vs " + weighted);
    Dataset<Row> scored = plain.predict(t, features);
    assertEquals(List.of("prediction_cls", "prediction_reg"), plain.predictionColumns());
    assertTrue(List.of(scored.columns()).containsAll(plain.predictionColumns()),
        List.of(scored.columns()).toString());
    assertEquals(400, scored.count());
    IllegalArgumentException unmapped = assertThrows(IllegalArgumentException.class,
        () -> plain.predict(t, List.of("age=age", "hours=hours", "zip=zip", "kids=kids")));
    assertTrue(unmapped.getMessage().contains("no column for input 'occupation'"),
        unmapped.getMessage());
    t.unpersist();
  }
}
