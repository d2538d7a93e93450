package io.sparkeras.driver;

import io.sparkeras.api.layers.preprocessing.HostPlan;
import io.sparkeras.api.losses.SparseCategoricalCrossentropy;
import io.sparkeras.api.models.Model;
import io.sparkeras.worker.ColumnSpec;
import io.sparkeras.worker.FeatureColumns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Checks a DataFrame's columns against a model before any job runs and says how the executors
 * read them: the columns exist, their types are supported, their widths match the model's input
 * and output shapes (read from the first non-null row when the schema cannot tell), the label
 * suits the loss. Errors name the column, what was expected and what was found.
 *
 * <pre>{@code
 * ColumnResolver resolver = new ColumnResolver(model, settings);
 * ColumnResolver.Columns cols = resolver.select(df, List.of("pixels"), "label");
 * RDD<InternalRow> rows = SparkInternals.rows(cols.frame());   // pixels, label
 * }</pre>
 *
 * <p>Public for the other jobs that read a model's columns on the executors (the tuner's
 * trials); the rest of it is the trainer's.
 */
public final class ColumnResolver {
  /**
   * Resolved columns, and the DataFrame they were resolved against: after {@link #select}, one
   * that holds exactly them (features first, then the label).
   */
  public record Columns(Dataset<Row> frame, FeatureColumns features, ColumnSpec label,
      int[] labelShape) {}

  private final Model model;
  private final TrainerSettings settings;

  /**
   * A resolver for {@code model}'s input and output and its first loss; {@code settings} gives
   * the shape and encoding of a binary features column.
   */
  public ColumnResolver(Model model, TrainerSettings settings) {
    this.model = model;
    this.settings = settings;
  }

  /**
   * Selects the feature columns, then the label, from {@code df} and resolves them against the
   * model and its loss.
   */
  public Columns select(Dataset<Row> df, List<String> featureCols, String label) {
    Dataset<Row> selected = selectColumns(df, featureCols, label);
    return resolve(selected, featureCols, label);
  }

  private static Dataset<Row> selectColumns(Dataset<Row> df, List<String> featureCols,
      String label) {
    List<Column> cols = new ArrayList<>();
    for (String c : featureCols) {
      requireColumn(df, c, "features");
      cols.add(df.col("`" + c + "`"));
    }
    if (label != null) {
      requireColumn(df, label, "label");
      cols.add(df.col("`" + label + "`"));
    }
    return df.select(cols.toArray(new Column[0]));
  }

  static void requireColumn(Dataset<Row> df, String c, String role) {
    if (!Arrays.asList(df.schema().fieldNames()).contains(c)) {
      throw new IllegalArgumentException(role + " column '" + c + "' does not exist; the "
          + "DataFrame has " + Arrays.toString(df.schema().fieldNames()));
    }
  }

  static int product(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /** The model's one input shape, fully known. */
  int[] inputShape() {
    List<int[]> in = model.inputShapes();
    if (in == null) {
      throw new IllegalStateException("model '" + model.getName() + "' is not built: build it "
          + "(or give it an Input) before distributed training");
    }
    if (in.size() != 1 || model.outputShapes().size() != 1) {
      throw new UnsupportedOperationException("SparkTrainer supports models with one input and one "
          + "output; model '" + model.getName() + "' has " + in.size() + " inputs and "
          + model.outputShapes().size() + " outputs");
    }
    int[] s = in.get(0);
    for (int d : s) {
      if (d < 0) {
        throw new IllegalArgumentException("model '" + model.getName() + "': input shape "
            + Arrays.toString(s) + " has an unknown dimension; distributed training needs it fixed");
      }
    }
    return s;
  }

  /** Width of {@code column} in its first non-null row. */
  private static int firstWidth(Dataset<Row> df, ColumnSpec spec, String column) {
    InternalRow row = SparkInternals.firstRow(df.where(df.col("`" + column + "`").isNotNull()));
    if (row == null) {
      throw new IllegalArgumentException("column '" + column + "' has no non-null value: cannot "
          + "tell its width");
    }
    return spec.widthIn(row);
  }

  /**
   * The feature columns of {@code df} (which may hold other columns, kept), checked against the
   * model's input.
   */
  Columns features(Dataset<Row> df, List<String> cols) {
    for (String c : cols) {
      requireColumn(df, c, "features");
    }
    HostPlan plan = model.hostPlan();
    if (plan != null) {
      // raw columns, one per model input by name, through the preprocessing layers
      return new Columns(df, FeatureColumns.raw(df.schema(), plan.requireBatchable(), cols,
          settings.get(TrainerSettings.NULLS)), null, null);
    }
    Dataset<Row> selected = df;
    int[] shape = inputShape();
    int want = product(shape);
    int[] binary = settings.binaryShape();
    ColumnSpec f = ColumnSpec.resolve(selected.schema(), "features", cols,
        binary == null ? 0 : product(binary), settings.binaryEncoding());
    if (f.width() < 0) {
      f = f.withWidth(firstWidth(selected, f, cols.get(0)));
    }
    if (f.width() != want) {
      throw new IllegalArgumentException("features " + f.describe() + ": expected " + want
          + " values per row (model input shape " + Arrays.toString(shape) + "), found "
          + f.width());
    }
    return new Columns(df, FeatureColumns.numeric(f, shape), null, null);
  }

  private Columns resolve(Dataset<Row> selected, List<String> featureCols, String label) {
    Columns fc = features(selected, featureCols);
    int[] out = model.outputShapes().get(0);
    int outSize = product(out);
    boolean sparse = model.getLosses().get(0) instanceof SparseCategoricalCrossentropy;
    String lossName = model.getLosses().get(0).getClass().getSimpleName();
    ColumnSpec l = ColumnSpec.resolve(selected.schema(), "label", List.of(label), 0, null);
    int[] labelShape;
    if (l.kind() == ColumnSpec.Kind.NUMERIC) {
      if (sparse) {
        labelShape = new int[0];
      } else if (outSize == 1) {
        labelShape = out.clone();
      } else {
        throw new IllegalArgumentException("label column '" + label + "': holds one number per "
            + "row; loss " + lossName + " expects " + outSize + " values per row (model output "
            + "shape " + Arrays.toString(out) + "): give an array or vector column, or use "
            + "sparse_categorical_crossentropy for class ids");
      }
    } else if (l.kind() == ColumnSpec.Kind.ARRAY || l.kind() == ColumnSpec.Kind.VECTOR) {
      if (sparse) {
        throw new IllegalArgumentException("label column '" + label + "': loss " + lossName
            + " expects one class id per row (a numeric column), found "
            + selected.schema().apply(label).dataType().simpleString());
      }
      l = l.withWidth(firstWidth(selected, l, label));
      if (l.width() != outSize) {
        throw new IllegalArgumentException("label column '" + label + "': expected " + outSize
            + " values per row (model output shape " + Arrays.toString(out) + "), found "
            + l.width());
      }
      labelShape = out.clone();
    } else {
      throw new IllegalArgumentException("label column '" + label + "': expected a numeric, "
          + "array or vector column, found "
          + selected.schema().apply(label).dataType().simpleString());
    }
    return new Columns(selected, fc.features(), l, labelShape);
  }
}
