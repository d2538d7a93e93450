package io.sparkeras.driver.ml;

import io.sparkeras.api.callbacks.History;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.driver.SparkTrainer;
import io.sparkeras.driver.TrainerSettings;
import io.sparkeras.driver.TrainerSettings.Setting;
import io.sparkeras.driver.TrainerSettings.Via;
import io.sparkeras.ps.SyncMode;
import io.sparkeras.ps.TrainingMode;
import io.sparkeras.worker.WorkerModels;
import java.util.List;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * A compiled Sparkeras model as a Spark ML {@code Estimator}: {@link #fit} trains a copy of it
 * with {@link SparkTrainer} (data-parallel workers, parameter server in the driver) and returns
 * a {@link KerasModel}. It reads one features vector ({@link #setFeaturesCol}) or, for a model
 * whose graph starts with preprocessing layers (a FeatureSpace), raw columns
 * ({@link #setInputCols}). The estimator keeps the model's saved file (architecture, compile
 * settings, initial weights), so every fit — in a pipeline, a cross-validator, after a reload —
 * starts from the same weights.
 *
 * <pre>{@code
 * Model net = new Sequential(Input.of(784), new Dense(128).activation("relu"),
 *     new Dense(10).activation("softmax"));
 * net.compile(new Adam(1e-3), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
 *
 * KerasEstimator keras = new KerasEstimator(net).setFeaturesCol("scaled").setLabelCol("label")
 *     .setEpochs(5).setBatchSize(128).setWorkers(2).setMode("sync");
 * Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
 *     new VectorAssembler().setInputCols(pixelCols).setOutputCol("raw"),
 *     new StandardScaler().setInputCol("raw").setOutputCol("scaled"), keras});
 * PipelineModel fitted = pipeline.fit(train);
 * fitted.write().overwrite().save("hdfs://nn/models/fmnist-pipeline");
 * Dataset<Row> scored = PipelineModel.load("hdfs://nn/models/fmnist-pipeline").transform(test);
 * }</pre>
 *
 * <p>Params: see the accessors ({@link #epochs()}, {@link #mode()}, ...) and docs/spark-ml.md.
 */
public final class KerasEstimator extends Estimator<KerasModel> implements MLWritable {
  private static final long serialVersionUID = 1L;
  static final List<String> MODES = java.util.Arrays.stream(TrainingMode.values())
      .map(TrainingMode::key).collect(java.util.stream.Collectors.toList());

  private final String uid;
  private final byte[] modelFile;
  private final Param<String> featuresCol;
  private final StringArrayParam inputCols;
  private final Param<String> labelCol;
  private final Param<String> predictionCol;
  private final IntParam epochs;
  private final IntParam batchSize;
  private final IntParam workers;
  private final Param<String> mode;
  private final IntParam staleness;
  private final IntParam averageEvery;
  private final LongParam seed;
  private final BooleanParam shuffle;
  private final Param<String> sampleWeightCol;
  private final Param<String> classWeight;
  private final DoubleParam validationFraction;
  private final IntParam scoringBatchSize;
  private final IntParam verbose;
  private transient io.sparkeras.api.models.Model shapes;

  /**
   * An estimator that trains copies of {@code model}, which must be compiled and built (e.g.
   * given an {@code Input}); the model itself is not changed by {@link #fit}.
   */
  public KerasEstimator(io.sparkeras.api.models.Model model) {
    this(Identifiable.randomUID("kerasEstimator"), fileOf(model));
  }

  KerasEstimator(String uid, byte[] modelFile) {
    this.uid = uid;
    this.modelFile = modelFile;
    featuresCol = KerasStages.featuresCol(this);
    inputCols = KerasStages.inputCols(this);
    labelCol = new Param<>(this, "labelCol",
        "label column: class ids (sparse_categorical_crossentropy), a number, array or vector");
    predictionCol = KerasStages.predictionCol(this);
    epochs = intParam(TrainerSettings.EPOCHS, 1);
    batchSize = intParam(TrainerSettings.BATCH_SIZE, 1);
    workers = intParam(TrainerSettings.WORKERS, 1);
    mode = new Param<>(this, TrainerSettings.MODE.name(),
        "how workers synchronise: sync, async or averaging", ParamValidators.inArray(MODES));
    staleness = intParam(TrainerSettings.STALENESS, 0);
    averageEvery = intParam(TrainerSettings.AVERAGE_EVERY, 1);
    seed = new LongParam(this, TrainerSettings.SEED.name(), TrainerSettings.SEED.doc());
    shuffle = new BooleanParam(this, TrainerSettings.SHUFFLE.name(), TrainerSettings.SHUFFLE.doc());
    sampleWeightCol = new Param<>(this, TrainerSettings.SAMPLE_WEIGHT_COL.name(),
        TrainerSettings.SAMPLE_WEIGHT_COL.doc());
    classWeight = new Param<>(this, TrainerSettings.CLASS_WEIGHT.name(),
        TrainerSettings.CLASS_WEIGHT.doc() + " (text: 0=1,1=5)");
    validationFraction = new DoubleParam(this, "validationFraction",
        "fraction of the rows held out for val_* metrics after every epoch, in [0, 1)",
        ParamValidators.inRange(0, 1, true, false));
    scoringBatchSize = KerasStages.scoringBatchSize(this);
    verbose = new IntParam(this, "verbose",
        "0 silent, 1 progress bar, 2 one line per epoch (printed by the driver)",
        ParamValidators.inRange(0, 2));
    setDefault(featuresCol, TrainerSettings.FEATURES_COL.defaultText());
    setDefault(labelCol, TrainerSettings.LABEL_COL.defaultText());
    setDefault(predictionCol, TrainerSettings.PREDICTION_COL.defaultText());
    setDefault(epochs, TrainerSettings.EPOCHS_DEFAULT);
    setDefault(batchSize, TrainerSettings.BATCH_SIZE_DEFAULT);
    setDefault(workers, TrainerSettings.WORKERS_DEFAULT);
    setDefault(mode, TrainerSettings.MODE_DEFAULT);
    setDefault(staleness, TrainerSettings.STALENESS_DEFAULT);
    setDefault(averageEvery, TrainerSettings.AVERAGE_EVERY_DEFAULT);
    setDefault(seed, (long) KerasEstimator.class.getName().hashCode());
    setDefault(validationFraction, 0.0);
    setDefault(shuffle, TrainerSettings.SHUFFLE.defaultValue());
    setDefault(scoringBatchSize, TrainerSettings.SCORING_BATCH_SIZE_DEFAULT);
    setDefault(verbose, 0);
  }

  /** An int param named and documented by its row of the settings table. */
  private IntParam intParam(Setting<Integer> setting, int min) {
    return new IntParam(this, setting.name(), setting.doc(), ParamValidators.gtEq(min));
  }

  private static byte[] fileOf(io.sparkeras.api.models.Model model) {
    if (!model.isCompiled()) {
      throw new IllegalArgumentException("KerasEstimator: model '" + model.getName()
          + "' must be compiled (model.compile(optimizer, loss, metrics...)) before it is wrapped");
    }
    if (model.inputShapes() == null) {
      throw new IllegalArgumentException("KerasEstimator: model '" + model.getName()
          + "' is not built: give it an Input or build(shape) before it is wrapped");
    }
    return WorkerModels.toBytes(model);
  }

  static String nonBlank(String param, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(param + ": expected a column name, found '" + value + "'");
    }
    return value;
  }

  /** {@code value}, checked by its row of the settings table, an error naming the param. */
  static int checked(Setting<Integer> param, int value) {
    return param.check(value, Via.PARAM);
  }

  @Override
  public String uid() {
    return uid;
  }

  // ---- params: accessors (Spark ML finds params through these), getters, setters ------------

  /** Features column (default {@code features}). */
  public Param<String> featuresCol() {
    return featuresCol;
  }

  /**
   * Raw input columns (no default): for a model whose graph starts with preprocessing layers,
   * e.g. a FeatureSpace's, one column per model input by name; when set, {@link #featuresCol()}
   * is not read.
   */
  public StringArrayParam inputCols() {
    return inputCols;
  }

  /** Label column (default {@code label}). */
  public Param<String> labelCol() {
    return labelCol;
  }

  /** Prediction column of the fitted model (default {@code prediction}). */
  public Param<String> predictionCol() {
    return predictionCol;
  }

  /** Epochs (default 1, as Keras's {@code fit}). */
  public IntParam epochs() {
    return epochs;
  }

  /** Global batch size (default 32, as Keras's {@code fit}). */
  public IntParam batchSize() {
    return batchSize;
  }

  /** Workers (default 2). */
  public IntParam workers() {
    return workers;
  }

  /** {@code sync} (default), {@code async} or {@code averaging}. */
  public Param<String> mode() {
    return mode;
  }

  /** Staleness bound of async mode (default 2). */
  public IntParam staleness() {
    return staleness;
  }

  /** Steps between averages in averaging mode (default 8). */
  public IntParam averageEvery() {
    return averageEvery;
  }

  /**
   * Seed of the row plan (the deal to the workers, every epoch's order) and of the validation
   * split; default: the class name's hash, so that every fit is the same.
   */
  public LongParam seed() {
    return seed;
  }

  /** Numeric column of the samples' weights (Keras's sample_weight); unset: none. */
  public Param<String> sampleWeightCol() {
    return sampleWeightCol;
  }

  /** Class weights as text, {@code 0=1,1=5} (Keras's class_weight); unset: none. */
  public Param<String> classWeight() {
    return classWeight;
  }

  /** Rows in a fresh seeded order every epoch (default true), else in the DataFrame's. */
  public BooleanParam shuffle() {
    return shuffle;
  }

  /** Fraction of rows held out for validation (default 0: none). */
  public DoubleParam validationFraction() {
    return validationFraction;
  }

  /** Batch size of validation and of the fitted model's scoring (default 256). */
  public IntParam scoringBatchSize() {
    return scoringBatchSize;
  }

  /** Driver output during fit: 0 (default), 1 or 2, as Keras's {@code verbose}. */
  public IntParam verbose() {
    return verbose;
  }

  public String getFeaturesCol() {
    return getOrDefault(featuresCol);
  }

  /** The raw input columns; fails when they are not set (see {@link #setInputCols}). */
  public String[] getInputCols() {
    return getOrDefault(inputCols);
  }

  public String getLabelCol() {
    return getOrDefault(labelCol);
  }

  public String getPredictionCol() {
    return getOrDefault(predictionCol);
  }

  public int getEpochs() {
    return (Integer) getOrDefault(epochs);
  }

  public int getBatchSize() {
    return (Integer) getOrDefault(batchSize);
  }

  public int getWorkers() {
    return (Integer) getOrDefault(workers);
  }

  public String getMode() {
    return getOrDefault(mode);
  }

  public int getStaleness() {
    return (Integer) getOrDefault(staleness);
  }

  public int getAverageEvery() {
    return (Integer) getOrDefault(averageEvery);
  }

  public long getSeed() {
    return (Long) getOrDefault(seed);
  }

  public boolean getShuffle() {
    return (Boolean) getOrDefault(shuffle);
  }

  public double getValidationFraction() {
    return (Double) getOrDefault(validationFraction);
  }

  public int getScoringBatchSize() {
    return (Integer) getOrDefault(scoringBatchSize);
  }

  public int getVerbose() {
    return (Integer) getOrDefault(verbose);
  }

  public KerasEstimator setFeaturesCol(String value) {
    set(featuresCol, nonBlank("featuresCol", value));
    return this;
  }

  /**
   * Trains on raw columns (strings, integers, floats, ...) instead of one features vector, for a
   * model whose graph starts with preprocessing layers: one column per model input, matched by
   * name; the executors run the layers on every row, and the fitted {@link KerasModel} scores raw
   * rows the same way. Without it, {@link #featuresCol()} is read, as before.
   *
   * <pre>{@code
   * SparkAdapt.adapt(fs, train);
   * Model net = new Model(fs.inputList(), List.of(new Dense(2).activation("softmax")
   *     .apply(new Dense(32).activation("relu").apply(fs.encodedFeatures()))));
   * net.compile(new Adam(0.01), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
   * KerasEstimator keras = new KerasEstimator(net)
   *     .setInputCols(fs.columns().toArray(new String[0])).setLabelCol("label");
   * }</pre>
   */
  public KerasEstimator setInputCols(String... value) {
    set(inputCols, KerasStages.checkedInputCols(value));
    return this;
  }

  public KerasEstimator setLabelCol(String value) {
    set(labelCol, nonBlank("labelCol", value));
    return this;
  }

  public KerasEstimator setPredictionCol(String value) {
    set(predictionCol, nonBlank("predictionCol", value));
    return this;
  }

  public KerasEstimator setEpochs(int value) {
    set(epochs, checked(TrainerSettings.EPOCHS, value));
    return this;
  }

  public KerasEstimator setBatchSize(int value) {
    set(batchSize, checked(TrainerSettings.BATCH_SIZE, value));
    return this;
  }

  public KerasEstimator setWorkers(int value) {
    set(workers, checked(TrainerSettings.WORKERS, value));
    return this;
  }

  /** {@code sync}, {@code async} (with {@link #setStaleness}) or {@code averaging}. */
  public KerasEstimator setMode(String value) {
    TrainingMode m;
    try {
      m = TrainingMode.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(TrainerSettings.MODE.label(Via.PARAM) + ": "
          + e.getMessage(), e);
    }
    set(mode, m.key());
    return this;
  }

  public KerasEstimator setStaleness(int value) {
    set(staleness, checked(TrainerSettings.STALENESS, value));
    return this;
  }

  public KerasEstimator setAverageEvery(int value) {
    set(averageEvery, checked(TrainerSettings.AVERAGE_EVERY, value));
    return this;
  }

  public KerasEstimator setSeed(long value) {
    set(seed, value);
    return this;
  }

  public KerasEstimator setSampleWeightCol(String value) {
    set(sampleWeightCol, TrainerSettings.SAMPLE_WEIGHT_COL.check(value, Via.PARAM));
    return this;
  }

  public KerasEstimator setClassWeight(String value) {
    TrainerSettings.CLASS_WEIGHT.parse(value, Via.PARAM);
    set(classWeight, value);
    return this;
  }

  public KerasEstimator setShuffle(boolean value) {
    set(shuffle, value);
    return this;
  }

  public KerasEstimator setValidationFraction(double value) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException("validationFraction: expected a value in [0, 1), found "
          + value);
    }
    set(validationFraction, value);
    return this;
  }

  public KerasEstimator setScoringBatchSize(int value) {
    set(scoringBatchSize, checked(TrainerSettings.SCORING_BATCH_SIZE, value));
    return this;
  }

  public KerasEstimator setVerbose(int value) {
    if (value < 0 || value > 2) {
      throw new IllegalArgumentException("verbose: expected 0, 1 or 2, found " + value);
    }
    set(verbose, value);
    return this;
  }

  /** The untrained model this estimator fits copies of (an independent copy). */
  public io.sparkeras.api.models.Model model() {
    return WorkerModels.load(modelFile);
  }

  /** A copy loaded once, for shapes and schemas on the driver (never trained). */
  private synchronized io.sparkeras.api.models.Model driverModel() {
    if (shapes == null) {
      shapes = model();
    }
    return shapes;
  }

  /** The mode params as the trainer's mode (the settings table's one parser). */
  SyncMode syncMode() {
    return TrainerSettings.syncMode(getMode(), getStaleness(), getAverageEvery(), Via.PARAM);
  }

  // ---- Estimator -----------------------------------------------------------------------------

  /**
   * Checks the features column (a Vector or numeric array, of the model's input size when the
   * schema tells) — or, with {@link #inputCols()} set, the raw columns against the model's
   * inputs — and the label column (a number, numeric array or Vector); returns the schema the
   * fitted model's {@code transform} produces.
   */
  @Override
  public StructType transformSchema(StructType schema) {
    io.sparkeras.api.models.Model m = driverModel();
    String owner = "KerasEstimator " + uid;
    SparkTrainer trainer = SparkTrainer.of(SparkSession.active(), m)
        .predictionCol(getPredictionCol());
    KerasStages.checkModelInputs(schema, this, inputCols, featuresCol, m, trainer.settings(),
        owner);
    KerasStages.checkTargets(schema, getLabelCol(), m, owner);
    return trainer.predictionSchema(schema);
  }

  /**
   * Trains a copy of the model on {@code dataset} with {@link SparkTrainer} ({@link #workers()}
   * barrier tasks, {@link #mode()}, rows dealt and ordered from {@link #seed()}), holding out
   * {@link #validationFraction()} of the rows (a seeded pick, SparkTrainer's validationSplit) for
   * {@code val_*} logs, and returns the trained {@link KerasModel} (same uid, this as parent,
   * the shared params copied, the training history in {@link KerasModel#history()}).
   */
  @Override
  public KerasModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    Dataset<Row> df = dataset.toDF();
    io.sparkeras.api.models.Model net = model();
    SparkTrainer trainer = SparkTrainer.of(df.sparkSession(), net).workers(getWorkers())
        .mode(syncMode()).scoringBatchSize(getScoringBatchSize())
        .predictionCol(getPredictionCol()).seed(getSeed());
    if (isDefined(sampleWeightCol)) {
      trainer.sampleWeightCol((String) getOrDefault(sampleWeightCol));
    }
    if (isDefined(classWeight)) {
      trainer.classWeight(TrainerSettings.CLASS_WEIGHT.parse((String) getOrDefault(classWeight),
          Via.PARAM));
    }
    History h = trainer.fit(df, KerasStages.featureColumns(this, inputCols, featuresCol),
        getLabelCol(),
        FitOptions.epochs(getEpochs()).batchSize(getBatchSize()).verbose(getVerbose())
            .shuffle(getShuffle()).validationSplit(getValidationFraction()), null);
    KerasModel fitted = new KerasModel(uid, WorkerModels.toBytes(net), h.history());
    copyValues(fitted, ParamMap.empty());
    return fitted.setParent(this);
  }

  @Override
  public KerasEstimator copy(ParamMap extra) {
    KerasEstimator copy = new KerasEstimator(uid, modelFile);
    return copyValues(copy, extra);
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  /** Reader for {@code Pipeline.load} (called reflectively) and {@link #load}. */
  public static MLReader<KerasEstimator> read() {
    return new Reader();
  }

  /** Loads an estimator saved with {@code write().save(path)}. */
  public static KerasEstimator load(String path) {
    return read().load(path);
  }

  private static final class Writer extends MLWriter {
    private final KerasEstimator stage;

    Writer(KerasEstimator stage) {
      this.stage = stage;
    }

    @Override
    public void saveImpl(String path) {
      KerasStages.save(stage, stage.modelFile, null, path, sc());
    }
  }

  private static final class Reader extends MLReader<KerasEstimator> {
    @Override
    public KerasEstimator load(String path) {
      KerasStages.Loaded l = KerasStages.load(path, sc(), KerasEstimator.class.getName());
      return l.apply(new KerasEstimator(l.metadata.uid(), l.modelFile));
    }
  }
}
