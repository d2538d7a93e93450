package io.sparkeras.jobs;

import io.sparkeras.api.callbacks.EarlyStopping;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.tuner.JsonHyperModel;
import io.sparkeras.api.tuner.Objective;
import io.sparkeras.api.tuner.Trial;
import io.sparkeras.api.tuner.TrialStatus;
import io.sparkeras.driver.tuner.SearchOptions;
import io.sparkeras.driver.tuner.Tuner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tune}: a hyperparameter search over a JSON search space, trials as Spark tasks. */
@Command(name = "tune", mixinStandardHelpOptions = true,
    description = {"Searches hyperparameters: --space is a Keras model JSON whose values may be "
        + "hyperparameter specs ({\"hp\": \"Int\", \"name\": ..., \"min_value\": ...}), plus "
        + "optimizer, learning_rate, loss and metrics; trials run in parallel as Spark tasks; "
        + "the state in --directory resumes an interrupted search; the best model is saved to "
        + "--output. One progress line per finished trial on stderr; ends with a JSON line: "
        + "{\"command\":\"tune\",\"best_hyperparameters\":{...},\"best_value\":V,\"objective\":"
        + "...,\"trials\":{...},\"output\":...,\"seconds\":S}."})
final class TuneCommand extends JobCommand {
  @Option(names = "--space", required = true, paramLabel = "SPACE.json",
      description = "The search space document (any Hadoop path).")
  String space;

  @Mixin
  InputOptions in;

  @Option(names = "--label", required = true, paramLabel = "COL", description = "Label column.")
  String label;

  @Option(names = "--validation", paramLabel = "PATH_OR_TABLE",
      description = "Validation table (same --format, --features, --label): val_ metrics.")
  String validation;

  @Option(names = "--tuner", defaultValue = "random", paramLabel = "random|grid|hyperband|bayesian",
      description = "The search algorithm (default ${DEFAULT-VALUE}).")
  String tuner;

  @Option(names = "--objective", paramLabel = "METRIC",
      description = "Metric to optimise (default val_loss with --validation, else loss).")
  String objective;

  @Option(names = "--direction", paramLabel = "min|max",
      description = "Whether to minimise or maximise it (default: inferred from its name).")
  String direction;

  @Option(names = "--max-trials", defaultValue = "10",
      description = "Trials at most (default ${DEFAULT-VALUE}; 0: until the tuner stops).")
  int maxTrials;

  @Option(names = "--executions-per-trial", defaultValue = "1",
      description = "Training runs per trial, averaged (default ${DEFAULT-VALUE}).")
  int executions;

  @Option(names = "--epochs", defaultValue = "1", description = "Epochs per trial (default "
      + "${DEFAULT-VALUE}; Hyperband uses --max-epochs).")
  int epochs;

  @Option(names = "--max-epochs", defaultValue = "10",
      description = "Hyperband: most epochs per model (default ${DEFAULT-VALUE}).")
  int maxEpochs;

  @Option(names = "--factor", defaultValue = "3",
      description = "Hyperband: reduction factor (default ${DEFAULT-VALUE}).")
  int factor;

  @Option(names = "--batch-size", defaultValue = "32",
      description = "Batch size of each trial's fit (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--parallel-trials", defaultValue = "0",
      description = "Trials at once (default: Spark's default parallelism).")
  int parallelTrials;

  @Option(names = "--workers-per-trial", defaultValue = "0",
      description = "0 (default): a trial is one task on one shard of the data; N: a "
          + "distributed fit with N workers.")
  int workersPerTrial;

  @Option(names = "--early-stopping-patience", paramLabel = "N",
      description = "Stop a trial after N epochs without improvement of --early-stopping-monitor.")
  Integer patience;

  @Option(names = "--early-stopping-monitor", defaultValue = "val_loss",
      description = "Metric early stopping watches (default ${DEFAULT-VALUE}).")
  String monitor;

  @Option(names = "--max-retries-per-trial", defaultValue = "0",
      description = "Retries of a failed trial (default ${DEFAULT-VALUE}).")
  int maxRetries;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the search (default "
      + "${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--directory", required = true, paramLabel = "DIR",
      description = "Hadoop path for the search's state; a search there is resumed.")
  String directory;

  @Option(names = "--overwrite", description = "Start afresh even if --directory holds a search.")
  boolean overwrite;

  @Option(names = "--output", required = true, paramLabel = "MODEL_PATH",
      description = "Where the best model (its best epoch) is saved.")
  String output;

  @Option(names = "--plot", paramLabel = "PNG_PATH",
      description = "Also write a PNG of the objective per trial over time.")
  String plot;

  @Override
  String name() {
    return "tune";
  }

