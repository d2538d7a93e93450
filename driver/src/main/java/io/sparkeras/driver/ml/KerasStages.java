package io.sparkeras.driver.ml;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkeras.api.layers.preprocessing.HostPlan;
import io.sparkeras.api.models.Model;
import io.sparkeras.core.fs.AtomicWrite;
import io.sparkeras.driver.ColumnMapping;
import io.sparkeras.driver.TrainerSettings;
import io.sparkeras.worker.FeatureColumns;
import io.sparkeras.worker.WorkerModels;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * What {@link KerasEstimator} and {@link KerasModel} share: schema checks and the on-disk layout
 * of a saved stage.
 *
 * <p>A saved stage is a directory: {@code metadata/} (Spark ML's DefaultParamsWriter JSON: class,
 * uid, Spark version, every param), {@code model.keras} (the Sparkeras model file, {@code
 * Model.save} format) and, for a fitted model, {@code history.json} (per-epoch training logs).
 * It is written under a hidden temporary name beside the target and renamed into place
 * ({@link AtomicWrite}), so a failed save leaves nothing at the target.
 */
final class KerasStages {
  static final String MODEL_FILE = "model.keras";
  static final String HISTORY_FILE = "history.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private KerasStages() {}

  // ---- the params both stages have (same names, docs and checks, so copyValues carries them) --

  static Param<String> featuresCol(Identifiable owner) {
    return new Param<>(owner, "featuresCol",
        "features column: a Vector, array<float> or array<double> with the model's input size");
  }

  static StringArrayParam inputCols(Params owner) {
    return new StringArrayParam(owner, "inputCols",
        "raw input columns of a model whose graph starts with preprocessing layers (a "
            + "FeatureSpace's columns), one per model input by name; when set, featuresCol is "
            + "not read");
  }

  /** {@code cols} checked as an inputCols value: at least one, none blank, no repeats. */
  static String[] checkedInputCols(String[] cols) {
    if (cols == null || cols.length == 0) {
      throw new IllegalArgumentException("inputCols: expected at least one column name, found "
          + (cols == null ? "null" : "none"));
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String c : cols) {
      KerasEstimator.nonBlank("inputCols", c);
      if (!seen.add(c)) {
        throw new IllegalArgumentException("inputCols: column '" + c + "' is given twice in "
            + Arrays.toString(cols));
      }
    }
    return cols.clone();
  }

  /** The columns {@code stage} feeds its model: its inputCols when set, else its featuresCol. */
  static List<String> featureColumns(Params stage, StringArrayParam inputCols,
      Param<String> featuresCol) {
    return stage.isSet(inputCols) ? List.of(stage.getOrDefault(inputCols))
        : ColumnMapping.split(stage.getOrDefault(featuresCol));
  }

  static Param<String> predictionCol(Identifiable owner) {
    return new Param<>(owner, "predictionCol",
        "prediction column to add: float for one output value, else array<float>");
  }

  static IntParam scoringBatchSize(Identifiable owner) {
    return new IntParam(owner, "scoringBatchSize",
        "rows per batch when validating and scoring on the executors (>= 1)",
        ParamValidators.gtEq(1));
  }

  // ---- schema checks -------------------------------------------------------------------------

  private static StructField field(StructType schema, String col, String role, String owner) {
    if (!Arrays.asList(schema.fieldNames()).contains(col)) {
      throw new IllegalArgumentException(owner + ": " + role + " column '" + col + "' does not "
          + "exist; the DataFrame has " + Arrays.toString(schema.fieldNames()));
    }
    return schema.apply(col);
  }

  private static boolean numericArray(DataType dt) {
    return dt instanceof ArrayType && ((ArrayType) dt).elementType() instanceof NumericType;
  }

