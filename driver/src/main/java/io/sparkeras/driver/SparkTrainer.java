package io.sparkeras.driver;

import io.sparkeras.api.callbacks.CallbackList;
import io.sparkeras.api.callbacks.History;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.trainers.EpochLoop;
import io.sparkeras.ps.SyncMode;
import io.sparkeras.ps.TrainingMode;
import io.sparkeras.worker.BadRowPolicy;
import io.sparkeras.worker.ColumnSpec;
import io.sparkeras.worker.RawColumnSpec;
import io.sparkeras.worker.EpochResult;
import io.sparkeras.worker.LocalRanges;
import io.sparkeras.worker.TrainSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
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
 * dealt to the workers), {@link EmbeddedServer} (the parameter server), {@link
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

  /** Name of the prediction column (several outputs: name_0, name_1, ...). */
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
   * Batches follow the DataFrame's row order: with N workers and global batch B, global step t
   * trains on rows {@code [tB, (t+1)B)}, worker p on the p-th slice of B/N of them. Costs an
   * index and a sort; without it rows are dealt round-robin by {@code repartition(N)}.
   */
  public SparkTrainer preserveRowOrder(boolean v) {
    settings.set(TrainerSettings.PRESERVE_ROW_ORDER, v);
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
   * {@code compute_s} (reading rows, forward and backward), {@code push_s}, {@code pull_s}
   * (waiting for the others and for the new parameters), {@code steps}, and {@code
   * rows_skipped}, the bad rows all workers skipped in that epoch ({@code badRows(SKIP)}).
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
    for (EpochResult r : rs) {
      c += r.computeSeconds;
      pu += r.pushSeconds;
      pl += r.pullSeconds;
    }
    m.put("steps", (double) rs.get(0).steps);
    m.put("compute_s", c / rs.size());
    m.put("push_s", pu / rs.size());
    m.put("pull_s", pl / rs.size());
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
    validate(df, List.of(featuresCol), label);
  }

  /** {@link #validate(Dataset, String, String)} of several (or raw) feature columns. */
  public void validate(Dataset<Row> df, List<String> featureCols, String label) {
    columns().select(df, featureCols, label);
  }

  // ---- fit ---------------------------------------------------------------------------------

  /** {@link #fit(Dataset, List, String, FitOptions, Dataset)} with the default columns. */
  public History fit(Dataset<Row> df, FitOptions options) {
    return fit(df, settings.get(TrainerSettings.FEATURES_COL),
        settings.get(TrainerSettings.LABEL_COL), options, null);
  }

  public History fit(Dataset<Row> df, String featuresCol, String labelCol, FitOptions options) {
    return fit(df, List.of(featuresCol), labelCol, options, null);
  }

  /** Fit with validation on another DataFrame after every epoch ({@code val_*} logs). */
  public History fit(Dataset<Row> df, String featuresCol, String labelCol, FitOptions options,
      Dataset<Row> validation) {
    return fit(df, List.of(featuresCol), labelCol, options, validation);
  }

  /**
   * Trains the model on {@code df}; the trained weights are put back into the model. The global
   * batch is {@code options.batchSize()}, each worker takes {@code batchSize / workers} rows per
   * step (sync mode needs it to divide evenly). Rows are read as they come from
   * {@code repartition(workers)} (or in order, see {@link #preserveRowOrder}); FitOptions'
   * shuffle and validationSplit are not used (give {@code validation} instead).
   *
   * <p>For a model with preprocessing layers (a {@code FeatureSpace}'s, say), {@code featureCols}
   * are its raw columns, one per model input by name, of any type the inputs take (strings,
   * integers, floats, booleans, arrays, binary, images); the executors run the layers on each
   * row ({@link #nulls} says what a null becomes), the network trains on what they give:
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
    if (options.validationSplit() > 0) {
      throw new UnsupportedOperationException("SparkTrainer.fit: validationSplit is not supported; "
          + "pass a validation DataFrame (e.g. from df.randomSplit)");
    }
    TrainerSettings s = settings.conclude();
    ColumnResolver resolver = columns();
    ColumnResolver.Columns train = resolver.select(df, featureCols, labelCol);
    ColumnResolver.Columns val = validation == null ? null
        : resolver.select(validation, featureCols, labelCol);
    int perWorker = perWorkerBatch(options.batchSize(), s);
    TrainingCheckpoints.Found ck = TrainingCheckpoints.resume(s, model);
    int workers = s.get(TrainerSettings.WORKERS);
    RDD<InternalRow> rows = TrainingRows.deal(train.frame(), workers, perWorker,
        s.get(TrainerSettings.PRESERVE_ROW_ORDER));
    TrainSpec spec = taskSpec(train, TrainingRows.count(rows, workers), perWorker);
    CallbackList callbacks = CallbackList.forFit(model, options, spec.steps());
    try (EmbeddedServer server = EmbeddedServer.launch(s, model, workers,
            ck == null ? null : ck.ps());
        DistributedEpochs epochs = new DistributedEpochs(spark.sparkContext(), model, s, server,
            spec, rows, val, scoring(), options.epochs(), ck == null ? 0 : ck.baseStep, tasks,
            results -> lastEpoch = results)) {
      return EpochLoop.run(model, callbacks, ck != null ? ck.epoch + 1 : options.initialEpoch(),
          options.epochs(), epochs);
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
    long total = 0;
    for (long r : rows) {
      total += r;
    }
    if (total == 0) {
      throw new IllegalArgumentException("fit: the DataFrame has no rows");
    }
    return new TrainSpec().mode(settings.mode())
        .batching(settings.get(TrainerSettings.WORKERS), perWorker, rows)
        .features(cols.features()).label(cols.label(), cols.labelShape())
        .badRows(settings.get(TrainerSettings.BAD_ROWS)).localRanges(LocalRanges.of(model));
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
    return evaluate(df, List.of(featuresCol), label);
  }

  /**
   * {@link #evaluate(Dataset, String, String)} of several feature columns: numeric columns (one
   * float each), or for a model with preprocessing layers its raw columns, one per input.
   */
  public Map<String, Double> evaluate(Dataset<Row> df, List<String> featureCols, String label) {
    requireCompiled("evaluate");
    return scoring().evaluate(columns().select(df, featureCols, label));
  }

  /** {@link #predict(Dataset, String)} with the default feature column. */
  public Dataset<Row> predict(Dataset<Row> df) {
    return predict(df, settings.get(TrainerSettings.FEATURES_COL).get(0));
  }

  /**
   * All input columns plus the model's prediction: a float column named {@link #predictionCol}
   * when the output has one value per sample, else {@code array<float>}. Scored in batches on
   * the executors; the model is loaded once per executor JVM (cached by its file's hash).
   */
  public Dataset<Row> predict(Dataset<Row> df, String featuresCol) {
    return predict(df, List.of(featuresCol));
  }

  /**
   * {@link #predict(Dataset, String)} of several feature columns: numeric columns (one float
   * each), or for a model with preprocessing layers its raw columns (strings, integers, floats,
   * ... one per model input, by name), encoded on the executors by the model's own layers.
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
}
