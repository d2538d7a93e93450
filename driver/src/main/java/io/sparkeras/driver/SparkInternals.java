package io.sparkeras.driver;

import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

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

  /** A DataFrame over Catalyst rows that follow {@code schema} (internalCreateDataFrame). */
  static Dataset<Row> dataFrame(SparkSession spark, RDD<InternalRow> rows, StructType schema) {
    return spark.internalCreateDataFrame(rows, schema, false);
  }
}
