package io.sparkeras.driver;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.callbacks.CallbackList;
import io.sparkeras.api.callbacks.History;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.trainers.EpochLoop;
import io.sparkeras.ps.Compression;
import io.sparkeras.ps.SyncMode;
import io.sparkeras.ps.TrainingMode;
import io.sparkeras.worker.BadRowPolicy;
import io.sparkeras.worker.ColumnSpec;
import io.sparkeras.worker.RawColumnSpec;
import io.sparkeras.worker.EpochResult;
import io.sparkeras.worker.LocalRanges;
import io.sparkeras.worker.SparkBackend;
import io.sparkeras.worker.TrainSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Distributed {@code fit}, {@code evaluate} and {@code predict} of a compiled Sparkeras model
 * over Spark DataFrames, with the workers synchronised through a parameter server embedded in the
 * driver JVM.
 *
 * <pre>{@code
 * SparkTrainer trainer = SparkTrainer.of(spark, model).workers(4).mode(SyncMode.SYNC)
 *     .checkpointDir("hdfs://nn/jobs/mnist/ckpt");
 * History h = trainer.fit(train, "pixels", "label", FitOptions.epochs(5).batchSize(256), test);
 * Map<String, Double> scores = trainer.evaluate(test, "pixels", "label");
 * Dataset<Row> scored = trainer.predict(test);           // all columns + "prediction"
 * }</pre>
 *
 * <p>Each epoch is one barrier stage of {@code workers} tasks. Settings start from the Spark
 * conf ({@code spark.sparkeras.*}, {@link TrainerSettings}, docs/configuration.md); the fluent
 * setters override them. The work is done by named pieces: {@link TrainerSettings} (the
 * settings), {@link ColumnResolver} (columns against the model), {@link TrainingRows} (rows
 * dealt to the workers), {@link TrainingServer} (the parameter server: embedded, or nodes), {@link
 * DistributedEpochs} (one epoch, for the shared {@link EpochLoop}), {@link DistributedScoring}
 * (evaluate and predict) and {@link SparkInternals} (the Spark-internal calls).
 */
public final class SparkTrainer {
  private final SparkSession spark;
  private final Model model;
  private final TrainerSettings settings;
  private DistributedEpochs.TaskWrapper tasks = DistributedEpochs.TaskWrapper.NONE;
  private volatile List<EpochResult> lastEpoch = List.of();

  private SparkTrainer(SparkSession spark, Model model, TrainerSettings settings) {
    // the model lives on this JVM's backend: it must be the one the application names
    SparkBackend.select(spark.sparkContext().getConf());
    this.spark = spark;
    this.model = model;
    this.settings = settings;
  }

  /** A trainer for a compiled model; settings start from the session's spark.sparkeras.* conf. */
  public static SparkTrainer of(SparkSession spark, Model model) {
    return new SparkTrainer(spark, model,
        TrainerSettings.fromConf(spark.sparkContext().getConf()));
  }

  /**
   * A trainer with the given settings, copied (the setters below change the copy): how a job
   * that runs many fits gives each the same settings.
   * <pre>{@code
   * TrainerSettings s = TrainerSettings.fromConf(conf).mode(SyncMode.async(2));
   * SparkTrainer.of(spark, model, s).workers(4).fit(train, "features", "label", options);
   * }</pre>
   */
  public static SparkTrainer of(SparkSession spark, Model model, TrainerSettings settings) {
    return new SparkTrainer(spark, model, settings.copy());
  }

  /** The model this trainer trains (its weights are the trained ones after {@code fit}). */
  public Model model() {
    return model;
  }

  // ---- settings (TrainerSettings validates each and names its key) -----------------------------

  /** Number of workers: barrier tasks, one partition each (needs that many free task slots). */
  public SparkTrainer workers(int n) {
    settings.set(TrainerSettings.WORKERS, n);
    return this;
  }

  /** How the workers synchronise: {@link SyncMode#SYNC}, {@code async(s)}, {@code averaging(k)}. */
  public SparkTrainer mode(SyncMode m) {
    settings.mode(m);
    return this;
  }

  /** Writes model + parameter-server state after every epoch under this Hadoop path. */
  public SparkTrainer checkpointDir(String path) {
    settings.set(TrainerSettings.CHECKPOINT_DIR, path);
    return this;
  }

  /** Continue from the newest checkpoint in {@link #checkpointDir} (if any) at its next epoch. */
  public SparkTrainer resume(boolean r) {
    settings.set(TrainerSettings.RESUME, r);
    return this;
  }

