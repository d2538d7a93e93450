package io.sparkeras.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.layers.merging.Concatenate;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.models.CompileOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.optimizers.Adam;
import io.sparkeras.api.models.Sequential;
import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs end to end on a real in-process HDFS (MiniDFSCluster) and a real local[2] Spark:
 * partitioned Parquet → train → evaluate → predict to a Delta table → read back; and inputs
 * that must be refused with a clear message, a non-zero exit code and nothing written.
 */
@Timeout(600)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JobsHdfsTest {
  static final int FEATURES = 6;
  static final int CLASSES = 3;

  @TempDir
  static Path base;
  static MiniDFSCluster hdfs;
  static FileSystem fs;
  static SparkSession spark;
  static String root;

  @BeforeAll
  static void start() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, new File(base.toFile(), "dfs").getPath());
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    hdfs.waitActive();
    fs = FileSystem.get(hdfs.getURI(), hdfs.getConfiguration(0));
    root = hdfs.getURI().toString();
    spark = SparkSession.builder().master("local[2]").appName("JobsHdfsTest")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.warehouse.dir", base.resolve("warehouse").toString())
        .config("spark.sql.extensions", Main.DELTA_EXTENSION)
        .config("spark.sql.catalog.spark_catalog", Main.DELTA_CATALOG)
        // Delta replays its log with 50 partitions by default: slow for tiny tables on 2 cores
        .config("spark.databricks.delta.snapshotPartitions", "2")
        .getOrCreate();
    // partitioned Parquet (bucket=0/1/2) on HDFS: train and test splits of 3 separable classes
    data(600, 1).write().partitionBy("bucket").parquet(root + "/lake/train");
    data(150, 2).write().partitionBy("bucket").parquet(root + "/lake/test");
    String json = new Sequential(Input.of(FEATURES), new Dense(16).activation("relu"),
        new Dense(CLASSES).activation("softmax")).toJson();
    try (OutputStream o = fs.create(new org.apache.hadoop.fs.Path("/models/mlp.json"))) {
      o.write(json.getBytes(StandardCharsets.UTF_8));
    }
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
    if (hdfs != null) {
      hdfs.shutdown(true);
    }
  }

  /** Rows id, features (array<float>), label (int), bucket; class c's features centre on c. */
  static Dataset<Row> data(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int label = r.nextInt(CLASSES);
      float[] x = new float[FEATURES];
      for (int j = 0; j < FEATURES; j++) {
        x[j] = (float) ((j % CLASSES == label ? 1.0 : 0.0) + r.nextGaussian() * 0.8);
      }
      rows.add(RowFactory.create(seed * 100_000 + i, x, label, i % 3, "row" + i));
    }
    StructType schema = new StructType()
        .add("id", DataTypes.LongType, false)
        .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
        .add("label", DataTypes.IntegerType, false)
        .add("bucket", DataTypes.IntegerType, false)
        .add("name", DataTypes.StringType, false);
    return spark.createDataFrame(rows, schema).repartition(3);
  }

  static boolean exists(String path) throws Exception {
    return fs.exists(new org.apache.hadoop.fs.Path(path));
  }

  @Test
  @Order(1)
  void trainEvaluatePredictToDelta() throws Exception {
    String model = root + "/models/mlp.keras";
    JobRun train = JobRun.of("train", "--model", root + "/models/mlp.json",
        "--input", root + "/lake/train", "--features", "features", "--label", "label",
        "--epochs", "4", "--batch-size", "32", "--workers", "2", "--mode", "sync",
        "--optimizer", "adam", "--learning-rate", "0.02", "--loss",
        "sparse_categorical_crossentropy", "--metrics", "accuracy", "--seed", "7",
        "--validation", root + "/lake/test", "--output", model);
    assertEquals(0, train.exitCode, train.err);
    assertEquals("train", train.json.get("command").asText());
    double valAccuracy = train.json.get("metrics").get("accuracy").asDouble();
    assertTrue(valAccuracy > 0.75 && valAccuracy < 1, "validation accuracy " + valAccuracy);
    assertTrue(train.json.get("metrics").has("loss"));
    assertEquals(4, train.json.get("epochs").asInt());
    assertTrue(train.json.get("seconds").asDouble() > 0);
    assertTrue(exists(model));

    JobRun eval = JobRun.of("evaluate", "--model", model, "--input", root + "/lake/test",
        "--features", "features", "--label", "label");
    assertEquals(0, eval.exitCode, eval.err);
    double evalAccuracy = eval.json.get("metrics").get("accuracy").asDouble();
    assertEquals(valAccuracy, evalAccuracy, 1e-6, "evaluate = train's last validation");

    String scores = root + "/lake/scores";
    JobRun predict = JobRun.of("predict", "--model", model, "--input", root + "/lake/test",
        "--features", "features", "--keep", "id,label", "--output", scores,
        "--output-format", "delta");
    assertEquals(0, predict.exitCode, predict.err);
    assertEquals(150, predict.json.get("rows").asLong());
    assertEquals(scores, predict.json.get("output").asText());

    Dataset<Row> out = spark.read().format("delta").load(scores);
    assertEquals(List.of("id", "label", "prediction", "predicted_class"), List.of(out.columns()));
    Dataset<Row> in = spark.read().parquet(root + "/lake/test");
    assertEquals(150, out.count());
    assertEquals(0, in.select("id").except(out.select("id")).count(), "every id scored");
    assertEquals(150, out.select("id").distinct().count(), "each id once");
    double predictedAccuracy = out.filter("predicted_class = label").count() / 150.0;
    assertEquals(evalAccuracy, predictedAccuracy, 1e-6, "the table's accuracy = evaluate's");

    // an existing output without --mode overwrite: refused before any job, nothing written
    JobRun again = JobRun.of("predict", "--model", model, "--input", root + "/lake/test",
        "--features", "features", "--output", scores, "--output-format", "delta");
    assertEquals(2, again.exitCode);
    assertTrue(again.error().contains("--output") && again.error().contains("--mode overwrite"),
        again.error());
    assertEquals(1, spark.sql("DESCRIBE HISTORY delta.`" + scores + "`").count());

    // overwrite: a second Delta version; time travel still reads the first
    JobRun over = JobRun.of("predict", "--model", model, "--input", root + "/lake/train",
        "--features", "features", "--keep", "id", "--output", scores, "--output-format", "delta",
        "--mode", "overwrite");
    assertEquals(0, over.exitCode, over.err);
    assertEquals(600, over.json.get("rows").asLong());
    List<Row> history = spark.sql("DESCRIBE HISTORY delta.`" + scores + "`")
        .orderBy("version").collectAsList();
    assertEquals(2, history.size(), "one version per write");
    assertEquals(0L, history.get(0).getLong(history.get(0).fieldIndex("version")));
    assertEquals(600, spark.read().format("delta").load(scores).count());
    assertEquals(150, spark.read().format("delta").option("versionAsOf", 0).load(scores).count());
  }

  @Test
  @Order(2)
  void missingFeatureColumnIsRefused() throws Exception {
    String out = root + "/out/missing.keras";
    JobRun r = JobRun.of("train", "--model", root + "/models/mlp.json",
        "--input", root + "/lake/train", "--features", "pixels", "--label", "label",
        "--loss", "sparse_categorical_crossentropy", "--output", out);
    assertEquals(2, r.exitCode);
    assertTrue(r.error().contains("--features") && r.error().contains("'pixels'")
        && r.error().contains("columns: "), r.error());
    assertFalse(exists(out));
  }

  @Test
  @Order(3)
  void wrongFeatureTypeIsRefused() throws Exception {
    String out = root + "/out/wrongtype.keras";
    JobRun r = JobRun.of("train", "--model", root + "/models/mlp.json",
        "--input", root + "/lake/train", "--features", "name", "--label", "label",
        "--loss", "sparse_categorical_crossentropy", "--output", out);
    assertEquals(2, r.exitCode);
    assertTrue(r.error().contains("'name'"), r.error());
    assertFalse(exists(out));

    JobRun several = JobRun.of("evaluate", "--model", root + "/models/mlp.keras",
        "--input", root + "/lake/test", "--features", "id,name", "--label", "label");
    assertEquals(2, several.exitCode);
    assertTrue(several.error().contains("column 'name'") && several.error().contains("numeric"),
        several.error());
  }

  @Test
  @Order(4)
  void unreadableInputIsRefused() throws Exception {
    String out = root + "/lake/never";
    JobRun r = JobRun.of("predict", "--model", root + "/models/mlp.keras",
        "--input", root + "/lake/no-such-table", "--features", "features", "--output", out);
    assertEquals(2, r.exitCode);
    assertTrue(r.error().startsWith("--input: cannot read '" + root + "/lake/no-such-table'"),
        r.error());
    assertFalse(exists(out));

    JobRun badModel = JobRun.of("predict", "--model", root + "/models/none.keras",
        "--input", root + "/lake/test", "--features", "features", "--output", out);
    assertEquals(2, badModel.exitCode);
    assertTrue(badModel.error().startsWith("--model: "), badModel.error());
    assertFalse(exists(out));
  }

  @Test
  @Order(5)
  void badModeIsRefusedBeforeAnyJob() throws Exception {
    String out = root + "/lake/never2";
    long jobsBefore = spark.sparkContext().statusTracker().getJobIdsForGroup(null).length;
    JobRun r = JobRun.of("predict", "--model", root + "/models/mlp.keras",
        "--input", root + "/lake/test", "--features", "features", "--output", out,
        "--mode", "replace");
    assertEquals(2, r.exitCode);
    assertTrue(r.error().contains("--mode") && r.error().contains("'replace'"), r.error());
    assertEquals(jobsBefore, spark.sparkContext().statusTracker().getJobIdsForGroup(null).length);
    assertFalse(exists(out));
    JsonNode json = r.json;
    assertEquals("predict", json.get("command").asText());
    assertEquals(2, json.get("exit_code").asInt());
  }

  /**
   * A compiled model with two inputs and two outputs: train maps the columns by name and weighs
   * the rows by a column, evaluate reports each output's loss, predict writes one column per
   * output.
   */
  @Test
  @Order(6)
  void twoInputsAndTwoOutputsByName() throws Exception {
    data(300, 3).selectExpr("id", "slice(features, 1, 4) as img", "slice(features, 5, 2) as meta",
        "label", "features[0] - features[5] as target", "0.5 + bucket as weight")
        .write().parquet(root + "/lake/heads");
    KerasTensor image = Input.named("image", 4);
    KerasTensor meta = Input.named("meta", 2);
    KerasTensor h = new Dense(8).activation("relu").apply(new Concatenate().apply(image, meta));
    Model heads = new Model(List.of(image, meta), List.of(
        new Dense(CLASSES).activation("softmax").name("cls").apply(h),
        new Dense(1).name("reg").apply(h)));
    heads.compile(new Adam(0.02), CompileOptions
        .losses(Map.of("cls", Losses.sparseCategoricalCrossentropy(), "reg", Losses.mse()))
        .lossWeights(Map.of("reg", 0.5)).weightedMetrics(Map.of("cls",
            List.of(Metrics.accuracy()))));
    heads.save(root + "/models/heads.keras");
    String trained = root + "/models/heads-trained.keras";
    JobRun train = JobRun.of("train", "--model", root + "/models/heads.keras",
        "--input", root + "/lake/heads", "--features", "image=img,meta=meta",
        "--label", "cls=label,reg=target", "--sample-weight", "weight", "--epochs", "2",
        "--batch-size", "32", "--workers", "2", "--seed", "7", "--output", trained);
    assertEquals(0, train.exitCode, train.err);
    // the weighted metric keeps its name when no unweighted one collides (as in Keras)
    for (String k : List.of("loss", "cls_loss", "reg_loss", "cls_accuracy")) {
      assertTrue(train.json.get("metrics").has(k), k + " in " + train.out);
    }
    JobRun eval = JobRun.of("evaluate", "--model", trained, "--input", root + "/lake/heads",
        "--features", "image=img,meta=meta", "--label", "cls=label,reg=target");
    assertEquals(0, eval.exitCode, eval.err);
    JobRun weighted = JobRun.of("evaluate", "--model", trained, "--input", root + "/lake/heads",
        "--features", "image=img,meta=meta", "--label", "cls=label,reg=target",
        "--sample-weight", "weight");
    assertEquals(0, weighted.exitCode, weighted.err);
    for (String k : List.of("loss", "cls_loss", "reg_loss", "cls_accuracy")) {
      assertTrue(eval.json.get("metrics").has(k), k + " in " + eval.out);
    }
    // rows weigh 0.5, 1.5 or 2.5 by bucket: the weighted loss is another number
    double plain = eval.json.get("metrics").get("loss").asDouble();
    double byWeight = weighted.json.get("metrics").get("loss").asDouble();
    assertTrue(Math.abs(plain - byWeight) > 1e-4, plain + " vs " + byWeight);
    String scores = root + "/lake/heads-scores";
    JobRun predict = JobRun.of("predict", "--model", trained, "--input", root + "/lake/heads",
        "--features", "image=img,meta=meta", "--keep", "id", "--output", scores);
    assertEquals(0, predict.exitCode, predict.err);
    Dataset<Row> out = spark.read().parquet(scores);
    assertEquals(List.of("id", "prediction_cls", "prediction_reg"), List.of(out.columns()));
    assertEquals(300, out.count());
    JobRun missing = JobRun.of("train", "--model", root + "/models/heads.keras",
        "--input", root + "/lake/heads", "--features", "image=img", "--label",
        "cls=label,reg=target", "--output", root + "/models/never.keras");
    assertEquals(2, missing.exitCode, missing.out);
    assertTrue(missing.error().contains("no column for input 'meta'"), missing.error());
    assertFalse(exists(root + "/models/never.keras"));
  }

  /**
   * tune over a JSON space on HDFS: 3 trials, 2 at a time, each on one shard of the Parquet
   * table; its state, the best model and the plot on HDFS; the best model scores what its trial
   * reported; run again with the same directory it resumes a finished search and trains nothing.
   */
  @Test
  @Order(7)
  void tuneSearchesSavesTheBestModelAndResumes() throws Exception {
    String space = root + "/spaces/mlp.json";
    try (OutputStream o = fs.create(new org.apache.hadoop.fs.Path(space))) {
      o.write(("{\"model\": {\"class_name\": \"Sequential\", \"config\": {\"layers\": ["
          + "{\"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": [null, 6]}},"
          + "{\"class_name\": \"Dense\", \"config\": {\"units\": {\"hp\": \"Choice\","
          + " \"name\": \"units\", \"values\": [8, 16]}, \"activation\": \"relu\"}},"
          + "{\"class_name\": \"Dense\", \"config\": {\"units\": 3, \"activation\":"
          + " \"softmax\"}}]}},"
          + " \"learning_rate\": {\"hp\": \"Choice\", \"name\": \"lr\", \"values\":"
          + " [0.01, 0.03]}, \"loss\": \"sparse_categorical_crossentropy\","
          + " \"metrics\": [\"accuracy\"]}").getBytes(StandardCharsets.UTF_8));
    }
    String dir = root + "/tune/mlp";
    String best = root + "/models/tuned.keras";
    String[] args = {"tune", "--space", space, "--input", root + "/lake/train", "--features",
        "features", "--label", "label", "--validation", root + "/lake/test", "--objective",
        "val_accuracy", "--max-trials", "3", "--epochs", "3", "--batch-size", "16",
        "--parallel-trials", "2", "--directory", dir, "--output", best, "--plot",
        dir + "/search.png"};
    JobRun tune = JobRun.of(args);
    assertEquals(0, tune.exitCode, tune.err);
    assertEquals("tune", tune.json.get("command").asText());
    assertEquals(3, tune.json.get("trials").get("completed").asInt(), tune.json.toString());
    assertEquals(3, tune.json.get("trials").get("total").asInt());
    assertEquals("val_accuracy", tune.json.get("objective").asText());
    double bestValue = tune.json.get("best_value").asDouble();
    assertTrue(bestValue > 0.6, "best val_accuracy " + bestValue);
    assertTrue(List.of(8, 16).contains(
        tune.json.get("best_hyperparameters").get("units").asInt()), tune.json.toString());
    assertEquals(3, tune.err.lines().filter(l -> l.startsWith("Trial ")).count(), tune.err);
    String bestTrial = tune.json.get("best_trial").asText();
    for (String f : List.of(best, dir + "/oracle.json", dir + "/search.png",
        dir + "/trial_" + bestTrial + "/checkpoint.keras")) {
      assertTrue(exists(f), f);
    }
    JobRun eval = JobRun.of("evaluate", "--model", best, "--input", root + "/lake/test",
        "--features", "features", "--label", "label");
    assertEquals(0, eval.exitCode, eval.err);
    assertEquals(bestValue, eval.json.get("metrics").get("accuracy").asDouble(), 1e-6,
        "the saved model is the best trial at its best epoch");

    JobRun again = JobRun.of(args);
    assertEquals(0, again.exitCode, again.err);
    assertEquals(0, again.err.lines().filter(l -> l.startsWith("Trial ")).count(), again.err);
    assertEquals(3, again.json.get("trials").get("total").asInt());
    assertEquals(bestTrial, again.json.get("best_trial").asText());
  }
}
