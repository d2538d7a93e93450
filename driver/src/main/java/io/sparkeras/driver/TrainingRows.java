package io.sparkeras.driver;

import io.sparkeras.worker.RowPlan;
import io.sparkeras.worker.ValidationSplit;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The rows of a distributed fit, dealt to the workers once per fit by a {@link RowPlan}: one
 * partition per worker, read by every epoch's barrier stage in that epoch's order.
 *
 * <p>Rows are numbered in the order Spark reads the DataFrame (partition by partition; one
 * counting job), which is fixed for a table or files: the plan, hence the fit, is then a
 * function of the data and the seed alone. (A DataFrame computed through a shuffle, e.g. a join
 * or {@code repartition}, has no fixed order: sort it first for reproducible fits.) The deal is
 * one Spark shuffle that also sorts every worker's rows by their index, and its output is cached
 * on the executors for the fit ({@code MEMORY_AND_DISK}, as Spark ML's estimators cache their
 * input; released by {@link #close}): an unshuffled epoch reads the cache as it is, a shuffled
 * one sorts it by the epoch's key inside the barrier tasks (Spark SQL's spilling sorter: no
 * exchange, no query planned per epoch, spilling to disk when a worker's rows do not fit in
 * memory). With a validation split the held-out rows are picked by index ({@link
 * ValidationSplit}) and never dealt.
 *
 * <pre>{@code
 * try (TrainingRows rows = TrainingRows.deal(spark, cols.frame(), 4, 32, true, seed, 0.1)) {
 *   RDD<InternalRow> epoch3 = rows.epoch(3);    // each worker's rows in epoch 3's order
 *   long[] perWorker = rows.plan().partitionRows();
 * }
 * }</pre>
 */
final class TrainingRows implements AutoCloseable {
  /** The column that carries a row's index through the deal (last, after the model's). */
  static final String INDEX = "_sparkeras_row";

  private final SparkSession spark;
  private final RowPlan plan;
  /** Each worker's rows in index order, cached. */
  private final RDD<InternalRow> inOrder;
  /** Their schema: the selected DataFrame's columns, then {@link #INDEX}. */
  private final StructType schema;
  private final RDD<InternalRow> validation;
  private final StructType validationSchema;

  private TrainingRows(SparkSession spark, RowPlan plan, RDD<InternalRow> inOrder,
      StructType schema, RDD<InternalRow> validation, StructType validationSchema) {
    this.spark = spark;
    this.plan = plan;
    this.inOrder = inOrder;
    this.schema = schema;
    this.validation = validation;
    this.validationSchema = validationSchema;
  }

  /**
   * Numbers the rows of {@code selected}, holds out {@code validationSplit} of them (0: none)
   * and deals the rest to {@code workers} workers of {@code perWorker} rows per step, shuffled
   * from {@code seed} or in order.
   */
  static TrainingRows deal(SparkSession spark, Dataset<Row> selected, int workers, int perWorker,
      boolean shuffle, long seed, double validationSplit) {
    RDD<InternalRow> input = SparkInternals.rows(selected);
    long[] counts = new long[input.getNumPartitions()];
    for (long[] pc : input.toJavaRDD().mapPartitionsWithIndex(
        new PartitionFunctions.CountRows(), false).collect()) {
      counts[(int) pc[0]] = pc[1];
    }
    long n = 0;
    long[] offsets = new long[counts.length];
    for (int k = 0; k < counts.length; k++) {
      offsets[k] = n;
      n += counts[k];
    }
    if (n == 0) {
      throw new IllegalArgumentException("fit: the DataFrame has no rows");
    }
    ValidationSplit split = null;
    long[] trainOffsets = offsets;
    long trainRows = n;
    if (validationSplit > 0) {
      split = ValidationSplit.forFit(n, validationSplit, seed);
      trainOffsets = new long[counts.length];
      long t = 0;
      for (int k = 0; k < counts.length; k++) {
        trainOffsets[k] = t;
        t += split.trainingRowsIn(offsets[k], counts[k]);
      }
      trainRows = split.trainingRows();
    }
    RowPlan plan = shuffle ? RowPlan.shuffled(trainRows, workers, perWorker, seed)
        : RowPlan.inOrder(trainRows, workers, perWorker);
    JavaPairRDD<Long, InternalRow> indexed = JavaPairRDD.fromJavaRDD(input.toJavaRDD()
        .mapPartitionsWithIndex(new PartitionFunctions.IndexTrainingRows(offsets, trainOffsets,
            split), false));
    StructType schema = selected.schema().add(INDEX, DataTypes.LongType, false);
    RDD<InternalRow> byWorker = indexed.repartitionAndSortWithinPartitions(
        new PlanPartitioner(plan)).mapPartitions(new PartitionFunctions.AppendIndex(schema), true)
        .rdd().persist(StorageLevel.MEMORY_AND_DISK());
    byWorker.setName("sparkeras fit: rows dealt to " + workers + " workers");
    RDD<InternalRow> held = split == null ? null : input.toJavaRDD().mapPartitionsWithIndex(
        new PartitionFunctions.ValidationRows(offsets, split), false).rdd();
    return new TrainingRows(spark, plan, byWorker, schema, held, selected.schema());
  }

  /** Which worker trains on which row, in which order. */
  RowPlan plan() {
    return plan;
  }

  /**
   * Epoch {@code epoch}'s rows: partition p holds worker p's rows in the order its steps take
   * them (index order, or sorted by {@link RowPlan#orderKey} of the epoch's seed); the columns
   * of the selected DataFrame, then {@link #INDEX}.
   */
  RDD<InternalRow> epoch(int epoch) {
    if (!plan.shuffles()) {
      return inOrder;   // cached in index order: no sort per epoch
    }
    return inOrder.toJavaRDD().mapPartitions(
        new PartitionFunctions.SortByEpochKey(schema, plan.epochSeed(epoch)), true).rdd();
  }

  /** Drops the cached rows from the executors. */
  @Override
  public void close() {
    inOrder.unpersist(false);
  }

  /** The held-out rows (the selected DataFrame's columns), or null without a split. */
  Dataset<Row> validation() {
    return validation == null ? null
        : SparkInternals.dataFrame(spark, validation, validationSchema);
  }
}
