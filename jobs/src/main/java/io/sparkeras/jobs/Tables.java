package io.sparkeras.jobs;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Reads inputs and writes outputs given as a Hadoop path ({@code hdfs://nn/data/x},
 * {@code s3a://b/x}, {@code /tmp/x}) or a catalog table name ({@code db.table}: no {@code /} and
 * no {@code :}).
 */
final class Tables {
  /** Input formats. */
  static final List<String> INPUT_FORMATS = List.of("parquet", "delta", "iceberg", "orc", "csv",
      "json");
  /** Output formats of predict and dataset. */
  static final List<String> OUTPUT_FORMATS = List.of("parquet", "delta");

  private Tables() {}

  static boolean isPath(String where) {
    return where.contains("/") || where.contains(":");
  }

  /**
   * The input format: {@code format} when given (checked against {@link #INPUT_FORMATS}), else
   * {@code delta} for a directory with a {@code _delta_log}, else {@code parquet}.
   */
  static String inputFormat(SparkSession spark, String flag, String where, String format) {
    if (format != null) {
      String f = format.trim().toLowerCase(Locale.ROOT);
      if (!INPUT_FORMATS.contains(f)) {
        throw JobException.usage(flag + ": expected one of " + INPUT_FORMATS + ", found '"
            + format + "'");
      }
      if (f.equals("iceberg")) {
        throw JobException.usage(flag + " iceberg: not supported by this build yet (Iceberg's "
            + "runtime is not packaged); expected parquet, delta, orc, csv or json");
      }
      return f;
    }
    if (isPath(where)) {
      try {
        Path p = new Path(where, "_delta_log");
        if (p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
          return "delta";
        }
      } catch (IOException | IllegalArgumentException e) {
        // unreadable: read() reports it with the flag's name
      }
    }
    return "parquet";
  }

  /** Reads {@code where} (path or table) and resolves its schema; errors name {@code flag}. */
  static Dataset<Row> read(SparkSession spark, String flag, String where, String format) {
    String f = inputFormat(spark, "--format", where, format);
    try {
      Dataset<Row> df;
      if (!isPath(where)) {
        df = spark.table(where);
      } else {
        DataFrameReader r = spark.read().format(f);
        if (f.equals("csv")) {
          r = r.option("header", "true").option("inferSchema", "true");
        }
        df = r.load(where);
      }
      df.schema();
      return df;
    } catch (JobException e) {
      throw e;
    } catch (Exception e) {
      // AnalysisException (a missing path, an unknown table) is a checked exception to Java
      throw new JobException(JobException.USAGE, flag + ": cannot read '" + where + "' as " + f
          + ": " + JobException.brief(e), e);
    }
  }

  /** Whether a path or table exists. */
  static boolean exists(SparkSession spark, String flag, String where) {
    if (!isPath(where)) {
      return spark.catalog().tableExists(where);
    }
    try {
      Path p = new Path(where);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return fs.exists(p);
    } catch (IOException | IllegalArgumentException e) {
      throw new JobException(JobException.USAGE, flag + ": cannot access '" + where + "': "
          + JobException.brief(e), e);
    }
  }

  /** Checks an output format flag. */
  static String outputFormat(String flag, String format) {
    String f = format.trim().toLowerCase(Locale.ROOT);
    if (!OUTPUT_FORMATS.contains(f)) {
      throw JobException.usage(flag + ": expected one of " + OUTPUT_FORMATS + ", found '"
          + format + "'");
    }
    return f;
  }

  /** Checks a write mode flag: overwrite, append or error. */
  static SaveMode saveMode(String flag, String mode) {
    switch (mode.trim().toLowerCase(Locale.ROOT)) {
      case "overwrite":
        return SaveMode.Overwrite;
      case "append":
        return SaveMode.Append;
      case "error":
        return SaveMode.ErrorIfExists;
      default:
        throw JobException.usage(flag + ": expected overwrite, append or error, found '" + mode
            + "'");
    }
  }

  /**
   * Refuses an existing output unless the mode overwrites or appends: called before any job
   * runs, so a refused command writes nothing.
   */
  static void checkOutput(SparkSession spark, String flag, String where, SaveMode mode) {
    if (mode == SaveMode.ErrorIfExists && exists(spark, flag, where)) {
      throw JobException.usage(flag + ": '" + where + "' already exists; pass --mode overwrite "
          + "or --mode append");
    }
  }

  /** Writes {@code df}; Spark's committer (or Delta's log) makes the write atomic. */
  static void write(Dataset<Row> df, String where, String format, SaveMode mode) {
    if (isPath(where)) {
      df.write().format(format).mode(mode).save(where);
    } else {
      df.write().format(format).mode(mode).saveAsTable(where);
    }
  }

  /** "a, b, c" for error messages. */
  static String columns(Dataset<Row> df) {
    return String.join(", ", Arrays.asList(df.columns()));
  }
}
