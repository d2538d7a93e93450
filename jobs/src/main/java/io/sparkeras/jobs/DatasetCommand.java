package io.sparkeras.jobs;

import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.datasets.FashionMnist;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dataset fashion-mnist}: writes Fashion-MNIST as tables. */
@Command(name = "dataset", mixinStandardHelpOptions = true,
    description = {"Writes a data set as two tables, DIR/train and DIR/test, with columns id "
        + "(long), features (array<float>, 784 values in [0,1]) and label (int). Fashion-MNIST "
        + "comes from Debian's dataset-fashion-mnist package (bin/setup --data-only installs it).",
        "Ends with a JSON line: {\"command\":\"dataset\",\"output\":DIR,\"rows\":{\"train\":N,"
            + "\"test\":M},\"seconds\":S}."})
final class DatasetCommand extends JobCommand {
  /** Rows per partition of the written tables (keeps each Spark task small). */
  static final int ROWS_PER_PARTITION = 5000;
  /** Schema of the written tables. */
  static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.LongType, false)
      .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      .add("label", DataTypes.IntegerType, false);

  @Parameters(index = "0", paramLabel = "NAME", description = "fashion-mnist")
  String dataset;

  @Option(names = "--output", required = true, paramLabel = "DIR",
      description = "Directory (Hadoop path) that gets train/ and test/.")
  String output;

  @Option(names = "--format", defaultValue = "parquet", paramLabel = "parquet|delta",
      description = "Table format (default ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--mode", defaultValue = "error", paramLabel = "overwrite|error",
      description = "When DIR/train or DIR/test exists: replace it or fail (default ${DEFAULT-VALUE}).")
  String mode;

  @Option(names = "--limit", paramLabel = "N",
      description = "Write only the first N rows of each split (small test sets).")
  Integer limit;

  @Override
  String name() {
    return "dataset";
  }

  @Override
  Map<String, Object> execute() throws IOException {
    if (!dataset.equals("fashion-mnist")) {
      throw JobException.usage("dataset: expected 'fashion-mnist', found '" + dataset + "'");
    }
    String f = Tables.outputFormat("--format", format);
    SaveMode saveMode = Tables.saveMode("--mode", mode);
    if (saveMode == SaveMode.Append) {
      throw JobException.usage("--mode: expected overwrite or error, found 'append'");
    }
    if (limit != null && limit <= 0) {
      throw JobException.usage("--limit: expected a positive integer, found " + limit);
    }
    if (!Tables.isPath(output)) {
      throw JobException.usage("--output: expected a directory path, found '" + output + "'");
    }
    if (!FashionMnist.isAvailable()) {
      throw JobException.usage("dataset fashion-mnist: the files are not in "
          + FashionMnist.directory() + "; install Debian's dataset-fashion-mnist package "
          + "(bin/setup --data-only) or set -D" + FashionMnist.DIR_PROP_NAME);
    }
    SparkSession spark = spark();
    String base = output.endsWith("/") ? output.substring(0, output.length() - 1) : output;
    String trainPath = base + "/train";
    String testPath = base + "/test";
    Tables.checkOutput(spark, "--output", trainPath, saveMode);
    Tables.checkOutput(spark, "--output", testPath, saveMode);
    FashionMnist.Data d = FashionMnist.load();
    Map<String, Object> rows = new LinkedHashMap<>();
    rows.put("train", write(spark, d.xTrain(), d.yTrain(), trainPath, f, saveMode));
    rows.put("test", write(spark, d.xTest(), d.yTest(), testPath, f, saveMode));
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("output", base);
    r.put("format", f);
    r.put("rows", rows);
    return r;
  }

  private long write(SparkSession spark, NDArray x, NDArray y, String path, String f,
      SaveMode mode) {
    int n = limit == null ? x.length() : Math.min(limit, x.length());
    int width = x.sampleSize();
    float[] data = x.data();
    float[] labels = y.data();
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[] features = new float[width];
      System.arraycopy(data, x.offset() + i * width, features, 0, width);
      rows.add(RowFactory.create((long) i, features, (int) labels[y.offset() + i]));
    }
    int slices = Math.max(1, (n + ROWS_PER_PARTITION - 1) / ROWS_PER_PARTITION);
    Dataset<Row> df = spark.createDataFrame(
        JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, slices), SCHEMA);
    Tables.write(df, path, f, mode);
    return n;
  }
}