  /**
   * Checks the features text ({@code col}, or {@code input=col,...} for several inputs) against
   * the model's inputs: each column exists and fits its input.
   */
  static void checkInputs(StructType schema, String features,
      Model model, String owner) {
    Map<String, List<String>> byInput = ColumnMapping.of(model.inputNames(),
        ColumnMapping.split(features), owner + ": featuresCol", "input");
    int i = 0;
    for (List<String> cols : byInput.values()) {
      int width = Arrays.stream(model.inputShapes().get(i++)).reduce(1, (a, b) -> a * b);
      checkFeatures(schema, cols.get(0), width, owner);
    }
  }

  /** Checks the label text ({@code col}, or {@code output=col,...}) against the outputs. */
  static void checkTargets(StructType schema, String labels, Model model,
      String owner) {
    for (List<String> cols : ColumnMapping.of(model.outputNames(), ColumnMapping.split(labels),
        owner + ": labelCol", "output").values()) {
      checkLabel(schema, cols.get(0), owner);
    }
  }

  /**
   * The features column exists and is a Vector or a numeric array (or a number when the model
   * takes one value); a Vector whose ML attributes declare a size must have {@code width}.
   */
  static void checkFeatures(StructType schema, String col, int width, String owner) {
    StructField f = field(schema, col, "features", owner);
    DataType dt = f.dataType();
    if (dt instanceof VectorUDT) {
      int size = AttributeGroup.fromStructField(f).size();
      if (size >= 0 && size != width) {
        throw new IllegalArgumentException(owner + ": features column '" + col + "' holds vectors "
            + "of size " + size + " (its ML attributes), the model's input needs " + width);
      }
      return;
    }
    if (numericArray(dt) || width == 1 && dt instanceof NumericType) {
      return;
    }
    throw new IllegalArgumentException(owner + ": features column '" + col + "' must be of type "
        + "vector (Spark ML VectorUDT), array<float> or array<double> with " + width
        + " values per row" + (width == 1 ? ", or a number" : "") + "; found "
        + dt.simpleString());
  }

  /**
   * Checks what {@code stage} feeds {@code model}: with inputCols set, raw columns for the
   * model's preprocessing layers (each exists, one per model input by name, of a type that input
   * takes); else the features column(s) ({@link #checkInputs}: one, or {@code input=col,...} by
   * the model's input names), with a hint to set inputCols when the model takes raw inputs.
   */
  static void checkModelInputs(StructType schema, Params stage, StringArrayParam inputCols,
      Param<String> featuresCol, Model model,
      TrainerSettings settings, String owner) {
    HostPlan plan = model.hostPlan();
    if (!stage.isSet(inputCols) && plan == null) {
      checkInputs(schema, stage.getOrDefault(featuresCol), model, owner);
      return;
    }
    if (!stage.isSet(inputCols)) {
      int width = Arrays.stream(model.inputShapes().get(0)).reduce(1, (a, b) -> a * b);
      try {
        checkFeatures(schema, stage.getOrDefault(featuresCol), width, owner);
      } catch (IllegalArgumentException e) {
        if (plan == null) {
          throw e;
        }
        throw new IllegalArgumentException(e.getMessage() + " (model '" + model.getName()
            + "' starts with preprocessing layers reading raw inputs " + plan.inputNames()
            + ": give their columns with setInputCols)", e);
      }
      return;
    }
    String[] cols = stage.getOrDefault(inputCols);
    for (String c : cols) {
      field(schema, c, "input", owner);
    }
    if (plan == null) {
      throw new IllegalArgumentException(owner + ": inputCols " + Arrays.toString(cols)
          + " are raw columns for a model whose graph starts with preprocessing layers; model '"
          + model.getName() + "' has none and takes one features column (setFeaturesCol)");
    }
    try {
      FeatureColumns.raw(schema, plan.requireBatchable(), List.of(cols),
          settings.get(TrainerSettings.NULLS));
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      throw new IllegalArgumentException(owner + ": inputCols: " + e.getMessage(), e);
    }
  }

