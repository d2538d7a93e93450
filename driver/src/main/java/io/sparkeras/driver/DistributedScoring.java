package io.sparkeras.driver;

import io.sparkeras.api.models.Model;
import io.sparkeras.worker.EpochResult;
import io.sparkeras.worker.WorkerModels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Distributed {@code evaluate} and {@code predict} of a model over DataFrames: the model file is
 * broadcast, each executor JVM loads it once (cached by its hash), partitions are scored in
 * batches of {@link TrainerSettings#SCORING_BATCH_SIZE} on Catalyst rows
 * ({@link SparkInternals}).
 *
 * <pre>{@code
 * DistributedScoring scoring = new DistributedScoring(spark, model, settings);
 * Map<String, Double> logs = scoring.evaluate(resolver.select(df, List.of("x"), "y"));
 * Dataset<Row> scored = scoring.predict(resolver.features(df, List.of("x")));
 * }</pre>
 */
final class DistributedScoring {
  private final SparkSession spark;
  private final Model model;
  private final TrainerSettings settings;

  DistributedScoring(SparkSession spark, Model model, TrainerSettings settings) {
    this.spark = spark;
    this.model = model;
    this.settings = settings;
  }

  private Broadcast<byte[]> broadcast(byte[] file) {
    return JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(file);
  }

  /**
   * Loss and metrics over {@code cols.frame()}: each partition reports the states of its loss
   * and metrics, which merge exactly ({@code Trainer.mergeStates}): the loss, the sample-mean
   * metrics, AUC, precision and recall, weighted or not, as one process over all the rows.
   */
  Map<String, Double> evaluate(ColumnResolver.Columns cols) {
    byte[] file = WorkerModels.toBytes(model);
    Broadcast<byte[]> b = broadcast(file);
    try {
      List<EpochResult> results = SparkInternals.rows(cols.frame()).toJavaRDD()
          .mapPartitionsWithIndex(new PartitionFunctions.Evaluate(b, WorkerModels.key(file),
              cols.layout(), settings.get(TrainerSettings.SCORING_BATCH_SIZE),
              settings.get(TrainerSettings.BAD_ROWS)), false)
          .collect();
      List<EpochResult> ordered = new ArrayList<>(results);
      ordered.sort(Comparator.comparingInt(r -> r.partition));
      return model.trainer().mergeStates(EpochResult.logsOf(ordered));
    } finally {
      b.destroy();
    }
  }

  /** Every column of {@code features.frame()} plus the prediction columns. */
  Dataset<Row> predict(ColumnResolver.Columns features) {
    Dataset<Row> df = features.frame();
    StructType schema = predictionSchema(df.schema());
    List<int[]> outs = model.outputShapes();
    boolean[] scalar = new boolean[outs.size()];
    for (int i = 0; i < outs.size(); i++) {
      scalar[i] = ColumnResolver.product(outs.get(i)) == 1;
    }
    byte[] file = WorkerModels.toBytes(model);
    Broadcast<byte[]> b = broadcast(file);
    RDD<InternalRow> scored = SparkInternals.rows(df).toJavaRDD()
        .mapPartitions(new PartitionFunctions.Predict(b, WorkerModels.key(file),
            features.layout(), settings.get(TrainerSettings.SCORING_BATCH_SIZE), scalar))
        .rdd();
    return SparkInternals.dataFrame(spark, scored, schema);
  }

  /**
   * {@code input} plus one prediction column per model output ({@link #predictionColumns}):
   * {@code float} when an output has one value per sample, else {@code array<float>}. Fails if a
   * prediction column exists.
   */
  StructType predictionSchema(StructType input) {
    List<int[]> outs = model.outputShapes();
    List<String> names = predictionColumns();
    StructType schema = input;
    for (int i = 0; i < outs.size(); i++) {
      boolean scalar = ColumnResolver.product(outs.get(i)) == 1;
      String name = names.get(i);
      if (Arrays.asList(schema.fieldNames()).contains(name)) {
        throw new IllegalArgumentException("predict: the DataFrame already has a column '" + name
            + "'; choose another prediction column (predictionCol)");
      }
      schema = schema.add(new StructField(name, scalar ? DataTypes.FloatType
          : DataTypes.createArrayType(DataTypes.FloatType, false), false, Metadata.empty()));
    }
    return schema;
  }

  /**
   * The prediction columns: {@link TrainerSettings#PREDICTION_COL} for a model with one
   * output, else {@code <predictionCol>_<output name>} for each output.
   */
  List<String> predictionColumns() {
    String predictionCol = settings.get(TrainerSettings.PREDICTION_COL);
    List<String> outputs = model.outputNames();
    List<String> names = new ArrayList<>();
    for (String o : outputs) {
      names.add(outputs.size() == 1 ? predictionCol : predictionCol + "_" + o);
    }
    return names;
  }
}
