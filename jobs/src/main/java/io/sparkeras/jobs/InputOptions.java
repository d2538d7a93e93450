package io.sparkeras.jobs;

import io.sparkeras.driver.ColumnMapping;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import picocli.CommandLine.Option;

/** {@code --input}, {@code --format} and {@code --features}, shared by train, evaluate, predict. */
final class InputOptions {
  /** Name of the array column that several numeric {@code --features} columns are packed into. */
  static final String PACKED = "__sparkeras_features";

  @Option(names = "--input", required = true, paramLabel = "PATH_OR_TABLE",
      description = "Hadoop path (hdfs://, s3a://, file:, /abs) or catalog table name.")
  String input;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "parquet, delta, orc, csv (header, inferred types) or json; default: delta "
          + "for a directory with a _delta_log, else parquet. Also used for --validation.")
  String format;

  @Option(names = "--features", required = true, split = ",", paramLabel = "COL",
      description = "One column (array<float|double>, ML vector, ...) or several numeric columns; "
          + "a model with several inputs: INPUT=COL for each, by the model's input names.")
  List<String> features;

  /** The input with its feature columns checked, packed into one when there are several. */
  Input read(SparkSession spark, String flag, String where) {
    return prepare(Tables.read(spark, flag, where, format), flag, where);
  }

  Input read(SparkSession spark) {
    return read(spark, "--input", input);
  }

  /**
   * Raw columns for a model with preprocessing layers: the {@code --features} columns are read
   * as they are (strings, integers, ...), one per model input, not packed into one array.
   */
  boolean raw;

  Input prepare(Dataset<Row> df, String flag, String where) {
    if (features.stream().anyMatch(f -> f.contains("="))) {
      // one column per named input: the trainer maps them (and says which input is missing)
      List<String> cols = columnsOf(features);
      for (String c : cols) {
        requireColumn(df, "--features", c, flag, where);
      }
      return new Input(df, String.join(",", features), cols);
    }
    for (String c : features) {
      requireColumn(df, "--features", c, flag, where);
    }
    if (raw) {
      return new Input(df, null, features);
    }
    if (features.size() == 1) {
      return new Input(df, features.get(0), features);
    }
    List<Column> cols = new ArrayList<>();
    for (String c : features) {
      DataType t = df.schema().apply(c).dataType();
      if (!(t instanceof NumericType)) {
        throw JobException.usage("--features: column '" + c + "' of " + flag + " '" + where
            + "' is " + t.simpleString() + "; several feature columns must each be numeric");
      }
      cols.add(functions.col(c).cast(DataTypes.FloatType));
    }
    return new Input(df.withColumn(PACKED, functions.array(cols.toArray(new Column[0]))),
        PACKED, features);
  }

  /** The columns of {@code COL} or {@code NAME=COL} entries. */
  static List<String> columnsOf(List<String> entries) {
    List<String> cols = new ArrayList<>();
    for (String e : entries) {
      cols.add(e.substring(e.indexOf('=') + 1).trim());
    }
    return cols;
  }

  /** Checks each column of a {@code --label} ({@code COL} or {@code OUTPUT=COL,...}). */
  static void requireLabels(Dataset<Row> df, String label, String flag, String where) {
    for (String c : columnsOf(Arrays.asList(label.split(",")))) {
      requireColumn(df, "--label", c, flag, where);
    }
  }

  /** Fails with a message naming {@code optionFlag} when {@code col} is not a column. */
  static void requireColumn(Dataset<Row> df, String optionFlag, String col, String flag,
      String where) {
    if (!Arrays.asList(df.columns()).contains(col)) {
      throw JobException.usage(optionFlag + ": column '" + col + "' not found in " + flag + " '"
          + where + "' (columns: " + Tables.columns(df) + ")");
    }
  }

  /**
   * A read input: the DataFrame and the one feature column the trainer reads (null for raw
   * columns, {@link #columns}).
   */
  static final class Input {
    final Dataset<Row> df;
    final String featuresCol;
    final List<String> sourceColumns;

    Input(Dataset<Row> df, String featuresCol, List<String> sourceColumns) {
      this.df = df;
      this.featuresCol = featuresCol;
      this.sourceColumns = sourceColumns;
    }

    /**
     * The columns the trainer reads: the one feature column, the {@code INPUT=COL} entries, or
     * the raw columns.
     */
    List<String> columns() {
      return featuresCol == null ? sourceColumns : ColumnMapping.split(featuresCol);
    }
  }
}
