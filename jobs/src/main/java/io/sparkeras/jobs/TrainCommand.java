package io.sparkeras.jobs;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.callbacks.Callback;
import io.sparkeras.api.callbacks.History;
import io.sparkeras.api.losses.Loss;
import io.sparkeras.api.metrics.Metric;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.optimizers.Optimizer;
import io.sparkeras.api.utils.FeatureSpace;
import io.sparkeras.driver.SparkTrainer;
import io.sparkeras.driver.TrainerSettings;
import io.sparkeras.driver.TrainerSettings.Via;
import io.sparkeras.ps.SyncMode;
import io.sparkeras.ps.TrainingMode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code train}: fit a model on a table with SparkTrainer and save it. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Trains a model on a table with data-parallel workers and saves it to --output.",
        "Ends with a JSON line: {\"command\":\"train\",\"metrics\":{...},\"train_metrics\":{...},"
            + "\"epochs\":N,\"output\":...,\"seconds\":S}; \"metrics\" are the --validation "
            + "set's after the last epoch, else the last epoch's training averages."})
final class TrainCommand extends JobCommand {
  @Option(names = "--model", required = true, paramLabel = "MODEL.json|SAVED_MODEL",
      description = "Keras model.to_json() document (new weights) or a saved model (continues "
          + "from its weights and compile settings).")
  String model;

  @Mixin
  InputOptions in;

  @Option(names = "--feature-space", paramLabel = "SPEC.json",
      description = "Keras FeatureSpace config: adapted over --input in one Spark pass, --model's "
          + "layers (a Sequential document) stacked on its encoded features; --features are the "
          + "raw columns, one per feature.")
  String featureSpace;

  @Option(names = "--label", required = true, paramLabel = "COL",
      description = "Label column; a model with several outputs: OUTPUT=COL,... by output name.")
  String label;

  @Option(names = "--sample-weight", paramLabel = "COL",
      description = "Numeric column of each row's weight in the loss and weighted metrics.")
  String sampleWeight;

  @Option(names = "--class-weight", paramLabel = "CLASS=W,...",
      description = "Each row weighs its class's weight (one output), e.g. 0=1,1=5.")
  String classWeight;

  // defaults and meanings: the settings table (TrainerSettings, docs/configuration.md)

  @Option(names = "--epochs", defaultValue = "" + TrainerSettings.EPOCHS_DEFAULT,
      description = "Epochs (default ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "" + TrainerSettings.BATCH_SIZE_DEFAULT,
      description = "Global batch size, a multiple of --workers in sync mode (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--workers", defaultValue = "" + TrainerSettings.WORKERS_DEFAULT,
      description = "Data-parallel workers, one barrier task each (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--mode", defaultValue = TrainerSettings.MODE_DEFAULT,
      paramLabel = "sync|async|averaging",
      description = "How workers synchronise (default ${DEFAULT-VALUE}; async:S and averaging:K "
          + "also set the number).")
  String mode;

  @Option(names = "--staleness", paramLabel = "S",
      description = "Async mode: pushes a worker may run ahead of the slowest (default "
          + TrainerSettings.STALENESS_DEFAULT + ").")
  Integer staleness;

  @Option(names = "--average-every", paramLabel = "K",
      description = "Averaging mode: average the weights every K steps (default "
          + TrainerSettings.AVERAGE_EVERY_DEFAULT + ").")
  Integer averageEvery;

  @Option(names = "--optimizer", paramLabel = "NAME",
      description = "Keras optimizer name: adam (default), sgd, adamw, rmsprop, adagrad.")
  String optimizer;

  @Option(names = "--learning-rate", paramLabel = "LR",
      description = "Optimizer learning rate (default: the optimizer's, 0.001 for adam).")
  Double learningRate;

  @Option(names = "--loss", paramLabel = "NAME",
      description = "Keras loss name, e.g. sparse_categorical_crossentropy; required unless "
          + "--model is a compiled saved model and no compile flag is given.")
  String loss;

  @Option(names = "--metrics", split = ",", paramLabel = "NAME",
      description = "Keras metric names, e.g. accuracy.")
  List<String> metrics;

  @Option(names = "--seed", paramLabel = "S", description = "Seed of weight initialisation, of "
      + "the row order (the deal to the workers, every epoch's order) and of the validation split.")
  Long seed;