  /** Default feature column (or several numeric columns, one float each). */
  public SparkTrainer featuresCol(String... cols) {
    settings.set(TrainerSettings.FEATURES_COL, List.of(cols));
    return this;
  }

  public SparkTrainer labelCol(String col) {
    settings.set(TrainerSettings.LABEL_COL, col);
    return this;
  }

  /**
   * The column of each model input, by the input's name, as Keras's dict of inputs
   * ({@code features(Map.of("image", "img_col", "meta", "meta_col"))}); the default columns of
   * {@code fit(df, options)}, {@code evaluate(df)} and {@code predict(df)}.
   */
  public SparkTrainer features(Map<String, String> inputToColumn) {
    settings.set(TrainerSettings.FEATURES_COL, ColumnMapping.entries(inputToColumn));
    return this;
  }

  /** The target column of each model output, by the output's name (Keras's dict of targets). */
  public SparkTrainer labels(Map<String, String> outputToColumn) {
    settings.set(TrainerSettings.LABEL_COL,
        String.join(",", ColumnMapping.entries(outputToColumn)));
    return this;
  }

  /**
   * A numeric column of each sample's weight (Keras's {@code sample_weight}): the loss is
   * {@code sum(w × loss) / batch} and the {@code weightedMetrics} weigh the samples, in fit,
   * validation and evaluate.
   */
  public SparkTrainer sampleWeightCol(String column) {
    settings.set(TrainerSettings.SAMPLE_WEIGHT_COL, column);
    return this;
  }

  /**
   * Keras's {@code class_weight}: each sample weighs its class's weight (the class id label, or
   * the arg-max of a one-hot one; 1 for classes not named); models with one output.
   */
  public SparkTrainer classWeight(Map<Integer, Double> weights) {
    settings.set(TrainerSettings.CLASS_WEIGHT, weights == null ? null : Map.copyOf(weights));
    return this;
  }

  /** Name of the prediction column (several outputs: {@code <name>_<output name>} each). */
  public SparkTrainer predictionCol(String col) {
    settings.set(TrainerSettings.PREDICTION_COL, col);
    return this;
  }

  /**
   * What a null in a raw column becomes when the model has preprocessing layers: a bad row
   * ({@code FAIL}, then {@link #badRows} decides) or a missing value ({@code MISSING}).
   */
  public SparkTrainer nulls(RawColumnSpec.NullPolicy p) {
    settings.set(TrainerSettings.NULLS, p);
    return this;
  }

  public SparkTrainer badRows(BadRowPolicy p) {
    settings.set(TrainerSettings.BAD_ROWS, p);
    return this;
  }

  /**
   * The seed of the row plan: the deal of the rows to the workers, every epoch's order, the
   * validation split (and each task's backend seed). Unset, each fit draws one from
   * {@code Sparkeras.setRandomSeed}'s generator, so a program that sets that seed repeats its
   * fits exactly; a resumed fit takes its checkpoint's.
   */
  public SparkTrainer seed(long seed) {
    settings.set(TrainerSettings.SEED, seed);
    return this;
  }

  /** Shape of one sample of a binary feature column, and how its bytes encode floats. */
  public SparkTrainer binaryShape(ColumnSpec.BinaryEncoding encoding, int... shape) {
    settings.binaryShape(encoding, shape);
    return this;
  }

  public SparkTrainer scoringBatchSize(int n) {
    settings.set(TrainerSettings.SCORING_BATCH_SIZE, n);
    return this;
  }

  /**
   * Whether workers on the driver's host (all of them on {@code local[*]}) talk to the parameter
   * server over Aeron's shared-memory channel through the server's media driver (the default;
   * conf key {@code spark.sparkeras.ps.ipc}) or over UDP like workers on other hosts.
   */
  public SparkTrainer ipc(boolean v) {
    settings.set(TrainerSettings.PS_IPC, v);
    return this;
  }

  /**
   * Whether sync and async workers push the gradients of the last layers while backward still
   * computes the first layers' (the default; conf key {@code spark.sparkeras.ps.overlapPush}),
   * as PyTorch DDP's buckets do, so the server sums and updates them meanwhile. Only libtorch on
   * a CPU reports finished gradients during backward; on other backends the push follows
   * backward either way. The weights a fit ends with are the same both ways.
   */
  public SparkTrainer overlapPush(boolean v) {
    settings.set(TrainerSettings.PS_OVERLAP_PUSH, v);
    return this;
  }

