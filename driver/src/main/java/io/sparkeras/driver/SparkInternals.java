package io.sparkeras.driver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.apache.spark.SparkEnv;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.execution.UnsafeExternalRowSorter;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.collection.unsafe.sort.PrefixComparators;
import org.apache.spark.util.collection.unsafe.sort.RecordComparator;
import scala.collection.JavaConverters;

/**
 * The driver's only door into Spark SQL's internals: rows as Catalyst {@link InternalRow}s (no
 * conversion to {@link Row} objects, ~2x faster than {@code Row.getList}, docs/platform.md) and
 * back into a DataFrame. Every call here is public in Spark's bytecode but not in its documented
 * API ({@code private[sql]} in Scala), so a Spark upgrade that changes them breaks this class
 * only.
 *
 * <pre>{@code
 * RDD<InternalRow> rows = SparkInternals.rows(df);          // executors read Catalyst rows
 * InternalRow first = SparkInternals.firstRow(df.limit(1)); // or null
 * Dataset<Row> out = SparkInternals.dataFrame(spark, scored, schema);
 * }</pre>
 */
public final class SparkInternals {
  private SparkInternals() {}

  /** The DataFrame's rows as Catalyst rows ({@code queryExecution().toRdd()}). */
  public static RDD<InternalRow> rows(Dataset<Row> df) {
    return df.queryExecution().toRdd();
  }

  /** The first row of the (small) DataFrame, collected to the driver, or null when empty. */
  static InternalRow firstRow(Dataset<Row> df) {
    InternalRow[] rows = (InternalRow[]) df.limit(1).queryExecution().executedPlan()
        .executeCollect();
    return rows.length == 0 ? null : rows[0];
  }

  /**
   * {@code rows} (each an {@code UnsafeRow} of {@code schema}) sorted inside the running task by
   * Spark SQL's own spilling sorter ({@code UnsafeExternalRowSorter}, the one {@code SortExec}
   * runs: task memory, spills to disk): by the 64-bit {@code prefix} (signed), ties by
   * {@code comparator}, whose supplier gives each merge of spilled runs its own instance.
   */
  static java.util.Iterator<InternalRow> sortInTask(java.util.Iterator<InternalRow> rows,
      StructType schema, ToLongFunction<InternalRow> prefix,
      Supplier<RecordComparator> comparator) {
    UnsafeExternalRowSorter.PrefixComputer computer = new UnsafeExternalRowSorter.PrefixComputer() {
      private final Prefix result = new Prefix();

      @Override
      public Prefix computePrefix(InternalRow row) {
        result.isNull = false;
        result.value = prefix.applyAsLong(row);
        return result;
      }
    };
    try {
      UnsafeExternalRowSorter sorter = UnsafeExternalRowSorter.createWithRecordComparator(schema,
          comparator, PrefixComparators.LONG, computer,
          SparkEnv.get().memoryManager().pageSizeBytes(), false);
      @SuppressWarnings({"unchecked", "rawtypes"})
      scala.collection.Iterator<UnsafeRow> in = (scala.collection.Iterator) JavaConverters
          .asScalaIterator(rows);
      return JavaConverters.asJavaIterator(sorter.sort(in));
    } catch (IOException e) {
      throw new UncheckedIOException("sorting a worker's rows: " + e.getMessage(), e);
    }
  }

  /** A DataFrame over Catalyst rows that follow {@code schema} (internalCreateDataFrame). */
  static Dataset<Row> dataFrame(SparkSession spark, RDD<InternalRow> rows, StructType schema) {
    return spark.internalCreateDataFrame(rows, schema, false);
  }
}
