package io.sparkeras.jobs;

import io.sparkeras.api.models.Model;
import io.sparkeras.driver.SparkTrainer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code evaluate}: a saved model's loss and metrics on a table. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = {"Evaluates a saved model's compiled loss and metrics on a table.",
        "Ends with a JSON line: {\"command\":\"evaluate\",\"metrics\":{\"loss\":...,...},"
            + "\"seconds\":S}."})
final class EvaluateCommand extends JobCommand {
  @Option(names = "--model", required = true, paramLabel = "MODEL_PATH",
      description = "A saved model (the --output of train).")
  String model;

  @Mixin
  InputOptions in;

  @Option(names = "--label", required = true, paramLabel = "COL",
      description = "Label column; a model with several outputs: OUTPUT=COL,... by output name.")
  String label;

  @Option(names = "--sample-weight", paramLabel = "COL",
      description = "Numeric column of each row's weight in the loss and weighted metrics.")
  String sampleWeight;

  @Override
  String name() {
    return "evaluate";
  }

  @Override
  Map<String, Object> execute() {
    SparkSession spark = spark();
    Model m = ModelFiles.load("--model", model, spark.sparkContext().hadoopConfiguration(), false);
    if (!m.isCompiled()) {
      throw JobException.usage("--model: '" + model + "' was saved without compile settings; "
          + "evaluate needs its loss and metrics");
    }
    in.raw = m.hostPlan() != null;
    InputOptions.Input input = in.read(spark);
    InputOptions.requireLabels(input.df, label, "--input", in.input);
    SparkTrainer trainer = SparkTrainer.of(spark, m);
    if (sampleWeight != null) {
      InputOptions.requireColumn(input.df, "--sample-weight", sampleWeight, "--input", in.input);
      trainer.sampleWeightCol(sampleWeight);
    }
    try {
      trainer.validate(input.df, input.columns(), label);
    } catch (IllegalArgumentException e) {
      throw JobException.usage("--features/--label: " + e.getMessage());
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("metrics", trainer.evaluate(input.df, input.columns(), label));
    return r;
  }
}