  /**
   * How gradients and parameters travel between the workers and the server (conf key
   * {@code spark.sparkeras.ps.compression}; default {@code NONE}, float32), like Horovod's
   * {@code compression=hvd.Compression.fp16}: {@code FP16} or {@code BF16} halve the bytes both
   * ways, {@code THRESHOLD} sends pushes as {@code ±tau} indices with residuals
   * ({@code spark.sparkeras.ps.threshold}). All are lossy, so the fit no longer equals the local
   * one; they pay where the network, not compute, is the limit (docs/benchmarks.md, "Scaling
   * past one machine"), never between workers and a server on one host.
   *
   * <pre>{@code
   * SparkTrainer.of(spark, model).workers(8).compression(Compression.FP16).fit(df, "x", "y", opts);
   * }</pre>
   */
  public SparkTrainer compression(Compression c) {
    settings.set(TrainerSettings.PS_COMPRESSION, c);
    return this;
  }

  /** Parameter-server shards (one thread each). */
  public SparkTrainer psShards(int n) {
    settings.set(TrainerSettings.PS_SHARDS, n);
    return this;
  }

  /** How long a worker waits for the server (and a sync step for missing workers). */
  public SparkTrainer timeout(long value, TimeUnit unit) {
    settings.set(TrainerSettings.PS_TIMEOUT,
        (int) Math.min(Integer.MAX_VALUE, unit.toMillis(value)));
    return this;
  }

  /** Test seam: wraps the body of every epoch's barrier tasks (tests inject task failures). */
  SparkTrainer wrapTasks(DistributedEpochs.TaskWrapper wrapper) {
    tasks = wrapper;
    return this;
  }

  /**
   * The settings this trainer runs with (live: the setters above change them; the rest, e.g.
   * {@code settings().set(TrainerSettings.PS_MTU, 8192)}, are set here).
   */
  public TrainerSettings settings() {
    return settings;
  }

  /**
   * Where the workers' time went in the last epoch of the last fit, averaged over workers:
   * {@code compute_s} (forward and backward with the pushes made during it; reading rows in
   * averaging mode and for a sync or async epoch's first step), {@code push_s} (what is left of
   * the push after backward), {@code pull_s} (waiting for the others and for the new
   * parameters; sync and async workers read the next step's rows meanwhile), {@code steps},
   * {@code pushed_during_backward} (the share of the gradients pushed while backward still ran,
   * see {@link #overlapPush}), and {@code rows_skipped}, the bad rows all workers skipped in that
   * epoch ({@code badRows(SKIP)}).
   */
  public Map<String, Double> lastEpochStats() {
    Map<String, Double> m = new LinkedHashMap<>();
    List<EpochResult> rs = lastEpoch;
    if (rs.isEmpty()) {
      return m;
    }
    double c = 0;
    double pu = 0;
    double pl = 0;
    double early = 0;
    for (EpochResult r : rs) {
      c += r.computeSeconds;
      pu += r.pushSeconds;
      pl += r.pullSeconds;
      early += r.pushedDuringBackward;
    }
    m.put("steps", (double) rs.get(0).steps);
    m.put("compute_s", c / rs.size());
    m.put("push_s", pu / rs.size());
    m.put("pull_s", pl / rs.size());
    m.put("pushed_during_backward", early / rs.size());
    m.put("rows_skipped", (double) rs.stream().mapToLong(r -> r.skipped).sum());
    return m;
  }

  private ColumnResolver columns() {
    return new ColumnResolver(model, settings);
  }

  private DistributedScoring scoring() {
    return new DistributedScoring(spark, model, settings);
  }

  private void requireCompiled(String what) {
    if (!model.isCompiled()) {
      throw new IllegalStateException("model '" + model.getName() + "' must be compiled before "
          + what);
    }
  }

  /**
   * Checks {@code df} against the model without training: columns exist, their types are
   * supported, widths match the model's input and output, the label suits the loss.
   */
  public void validate(Dataset<Row> df, String featuresCol, String label) {
    validate(df, ColumnMapping.split(featuresCol), label);
  }

  /**
   * {@link #validate(Dataset, String, String)} of several feature columns: numeric columns,
   * {@code input=column} entries, or a preprocessing model's raw columns.
   */
  public void validate(Dataset<Row> df, List<String> featureCols, String label) {
    columns().select(df, featureCols, label);
  }

  // ---- fit ---------------------------------------------------------------------------------

  /** {@link #fit(Dataset, List, String, FitOptions, Dataset)} with the default columns. */
  public History fit(Dataset<Row> df, FitOptions options) {
    return fit(df, options, null);
  }

