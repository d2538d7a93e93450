package io.sparkeras.driver.ml;

import io.sparkeras.driver.SparkTrainer;
import io.sparkeras.driver.TrainerSettings;
import io.sparkeras.worker.WorkerModels;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
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
 * A trained Sparkeras model as a Spark ML {@code Transformer}: {@link #transform} appends the
 * model's output to every row, scored on the executors exactly as
 * {@link SparkTrainer#predict(Dataset, String)} does (model loaded once per executor JVM, rows
 * in batches of {@link #scoringBatchSize()}, every input column kept). Made by
 * {@link KerasEstimator#fit}, or directly from a trained model with {@link #of}.
 *
 * <pre>{@code
 * KerasModel scorer = KerasModel.of(trainedModel).setFeaturesCol("features");
 * // or, for a model that starts with preprocessing layers: .setInputCols("age", "zip")
 * Dataset<Row> scored = scorer.transform(df);          // df's columns + "prediction"
 * scorer.write().overwrite().save("hdfs://nn/models/fmnist-stage");
 * KerasModel again = KerasModel.load("hdfs://nn/models/fmnist-stage");
 * }</pre>
 *
 * <p>The prediction column is {@code float} when the model's output has one value per row, else
 * {@code array<float>} (e.g. the 10 class probabilities of a softmax classifier).
 *
 * <p>Saved as a directory (Spark ML metadata with the params, the model file, the training
 * history), readable by {@code PipelineModel.load} when the stage is inside a pipeline.
 */
public final class KerasModel extends Model<KerasModel> implements MLWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final byte[] modelFile;
  private final Map<String, List<Double>> history;
  private final Param<String> featuresCol;
  private final StringArrayParam inputCols;
  private final Param<String> predictionCol;
  private final IntParam scoringBatchSize;
  private transient io.sparkeras.api.models.Model model;

  /**
   * A model stage over the bytes of a saved Sparkeras model file ({@code Model.save} format).
   *
   * @param history per-epoch training logs (may be empty)
   */
  KerasModel(String uid, byte[] modelFile, Map<String, List<Double>> history) {
    this.uid = uid;
    this.modelFile = modelFile;
    this.history = history == null ? Map.of() : history;
    this.featuresCol = KerasStages.featuresCol(this);
    this.inputCols = KerasStages.inputCols(this);
    this.predictionCol = KerasStages.predictionCol(this);
    this.scoringBatchSize = KerasStages.scoringBatchSize(this);
    setDefault(featuresCol, TrainerSettings.FEATURES_COL.defaultText());
    setDefault(predictionCol, TrainerSettings.PREDICTION_COL.defaultText());
    setDefault(scoringBatchSize, TrainerSettings.SCORING_BATCH_SIZE_DEFAULT);
  }

  /** A stage that scores with {@code model} (its current weights; later changes are not seen). */
  public static KerasModel of(io.sparkeras.api.models.Model model) {
    return new KerasModel(Identifiable.randomUID("kerasModel"), WorkerModels.toBytes(model),
        Map.of());
  }

  @Override
  public String uid() {
    return uid;
  }

  /** Features column (default {@code features}). */
  public Param<String> featuresCol() {
    return featuresCol;
  }

  /**
   * Raw input columns (no default): for a model whose graph starts with preprocessing layers,
   * one column per model input by name; when set, {@link #featuresCol()} is not read.
   */
  public StringArrayParam inputCols() {
    return inputCols;
  }

  /** Prediction column (default {@code prediction}). */
  public Param<String> predictionCol() {
    return predictionCol;
  }

  /** Rows per batch on the executors (default 256). */
  public IntParam scoringBatchSize() {
    return scoringBatchSize;
  }

  public String getFeaturesCol() {
    return getOrDefault(featuresCol);
  }

  /** The raw input columns; fails when they are not set (see {@link #setInputCols}). */
  public String[] getInputCols() {
    return getOrDefault(inputCols);
  }

  public String getPredictionCol() {
    return getOrDefault(predictionCol);
  }

  public int getScoringBatchSize() {
    return (Integer) getOrDefault(scoringBatchSize);
  }

  public KerasModel setFeaturesCol(String value) {
    set(featuresCol, KerasEstimator.nonBlank("featuresCol", value));
    return this;
  }

  /**
   * Scores raw columns (strings, integers, floats, ...) with a model whose graph starts with
   * preprocessing layers: one column per model input, matched by name, encoded on the executors
   * by the model's own layers. Without it, {@link #featuresCol()} is read.
   *
   * <pre>{@code
   * KerasModel scorer = KerasModel.of(trained).setInputCols("age", "occupation", "zip");
   * Dataset<Row> scored = scorer.transform(rawTable);
   * }</pre>
   */
  public KerasModel setInputCols(String... value) {
    set(inputCols, KerasStages.checkedInputCols(value));
    return this;
  }

  public KerasModel setPredictionCol(String value) {
    set(predictionCol, KerasEstimator.nonBlank("predictionCol", value));
    return this;
  }

  public KerasModel setScoringBatchSize(int value) {
    set(scoringBatchSize, KerasEstimator.checked(TrainerSettings.SCORING_BATCH_SIZE, value));
    return this;
  }

  /**
   * The Sparkeras model this stage scores with: an independent copy loaded from the stage's
   * model file (architecture, compile settings, trained weights).
   */
  public io.sparkeras.api.models.Model model() {
    return WorkerModels.load(modelFile);
  }

  /** The saved model file's bytes ({@code Model.save} format). */
  public byte[] modelFile() {
    return modelFile.clone();
  }

  /**
   * Per-epoch training logs of the fit that made this model ({@code loss}, {@code accuracy},
   * {@code val_loss}, ...), saved and loaded with the stage; empty for {@link #of}.
   */
  public Map<String, List<Double>> history() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(history));
  }

  private synchronized io.sparkeras.api.models.Model driverModel() {
    if (model == null) {
      model = WorkerModels.load(modelFile);
    }
    return model;
  }

  private SparkTrainer scorer(SparkSession spark) {
    return SparkTrainer.of(spark, driverModel()).predictionCol(getPredictionCol())
        .scoringBatchSize(getScoringBatchSize());
  }

  /**
   * Checks the features column (exists; a Vector or numeric array, of the model's input size
   * when the schema tells) — or, with {@link #inputCols()} set, the raw columns against the
   * model's inputs — and returns the input schema plus the prediction column.
   */
  @Override
  public StructType transformSchema(StructType schema) {
    SparkTrainer scorer = scorer(SparkSession.active());
    KerasStages.checkModelInputs(schema, this, inputCols, featuresCol, driverModel(),
        scorer.settings(), "KerasModel " + uid);
    return scorer.predictionSchema(schema);
  }

  /** Every row of {@code dataset} with the model's prediction appended (lazy, like Spark ML). */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    Dataset<Row> df = dataset.toDF();
    return scorer(df.sparkSession()).predict(df,
        KerasStages.featureColumns(this, inputCols, featuresCol));
  }

  @Override
  public KerasModel copy(ParamMap extra) {
    KerasModel copy = new KerasModel(uid, modelFile, history);
    copyValues(copy, extra);
    return copy.setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  /** Reader for {@code PipelineModel.load} (called reflectively) and {@link #load}. */
  public static MLReader<KerasModel> read() {
    return new Reader();
  }

  /** Loads a stage saved with {@code write().save(path)}. */
  public static KerasModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "KerasModel: uid=" + uid + ", model=" + driverModel().getName();
  }

  private static final class Writer extends MLWriter {
    private final KerasModel stage;

    Writer(KerasModel stage) {
      this.stage = stage;
    }

    @Override
    public void saveImpl(String path) {
      KerasStages.save(stage, stage.modelFile, stage.history, path, sc());
    }
  }

  private static final class Reader extends MLReader<KerasModel> {
    @Override
    public KerasModel load(String path) {
      KerasStages.Loaded l = KerasStages.load(path, sc(), KerasModel.class.getName());
      return l.apply(new KerasModel(l.metadata.uid(), l.modelFile, l.history));
    }
  }
}
