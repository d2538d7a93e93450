package io.sparkeras.driver;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * The rows of a distributed fit, dealt to the workers once per fit: one partition per worker,
 * read by every epoch's barrier stage.
 *
 * <pre>{@code
 * RDD<InternalRow> data = TrainingRows.deal(cols.frame, 4, 32, false);
 * long[] rows = TrainingRows.count(data, 4);     // rows of each worker's partition
 * }</pre>
 */
final class TrainingRows {
  private TrainingRows() {}

  /**
   * {@code repartition(workers)}; with {@code preserveOrder}, row i goes to worker
   * {@code (i / perWorker) % workers} sorted by i ({@link RowIndexPartitioner}), so that global
   * step t trains on rows {@code [tB, (t+1)B)} (costs an index and a sort).
   */
  static RDD<InternalRow> deal(Dataset<Row> selected, int workers, int perWorker,
      boolean preserveOrder) {
    if (!preserveOrder) {
      return SparkInternals.rows(selected.repartition(workers));
    }
    JavaPairRDD<Long, InternalRow> indexed = SparkInternals.rows(selected).toJavaRDD()
        .map(new PartitionFunctions.CopyRow()).zipWithIndex()
        .mapToPair(new PartitionFunctions.IndexFirst());
    return indexed.repartitionAndSortWithinPartitions(new RowIndexPartitioner(workers, perWorker))
        .values().rdd();
  }

  /** Rows in each of the {@code workers} partitions of {@code data}. */
  static long[] count(RDD<InternalRow> data, int workers) {
    long[] rows = new long[workers];
    for (long[] pc : data.toJavaRDD().mapPartitionsWithIndex(new PartitionFunctions.CountRows(),
        false).collect()) {
      rows[(int) pc[0]] = pc[1];
    }
    return rows;
  }
}