  /** The same, validating on {@code validation} after every epoch. */
  public History fit(Dataset<Row> df, FitOptions options, Dataset<Row> validation) {
    return fit(df, settings.get(TrainerSettings.FEATURES_COL),
        settings.get(TrainerSettings.LABEL_COL), options, validation);
  }

  public History fit(Dataset<Row> df, String featuresCol, String labelCol, FitOptions options) {
    return fit(df, featuresCol, labelCol, options, null);
  }

  /**
   * Fit with validation on another DataFrame after every epoch ({@code val_*} logs). The
   * columns may name the inputs and outputs: {@code "image=img,meta=meta"}, {@code
   * "cls=label,reg=target"}.
   */
  public History fit(Dataset<Row> df, String featuresCol, String labelCol, FitOptions options,
      Dataset<Row> validation) {
    return fit(df, ColumnMapping.split(featuresCol), labelCol, options, validation);
  }

  /**
   * Trains the model on {@code df}; the trained weights are put back into the model. The global
   * batch is {@code options.batchSize()}, each worker takes {@code batchSize / workers} rows per
   * step (sync mode needs it to divide evenly). Which worker trains on which row, in which order,
   * is a function of the data and the seed alone ({@link #seed}, {@code io.sparkeras.worker.RowPlan}):
   * with {@code options.shuffle()} (the default) the rows are dealt to the workers once by a
   * seeded permutation and taken in a fresh seeded order every epoch, else in the DataFrame's
   * order (global step t trains on rows {@code [tB, (t+1)B)}). {@code options.validationSplit()}
   * holds out that fraction of the rows, picked by a seeded permutation (exact count, as
   * Keras's {@code int(n * (1 - split))} training rows), for {@code val_*} logs; or give
   * {@code validation}.
   *
   * <p>For a model with preprocessing layers (a {@code FeatureSpace}'s, say), {@code featureCols}
   * are its raw columns, one per model input by name (or {@code input=column} entries), of any
   * type the inputs take (strings, integers, floats, booleans, arrays, binary, images); the
   * executors run the layers on each row ({@link #nulls} says what a null becomes), the network
   * trains on what they give; its targets and weights are read as for any model:
   *
   * <pre>{@code
   * SparkAdapt.adapt(fs, train);                                   // one Spark pass
   * Model m = new Model(fs.inputList(), List.of(head.apply(fs.encodedFeatures())));
   * m.compile(...);
   * SparkTrainer.of(spark, m).fit(train, fs.columns(), "label", FitOptions.epochs(5), null);
   * }</pre>
   */
  public History fit(Dataset<Row> df, List<String> featureCols, String labelCol,
      FitOptions options, Dataset<Row> validation) {
    requireCompiled("fit");
    TrainerSettings s = settings.conclude();
    ColumnResolver resolver = columns();
    ColumnResolver.Columns train = resolver.select(df, featureCols, labelCol);
    if (options.validationSplit() > 0 && validation != null) {
      throw new IllegalArgumentException("fit: give a validation DataFrame or "
          + "validationSplit, not both");
    }
    int perWorker = perWorkerBatch(options.batchSize(), s);
    TrainingCheckpoints.Found ck = TrainingCheckpoints.resume(s, model);
    int workers = s.get(TrainerSettings.WORKERS);
    long seed = ck != null && ck.seed != null ? ck.seed
        : s.get(TrainerSettings.SEED) != null ? s.get(TrainerSettings.SEED) : Sparkeras.nextSeed();
    try (TrainingRows rows = TrainingRows.deal(spark, train.frame(), workers, perWorker,
        options.shuffle(), seed, options.validationSplit())) {
      ColumnResolver.Columns val = validation != null
          ? resolver.select(validation, featureCols, labelCol)
          : rows.validation() == null ? null : train.withFrame(rows.validation());
      TrainSpec spec = taskSpec(train, rows.plan().partitionRows(), perWorker).seed(seed);
      CallbackList callbacks = CallbackList.forFit(model, options, spec.steps());
      try (TrainingServer server = TrainingServer.launch(s, model, workers,
              ck == null ? null : ck.ps());
          DistributedEpochs epochs = new DistributedEpochs(spark.sparkContext(), model, s,
              server, spec, rows, val, scoring(), options.epochs(),
              ck == null ? 0 : ck.baseStep, seed, tasks, results -> lastEpoch = results)) {
        return EpochLoop.run(model, callbacks, ck != null ? ck.epoch + 1 : options.initialEpoch(),
            options.epochs(), epochs);
      }
    }
  }

