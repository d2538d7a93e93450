package io.sparkeras.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.layers.preprocessing.StringLookup;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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
 * {@code train --feature-space}: a Parquet table of raw string, integer and float columns, a
 * FeatureSpace config in Keras's short form and a Sequential head with no input shape; the job
 * adapts, trains on the raw columns and saves a model that the {@code predict} job applies to
 * raw rows.
 */
class FeatureSpaceJobTest {
  private static SparkSession spark;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("FeatureSpaceJobTest")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** label = 1 for colours "red"/"blue" with size above 5, or shape code 3; else 0. */
  private static void table(String path, int n, long seed) {
    String[] colours = {"red", "green", "blue", "black"};
    SplittableRandom r = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String colour = colours[r.nextInt(colours.length)];
      double size = r.nextDouble() * 10;
      long shape = r.nextInt(5);
      int label = (colour.equals("red") || colour.equals("blue")) && size > 5 || shape == 3
          ? 1 : 0;
      rows.add(RowFactory.create((long) i, colour, size, shape, label));
    }
    spark.createDataFrame(rows, new StructType().add("id", DataTypes.LongType)
        .add("colour", DataTypes.StringType).add("size", DataTypes.DoubleType)
        .add("shape", DataTypes.LongType).add("label", DataTypes.IntegerType))
        .repartition(2).write().parquet(path);
  }

  @Test
  void trainsOnRawColumnsAndThePredictJobScoresRawRows() throws Exception {
    String train = dir.resolve("train").toString();
    String test = dir.resolve("test").toString();
    table(train, 1200, 1);
    table(test, 300, 2);
    Path spec = dir.resolve("features.json");
    Files.writeString(spec, "{\"features\": {\"colour\": \"string_categorical\", "
        + "\"size\": \"float_normalized\", \"shape\": \"integer_categorical\"}, "
        + "\"crosses\": [[\"colour\", \"shape\"]], \"crossing_dim\": 32, "
        + "\"output_mode\": \"concat\"}");
    Path head = dir.resolve("head.json");
    Files.writeString(head, new Sequential(new Dense(16).activation("relu"),
        new Dense(2).activation("softmax")).toJson(), StandardCharsets.UTF_8);
    String out = dir.resolve("model.keras").toString();
    JobRun run = JobRun.of("train", "--model", head.toString(), "--feature-space",
        spec.toString(), "--input", train, "--features", "colour,size,shape", "--label", "label",
        "--epochs", "8", "--batch-size", "32", "--workers", "2", "--optimizer", "adam",
        "--learning-rate", "0.02", "--loss", "sparse_categorical_crossentropy",
        "--metrics", "accuracy", "--seed", "3", "--validation", test, "--output", out);
    assertEquals(0, run.exitCode, run.err);
    double accuracy = run.json.get("metrics").get("accuracy").asDouble();
    assertTrue(accuracy > 0.85, "validation accuracy " + accuracy);
    Model saved = Model.load("file:" + out);
    assertTrue(saved.layers().stream().anyMatch(l -> l instanceof StringLookup),
        "the saved model holds its preprocessing: " + saved.layers());

    String scores = dir.resolve("scores").toString();
    JobRun predict = JobRun.of("predict", "--model", out, "--input", test,
        "--features", "colour,size,shape", "--keep", "id,label", "--output", scores);
    assertEquals(0, predict.exitCode, predict.err);
    List<Row> rows = spark.read().parquet(scores).collectAsList();
    assertEquals(300, rows.size());
    long right = rows.stream().filter(r -> r.getInt(r.fieldIndex("label"))
        == r.getInt(r.fieldIndex("predicted_class"))).count();
    assertEquals(accuracy, right / 300.0, 1e-9, "the predict job scores as validation did");
  }
}