  @Override
  Map<String, Object> execute() throws IOException {
    for (Object[] f : new Object[][] {{"--executions-per-trial", executions}, {"--epochs", epochs},
        {"--max-epochs", maxEpochs}, {"--batch-size", batchSize}}) {
      if ((Integer) f[1] < 1) {
        throw JobException.usage(f[0] + ": expected a positive integer, found " + f[1]);
      }
    }
    JsonHyperModel hm;
    try {
      hm = JsonHyperModel.parse(read(space));
      hm.build(new io.sparkeras.api.tuner.HyperParameters());
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw JobException.usage("--space " + space + ": " + JobException.brief(e));
    }
    Objective obj = objective();
    Tuner t = tuner(hm, obj);
    SparkSession spark = spark();
    InputOptions.Input train = in.read(spark);
    InputOptions.requireColumn(train.df, "--label", label, "--input", in.input);
    InputOptions.Input val = null;
    if (validation != null) {
      val = in.read(spark, "--validation", validation);
      InputOptions.requireColumn(val.df, "--label", label, "--validation", validation);
    }
    Integer p = patience;
    String mon = monitor;
    SearchOptions options = SearchOptions.parallelTrials(parallelTrials).withEpochs(epochs)
        .batchSize(batchSize).workersPerTrial(workersPerTrial).progress(main.err)
        .callbacks(p == null ? null : () -> List.of(new EarlyStopping(mon, p)));
    try {
      t.search(spark, train.df, val == null ? null : val.df, train.featuresCol, label, options);
    } catch (IllegalArgumentException e) {
      throw JobException.usage("--features/--label: " + e.getMessage());
    }
    List<Trial> best = t.bestTrials(1);
    if (best.isEmpty()) {
      throw new JobException(JobException.FAILED, "no trial completed; see the trials' messages "
          + "in " + directory);
    }
    Model m = t.bestModels(1).get(0);
    m.save(output);
    if (plot != null) {
      t.plot(plot);
    }
    Map<String, Object> counts = new LinkedHashMap<>();
    for (TrialStatus s : List.of(TrialStatus.COMPLETED, TrialStatus.FAILED)) {
      counts.put(s.name().toLowerCase(Locale.ROOT),
          t.oracle().trials().stream().filter(x -> x.status() == s).count());
    }
    counts.put("total", t.oracle().trials().size());
    Map<String, Object> r = new LinkedHashMap<>();
    Map<String, Object> values = new LinkedHashMap<>(best.get(0).hyperparameters().values());
    r.put("best_hyperparameters", values);
    r.put("best_value", best.get(0).score());
    r.put("objective", obj.name());
    r.put("best_trial", best.get(0).id());
    r.put("trials", counts);
    r.put("directory", directory);
    r.put("output", output);
    return r;
  }

  private Objective objective() {
    String name = objective != null ? objective : validation != null ? "val_loss" : "loss";
    if (direction == null) {
      try {
        return Objective.of(name);
      } catch (IllegalArgumentException e) {
        throw JobException.usage("--objective: " + e.getMessage().replace(
            "use Objective.max or Objective.min", "give --direction min or max"));
      }
    }
    switch (direction.toLowerCase(Locale.ROOT)) {
      case "min":
        return Objective.min(name);
      case "max":
        return Objective.max(name);
      default:
        throw JobException.usage("--direction: expected min or max, found '" + direction + "'");
    }
  }

  private Tuner tuner(JsonHyperModel hm, Objective obj) {
    try {
      Tuner t;
      switch (tuner.toLowerCase(Locale.ROOT)) {
        case "random":
          t = Tuner.randomSearch(hm, obj);
          break;
        case "grid":
          t = Tuner.gridSearch(hm, obj);
          break;
        case "hyperband":
          t = Tuner.hyperband(hm, obj).maxEpochs(maxEpochs).factor(factor);
          break;
        case "bayesian":
          t = Tuner.bayesianOptimization(hm, obj);
          break;
        default:
          throw JobException.usage("--tuner: expected random, grid, hyperband or bayesian, found '"
              + tuner + "'");
      }
      return t.maxTrials(maxTrials).seed(seed).executionsPerTrial(executions)
          .maxRetriesPerTrial(maxRetries).directory(directory).overwrite(overwrite);
    } catch (IllegalArgumentException e) {
      throw JobException.usage(e.getMessage());
    }
  }

  /** Reads the space before any Spark session starts, so a bad one costs nothing. */
  private static String read(String path) {
    Path p = new Path(path);
    try {
      FileSystem fs = p.getFileSystem(new org.apache.hadoop.conf.Configuration());
      try (InputStream in = fs.open(p)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw JobException.usage("--space: cannot read " + path + ": " + e.getMessage());
    }
  }
}