  /** Rows per worker and step: the global batch split over the workers (evenly in sync mode). */
  private static int perWorkerBatch(int global, TrainerSettings s) {
    int n = s.get(TrainerSettings.WORKERS);
    if (s.mode().kind() == TrainingMode.SYNC && global % n != 0) {
      throw new IllegalArgumentException("batch_size " + global + " must be a multiple of the "
          + "number of workers (" + n + ") in sync mode");
    }
    return Math.max(1, (global + n - 1) / n);
  }

  /** What every task needs besides the server's address: mode, batching, columns, policies. */
  private TrainSpec taskSpec(ColumnResolver.Columns cols, long[] rows, int perWorker) {
    return new TrainSpec().mode(settings.mode())
        .batching(settings.get(TrainerSettings.WORKERS), perWorker, rows)
        .layout(cols.layout())
        .badRows(settings.get(TrainerSettings.BAD_ROWS)).localRanges(LocalRanges.of(model))
        .overlapPush(settings.get(TrainerSettings.PS_OVERLAP_PUSH));
  }

  // ---- evaluate / predict --------------------------------------------------------------------

  /**
   * Loss and metrics of the model on {@code df}, computed on the executors: each partition
   * reports its loss and metric results with its sample count, the driver merges them weighted
   * by samples: exact for the loss and sample-mean metrics (accuracy, MSE, MAE). AUC, precision
   * and recall, whose state is not a sample mean, are computed on the driver over every
   * partition's targets and predictions, gathered (n × outputs floats twice: fine for
   * evaluation sets that fit in the driver's memory).
   */
  public Map<String, Double> evaluate(Dataset<Row> df, String featuresCol, String label) {
    return evaluate(df, ColumnMapping.split(featuresCol), label);
  }

  /**
   * {@link #evaluate(Dataset, String, String)} of several feature columns: numeric columns (one
   * float each), {@code input=column} entries, or for a model with preprocessing layers its raw
   * columns, one per input.
   */
  public Map<String, Double> evaluate(Dataset<Row> df, List<String> featureCols, String label) {
    requireCompiled("evaluate");
    settings.conclude();
    return scoring().evaluate(columns().select(df, featureCols, label));
  }

  /** {@link #evaluate(Dataset, String, String)} with the default columns (and weights). */
  public Map<String, Double> evaluate(Dataset<Row> df) {
    return evaluate(df, settings.get(TrainerSettings.FEATURES_COL),
        settings.get(TrainerSettings.LABEL_COL));
  }

  /** {@link #predict(Dataset, String)} with the default feature columns. */
  public Dataset<Row> predict(Dataset<Row> df) {
    return scoring().predict(columns().features(df, settings.get(TrainerSettings.FEATURES_COL)));
  }

  /**
   * All input columns plus the model's prediction: a float column named {@link #predictionCol}
   * when the output has one value per sample, else {@code array<float>}. Scored in batches on
   * the executors; the model is loaded once per executor JVM (cached by its file's hash).
   */
  public Dataset<Row> predict(Dataset<Row> df, String featuresCol) {
    return predict(df, ColumnMapping.split(featuresCol));
  }

  /**
   * {@link #predict(Dataset, String)} of several feature columns: numeric columns (one float
   * each), {@code input=column} entries, or for a model with preprocessing layers its raw
   * columns (strings, integers, floats, ... one per model input, by name), encoded on the
   * executors by the model's own layers.
   *
   * <pre>{@code
   * Dataset<Row> scored = trainer.predict(rawTable, featureSpace.columns());
   * }</pre>
   */
  public Dataset<Row> predict(Dataset<Row> df, List<String> featureCols) {
    return scoring().predict(columns().features(df, featureCols));
  }

  /**
   * The schema {@link #predict} returns for an input schema: every input column, then one
   * prediction column per model output ({@link #predictionCol}, or {@code name_0, name_1, ...}
   * for several), {@code float} when an output has one value per sample, else
   * {@code array<float>}. Fails if a prediction column already exists.
   *
   * <pre>{@code
   * StructType out = SparkTrainer.of(spark, model).predictionCol("p")
   *     .predictionSchema(df.schema());
   * }</pre>
   */
  public StructType predictionSchema(StructType input) {
    return scoring().predictionSchema(input);
  }

  /**
   * The columns predict adds: {@link #predictionCol} for a model with one output, else
   * {@code <predictionCol>_<output name>} for each output.
   */
  public List<String> predictionColumns() {
    return scoring().predictionColumns();
  }
}
