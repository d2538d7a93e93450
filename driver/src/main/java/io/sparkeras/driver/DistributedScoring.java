package io.sparkeras.driver;

import io.sparkeras.api.metrics.AUC;
import io.sparkeras.api.metrics.Metric;
import io.sparkeras.api.metrics.Precision;
import io.sparkeras.api.metrics.Recall;
import io.sparkeras.api.models.Model;
import io.sparkeras.worker.EpochResult;
import io.sparkeras.worker.WorkerModels;
import java.util.ArrayList;
import java.util.Arrays;
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
   * Loss and metrics over {@code cols.frame()}: each partition reports its loss and metrics
   * with its sample count, merged weighted by samples (exact for the loss and sample-mean
   * metrics); AUC, precision and recall, whose state is not a sample mean, are computed here
   * over every partition's targets and predictions, gathered.
   */
  Map<String, Double> evaluate(ColumnResolver.Columns cols) {
    byte[] file = WorkerModels.toBytes(model);
    Broadcast<byte[]> b = broadcast(file);
    List<Metric> gathered = new ArrayList<>();
    for (Metric m : model.getCompiledMetrics()) {
      if (m instanceof AUC || m instanceof Precision || m instanceof Recall) {
        gathered.add(m);
      }
    }
    try {
      List<EpochResult> results = SparkInternals.rows(cols.frame()).toJavaRDD()
          .mapPartitionsWithIndex(new PartitionFunctions.Evaluate(b, WorkerModels.key(file),
              cols.features(), cols.featureShape(), cols.label(), cols.labelShape(),
              settings.get(TrainerSettings.SCORING_BATCH_SIZE),
              settings.get(TrainerSettings.BAD_ROWS), !gathered.isEmpty()), false)
          .collect();
      Map<String, Double> logs = EpochResult.merge(results);
      if (!gathered.isEmpty()) {
        logs.putAll(gatheredMetrics(gathered, results));
      }
      return logs;
    } finally {
      b.destroy();
    }
  }

  /** The gathered metrics over every partition's targets and predictions. */
  private Map<String, Double> gatheredMetrics(List<Metric> gathered, List<EpochResult> results) {
    List<float[]> ys = new ArrayList<>();
    List<float[]> ps = new ArrayList<>();
    long rows = 0;
    for (EpochResult r : results) {
      ys.add(r.yTrue);
      ps.add(r.yPred);
      rows += r.samples;
    }
    float[] yTrue = concat(ys);
    float[] yPred = concat(ps);
    int[] outShape = model.outputShapes().get(0);
    Map<String, Double> logs = new java.util.LinkedHashMap<>();
    for (Metric m : gathered) {
      Metric copy = Metric.REGISTRY.deserialize(Metric.REGISTRY.serialize(m));
      copy.resetState();
      if (rows > 0) {
        copy.updateState(yTrue, yPred, (int) rows, outShape);
      }
      logs.put(m.name(), copy.result());
    }
    return logs;
  }

  private static float[] concat(List<float[]> parts) {
    int n = 0;
    for (float[] p : parts) {
      n += p == null ? 0 : p.length;
    }
    float[] out = new float[n];
    int at = 0;
    for (float[] p : parts) {
      if (p != null) {
        System.arraycopy(p, 0, out, at, p.length);
        at += p.length;
      }
    }
    return out;
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
            features.features(), features.featureShape(),
            settings.get(TrainerSettings.SCORING_BATCH_SIZE), scalar))
        .rdd();
    return SparkInternals.dataFrame(spark, scored, schema);
  }

  /**
   * {@code input} plus one prediction column per model output: {@code float} when an output has
   * one value per sample, else {@code array<float>}. Fails if a prediction column exists.
   */
  StructType predictionSchema(StructType input) {
    List<int[]> outs = model.outputShapes();
    String predictionCol = settings.get(TrainerSettings.PREDICTION_COL);
    StructType schema = input;
    for (int i = 0; i < outs.size(); i++) {
      boolean scalar = ColumnResolver.product(outs.get(i)) == 1;
      String name = outs.size() == 1 ? predictionCol : predictionCol + "_" + i;
      if (Arrays.asList(schema.fieldNames()).contains(name)) {
        throw new IllegalArgumentException("predict: the DataFrame already has a column '" + name
            + "'; choose another prediction column (predictionCol)");
      }
      schema = schema.add(new StructField(name, scalar ? DataTypes.FloatType
          : DataTypes.createArrayType(DataTypes.FloatType, false), false, Metadata.empty()));
    }
    return schema;
  }
}