  /** The label column exists and is a number, a numeric array or a Vector. */
  static void checkLabel(StructType schema, String col, String owner) {
    DataType dt = field(schema, col, "label", owner).dataType();
    if (dt instanceof NumericType || numericArray(dt) || dt instanceof VectorUDT) {
      return;
    }
    throw new IllegalArgumentException(owner + ": label column '" + col + "' must be of type "
        + "numeric (class ids or one target value), array<float|double> or vector; found "
        + dt.simpleString());
  }

  // ---- persistence ---------------------------------------------------------------------------

  /**
   * Writes {@code stage}'s params, the model file and (if not null) the training history to the
   * directory {@code path}, atomically: everything goes to a temporary sibling first.
   */
  static void save(Params stage, byte[] modelFile, Map<String, List<Double>> history, String path,
      SparkContext sc) {
    try {
      Path target = new Path(path);
      FileSystem fs = target.getFileSystem(sc.hadoopConfiguration());
      AtomicWrite.directory(fs, target, AtomicWrite.IfExists.FAIL, tmp -> {
        DefaultParamsWriter$.MODULE$.saveMetadata(stage, tmp.toString(), sc, Option.empty(),
            Option.empty());
        write(fs, new Path(tmp, MODEL_FILE), modelFile);
        if (history != null) {
          write(fs, new Path(tmp, HISTORY_FILE), JSON.writeValueAsBytes(history));
        }
      });
    } catch (FileAlreadyExistsException e) {
      throw new UncheckedIOException("cannot save " + stage.uid() + " to " + path
          + ": it exists (use write().overwrite())", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save " + stage.uid() + " to " + path + ": "
          + e.getMessage(), e);
    }
  }

  private static void write(FileSystem fs, Path p, byte[] data) throws IOException {
    try (OutputStream out = fs.create(p, false)) {
      out.write(data);
    }
  }

  /** A saved stage: its Spark ML metadata and the bytes of its model file. */
  static final class Loaded {
    final DefaultParamsReader.Metadata metadata;
    final byte[] modelFile;
    final Map<String, List<Double>> history;

    Loaded(DefaultParamsReader.Metadata metadata, byte[] modelFile,
        Map<String, List<Double>> history) {
      this.metadata = metadata;
      this.modelFile = modelFile;
      this.history = history;
    }

    /** Sets the saved params (and defaults) on a new instance made with the saved uid. */
    <T extends Params> T apply(T stage) {
      metadata.getAndSetParams(stage, Option.empty());
      return stage;
    }
  }

  /** Reads a stage saved by {@link #save}; {@code className} is the expected stage class. */
  @SuppressWarnings("unchecked")
  static Loaded load(String path, SparkContext sc, String className) {
    DefaultParamsReader.Metadata md = DefaultParamsReader$.MODULE$.loadMetadata(path, sc,
        className);
    try {
      Path dir = new Path(path);
      FileSystem fs = dir.getFileSystem(sc.hadoopConfiguration());
      Path modelPath = new Path(dir, MODEL_FILE);
      if (!fs.exists(modelPath)) {
        throw new IOException("no " + MODEL_FILE + " in " + path);
      }
      byte[] file = read(fs, modelPath);
      WorkerModels.key(file); // fails early on a damaged file, naming it
      Map<String, List<Double>> history = null;
      Path h = new Path(dir, HISTORY_FILE);
      if (fs.exists(h)) {
        history = new LinkedHashMap<>();
        Map<String, List<Object>> raw = JSON.readValue(read(fs, h), Map.class);
        for (Map.Entry<String, List<Object>> e : raw.entrySet()) {
          List<Double> values = new ArrayList<>();
          for (Object v : e.getValue()) {
            // Jackson writes NaN and infinities as strings
            values.add(v instanceof Number ? ((Number) v).doubleValue()
                : Double.parseDouble(String.valueOf(v)));
          }
          history.put(e.getKey(), values);
        }
      }
      return new Loaded(md, file, history);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load " + className + " from " + path + ": "
          + e.getMessage(), e);
    }
  }

  private static byte[] read(FileSystem fs, Path p) throws IOException {
    try (InputStream in = fs.open(p)) {
      return in.readAllBytes();
    }
  }
}
