package io.sparkeras.jobs;

import io.sparkeras.api.models.Model;
import io.sparkeras.driver.SparkTrainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code predict}: score a table with a saved model and write the predictions. */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = {"Scores a table with a saved model and writes the kept columns plus "
        + "'prediction' (a float, or array<float> for several outputs) and, for several "
        + "outputs, 'predicted_class' (int, the index of the largest).",
        "Ends with a JSON line: {\"command\":\"predict\",\"rows\":N,\"output\":...,"
            + "\"seconds\":S}."})
final class PredictCommand extends JobCommand {
  /** Name of the prediction column. */
  static final String PREDICTION = "prediction";
  /** Name of the argmax column written for models with several outputs. */
  static final String PREDICTED_CLASS = "predicted_class";

  @Option(names = "--model", required = true, paramLabel = "MODEL_PATH",
      description = "A saved model (the --output of train).")
  String model;

  @Mixin
  InputOptions in;

  @Option(names = "--keep", split = ",", paramLabel = "COL",
      description = "Input columns written beside the prediction (default: every column but "
          + "the features).")
  List<String> keep;

  @Option(names = "--output", required = true, paramLabel = "PATH_OR_TABLE",
      description = "Where the predictions are written (a path or a catalog table).")
  String output;

  @Option(names = "--output-format", defaultValue = "parquet", paramLabel = "parquet|delta",
      description = "Output format (default ${DEFAULT-VALUE}).")
  String outputFormat;

  @Option(names = "--mode", defaultValue = "error", paramLabel = "overwrite|append|error",
      description = "When --output exists: replace it, add to it, or fail before any job runs "
          + "(default ${DEFAULT-VALUE}).")
  String mode;

  @Override
  String name() {
    return "predict";
  }

  @Override
  Map<String, Object> execute() {
    String format = Tables.outputFormat("--output-format", outputFormat);
    SaveMode saveMode = Tables.saveMode("--mode", mode);
    SparkSession spark = spark();
    Tables.checkOutput(spark, "--output", output, saveMode);
    Model m = ModelFiles.load("--model", model, spark.sparkContext().hadoopConfiguration(), false);
    in.raw = m.hostPlan() != null;
    InputOptions.Input input = in.read(spark);
    List<String> kept = new ArrayList<>();
    if (keep != null) {
      for (String c : keep) {
        InputOptions.requireColumn(input.df, "--keep", c, "--input", in.input);
        kept.add(c);
      }
    } else {
      for (String c : input.df.columns()) {
        if (!input.sourceColumns.contains(c) && !c.equals(InputOptions.PACKED)) {
          kept.add(c);
        }
      }
    }
    SparkTrainer trainer = SparkTrainer.of(spark, m);
    List<String> predictions = trainer.predictionColumns();
    List<String> reserved = new ArrayList<>(predictions);
    reserved.add(PREDICTED_CLASS);
    for (String name : reserved) {
      if (kept.contains(name)) {
        throw JobException.usage("--keep: column '" + name + "' of --input would clash with a "
            + "prediction column; leave it out of --keep");
      }
    }
    Dataset<Row> scored;
    try {
      scored = trainer.predict(input.df, input.columns());
    } catch (IllegalArgumentException e) {
      throw JobException.usage("--features: " + e.getMessage());
    }
    List<Column> cols = new ArrayList<>();
    for (String c : kept) {
      cols.add(functions.col(c));
    }
    for (String p : predictions) {
      cols.add(functions.col(p));
    }
    boolean several = m.outputShapes().size() == 1
        && Arrays.stream(m.outputShapes().get(0)).reduce(1, (a, b) -> a * b) > 1;
    if (several) {
      cols.add(functions.expr("CAST(array_position(" + PREDICTION + ", array_max(" + PREDICTION
          + ")) - 1 AS INT)").as(PREDICTED_CLASS));
    }
    long rows = input.df.count();
    Tables.write(scored.select(cols.toArray(new Column[0])), output, format, saveMode);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("rows", rows);
    r.put("output", output);
    r.put("format", format);
    return r;
  }
}