  @Option(names = "--shuffle", paramLabel = "true|false", arity = "1",
      defaultValue = "" + true, description = "Rows in a fresh seeded order every epoch "
          + "(default ${DEFAULT-VALUE}); false: in the table's order.")
  boolean shuffle;

  @Option(names = "--validation-split", paramLabel = "F",
      description = "Fraction of the rows held out for validation each epoch, picked by a seeded "
          + "permutation (instead of --validation).")
  Double validationSplit;

  @Option(names = "--validation", paramLabel = "PATH_OR_TABLE",
      description = "Validation table (same --format, --features, --label), evaluated each epoch.")
  String validation;

  @Option(names = "--checkpoint-dir", paramLabel = "DIR",
      description = "Hadoop path for a checkpoint after every epoch.")
  String checkpointDir;

  @Option(names = "--resume", description = "Continue from the newest checkpoint in --checkpoint-dir.")
  boolean resume;

  @Option(names = "--output", required = true, paramLabel = "MODEL_PATH",
      description = "Where the trained model is saved (one file, written atomically).")
  String output;

  @Override
  String name() {
    return "train";
  }

  @Override
  Map<String, Object> execute() throws IOException {
    SyncMode syncMode = syncMode();
    check(TrainerSettings.EPOCHS, epochs);
    check(TrainerSettings.BATCH_SIZE, batchSize);
    check(TrainerSettings.WORKERS, workers);
    if (syncMode.equals(SyncMode.SYNC) && batchSize % workers != 0) {
      throw JobException.usage("--batch-size: " + batchSize + " is not a multiple of --workers "
          + workers + " (sync mode splits each global batch evenly)");
    }
    if (validationSplit != null) {
      try {
        TrainerSettings.VALIDATION_SPLIT.check(validationSplit, Via.CLI);
      } catch (IllegalArgumentException e) {
        throw JobException.usage(e.getMessage());
      }
      if (validation != null) {
        throw JobException.usage("--validation-split: give it or --validation, not both");
      }
    }
    if (resume && checkpointDir == null) {
      throw JobException.usage("--resume: needs --checkpoint-dir");
    }
    if (seed != null) {
      Sparkeras.setRandomSeed(seed);
    }
    SparkSession spark = spark();
    Model m = ModelFiles.load("--model", model, spark.sparkContext().hadoopConfiguration(), true);
    FeatureSpace fs = featureSpace == null ? null : FeatureSpaceModels.read("--feature-space",
        featureSpace, spark.sparkContext().hadoopConfiguration());
    in.raw = fs != null || m.hostPlan() != null;
    InputOptions.Input train = in.read(spark);
    if (fs != null) {
      m = FeatureSpaceModels.compose(FeatureSpaceModels.adapt("--feature-space", fs, train.df), m,
          "--model");
    }
    compile(m);
    InputOptions.requireLabels(train.df, label, "--input", in.input);
    InputOptions.Input val = null;
    if (validation != null) {
      val = in.read(spark, "--validation", validation);
      InputOptions.requireLabels(val.df, label, "--validation", validation);
    }
    SparkTrainer trainer = SparkTrainer.of(spark, m).workers(workers).mode(syncMode)
        .resume(resume);
    if (seed != null) {
      trainer.seed(seed);
    }
    try {
      if (sampleWeight != null) {
        InputOptions.requireColumn(train.df, "--sample-weight", sampleWeight, "--input",
            in.input);
        trainer.sampleWeightCol(sampleWeight);
      }
      if (classWeight != null) {
        trainer.classWeight(TrainerSettings.CLASS_WEIGHT.parse(classWeight, Via.CLI));
      }
    } catch (IllegalArgumentException e) {
      throw JobException.usage(e.getMessage());
    }
    if (checkpointDir != null) {
      trainer.checkpointDir(checkpointDir);
    }
    try {
      trainer.validate(train.df, train.columns(), label);
      if (val != null) {
        trainer.validate(val.df, val.columns(), label);
      }
    } catch (IllegalArgumentException e) {
      throw JobException.usage("--features/--label: " + e.getMessage());
    }
    History h = trainer.fit(train.df, train.columns(), label,
        FitOptions.epochs(epochs).batchSize(batchSize).verbose(0).shuffle(shuffle)
            .validationSplit(validationSplit == null ? 0 : validationSplit)
            .callbacks(new EpochLines(main.err, epochs)),
        val == null ? null : val.df);
    m.save(output);

    Map<String, Double> trainLogs = new LinkedHashMap<>();
    Map<String, Double> valLogs = new LinkedHashMap<>();
    for (Map.Entry<String, List<Double>> e : h.history().entrySet()) {
      List<Double> v = e.getValue();
      if (v.isEmpty()) {
        continue;
      }
      if (e.getKey().startsWith("val_")) {
        valLogs.put(e.getKey().substring(4), v.get(v.size() - 1));
      } else {
        trainLogs.put(e.getKey(), v.get(v.size() - 1));
      }
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("metrics", !valLogs.isEmpty() ? valLogs : trainLogs);
    r.put("train_metrics", trainLogs);
    r.put("epochs", h.epochs().size());
    r.put("output", output);
    return r;
  }

  /** The mode flags through the settings table's parser; a number for another mode is refused. */
  private SyncMode syncMode() {
    SyncMode m;
    try {
      m = TrainerSettings.syncMode(mode,
          staleness == null ? TrainerSettings.STALENESS_DEFAULT : staleness,
          averageEvery == null ? TrainerSettings.AVERAGE_EVERY_DEFAULT : averageEvery, Via.CLI);
    } catch (IllegalArgumentException e) {
      throw JobException.usage(e.getMessage());
    }
    if (staleness != null && m.kind() != TrainingMode.ASYNC) {
      throw JobException.usage("--staleness: only with --mode async (found --mode " + mode + ")");
    }
    if (averageEvery != null && m.kind() != TrainingMode.AVERAGING) {
      throw JobException.usage("--average-every: only with --mode averaging (found --mode "
          + mode + ")");
    }
    return m;
  }

  private static void check(TrainerSettings.Setting<Integer> flag, int v) {
    try {
      flag.check(v, Via.CLI);
    } catch (IllegalArgumentException e) {
      throw JobException.usage(e.getMessage());
    }
  }

  /** Compiles from the flags unless the saved model is compiled and no compile flag is given. */
  private void compile(Model m) {
    boolean flags = optimizer != null || learningRate != null || loss != null || metrics != null;
    if (m.isCompiled() && !flags) {
      return;
    }
    if (loss == null) {
      throw JobException.usage("--loss: required (the model from --model '" + model + "' "
          + (m.isCompiled() ? "is recompiled because a compile flag was given)" : "is not compiled)"));
    }
    Optimizer opt;
    try {
      opt = Optimizer.REGISTRY.create(optimizer == null ? "adam" : optimizer,
          learningRate == null ? Map.of() : Map.of("learning_rate", learningRate));
    } catch (RuntimeException e) {
      throw JobException.usage("--optimizer: " + JobException.brief(e));
    }
    Loss l;
    try {
      l = Loss.REGISTRY.deserialize(loss);
    } catch (RuntimeException e) {
      throw JobException.usage("--loss: " + JobException.brief(e));
    }
    List<Metric> ms = new ArrayList<>();
    for (String name : metrics == null ? List.<String>of() : metrics) {
      try {
        ms.add(Metrics.get(name.trim()));
      } catch (RuntimeException e) {
        throw JobException.usage("--metrics: " + JobException.brief(e));
      }
    }
    int outputs = Math.max(1, m.outputShapes().size());
    try {
      m.compile(opt, Collections.nCopies(outputs, l), ms);
    } catch (RuntimeException e) {
      throw JobException.usage("--loss/--metrics: " + JobException.brief(e));
    }
  }

  /** One line per epoch on stderr (stdout is kept for the JSON line). */
  private static final class EpochLines extends Callback {
    private final PrintStream err;
    private final int epochs;
    private long start = System.nanoTime();

    EpochLines(PrintStream err, int epochs) {
      this.err = err;
      this.epochs = epochs;
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
      start = System.nanoTime();
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
      StringBuilder sb = new StringBuilder("Epoch " + (epoch + 1) + "/" + epochs + " - "
          + Math.round((System.nanoTime() - start) / 1e9) + "s");
      for (Map.Entry<String, Double> e : logs.entrySet()) {
        sb.append(String.format(Locale.ROOT, " - %s: %.4f", e.getKey(), e.getValue()));
      }
      err.println(sb);
    }
  }
}
