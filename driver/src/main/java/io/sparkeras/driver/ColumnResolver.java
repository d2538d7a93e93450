package io.sparkeras.driver;

import io.sparkeras.api.layers.preprocessing.HostPlan;
import io.sparkeras.api.losses.Loss;
import io.sparkeras.api.losses.SparseCategoricalCrossentropy;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.trainers.ClassWeights;
import io.sparkeras.worker.BatchLayout;
import io.sparkeras.worker.ColumnSpec;
import io.sparkeras.worker.FeatureColumns;
import io.sparkeras.worker.RawColumnSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Checks a DataFrame's columns against a model before any job runs and says how the executors
 * read them (a {@link BatchLayout}): each model input's column(s) and each output's target
 * column, by the inputs' and outputs' names ({@link ColumnMapping}), and the samples' weights.
 * The columns exist, their types are supported, their widths match the model's input and output
 * shapes (read from the first non-null row when the schema cannot tell), each target suits its
 * output's loss. Errors name the column, what was expected and what was found.
 *
 * <pre>{@code
 * ColumnResolver resolver = new ColumnResolver(model, settings);
 * ColumnResolver.Columns cols = resolver.select(df, List.of("image=img", "meta=meta"),
 *     "cls=label,reg=target");
 * RDD<InternalRow> rows = SparkInternals.rows(cols.frame());   // img, meta, label, target
 * }</pre>
 *
 * <p>A model with preprocessing layers ({@code model.hostPlan()}) reads raw columns of any
 * Spark type, one per model input: named like the inputs ({@code List.of("age", "job")}) or
 * mapped ({@code age=age_years,job=occupation}); its targets and weights are read as for any
 * model.
 *
 * <p>Public for the other jobs that read a model's columns on the executors (the tuner's
 * trials); the rest of it is the trainer's.
 */
public final class ColumnResolver {
  /**
   * Resolved columns, and the DataFrame they were resolved against: after {@link #select}, one
   * that holds exactly the columns used (inputs', then targets', then the weight).
   */
  public record Columns(Dataset<Row> frame, BatchLayout layout) {
    /** The same columns in another DataFrame of the same schema (e.g. held-out rows). */
    Columns withFrame(Dataset<Row> other) {
      return new Columns(other, layout);
    }

    /** What feeds the model's inputs. */
    public FeatureColumns features() {
      return layout.features();
    }

    /** The one output's target column (null without targets). */
    public ColumnSpec label() {
      return layout.targetCount() == 0 ? null : layout.target(single());
    }

    /** The one output's target shape (null without targets). */
    public int[] labelShape() {
      return layout.targetCount() == 0 ? null : layout.targetShape(single());
    }

    private int single() {
      if (layout.targetCount() != 1) {
        throw new IllegalStateException("columns of " + layout.targetCount() + " outputs have "
            + "no single label");
      }
      return 0;
    }
  }

  private final Model model;
  private final TrainerSettings settings;

  /**
   * A resolver for {@code model}'s inputs, outputs and losses; {@code settings} gives the shape
   * and encoding of a binary features column, the weights and what a null in a raw column is.
   */
  public ColumnResolver(Model model, TrainerSettings settings) {
    this.model = model;
    this.settings = settings;
  }

  /**
   * Selects the inputs' columns, the targets' and the sample weight column ({@link
   * TrainerSettings#SAMPLE_WEIGHT_COL}) from {@code df} and resolves them against the model and
   * its losses; class weights ({@link TrainerSettings#CLASS_WEIGHT}) weigh the samples otherwise.
   *
   * @param features one input's column(s), or {@code input=column} for each input
   * @param labels one output's column, or {@code output=column,...} for each output
   */
  public Columns select(Dataset<Row> df, List<String> features, String labels) {
    Map<String, List<String>> inputs = inputMapping(features);
    Map<String, List<String>> targets = ColumnMapping.of(model.outputNames(),
        ColumnMapping.split(labels), "label", "output");
    String weight = settings.get(TrainerSettings.SAMPLE_WEIGHT_COL);
    Set<String> used = new LinkedHashSet<>();
    inputs.values().forEach(used::addAll);
    targets.values().forEach(used::addAll);
    if (weight != null) {
      used.add(weight);
    }
    List<Column> cols = new ArrayList<>();
    for (String c : used) {
      requireColumn(df, c, inputs.values().stream().anyMatch(l -> l.contains(c)) ? "features"
          : c.equals(weight) ? "sample weight" : "label");
      cols.add(df.col("`" + c + "`"));
    }
    Dataset<Row> selected = df.select(cols.toArray(new Column[0]));
    List<ColumnSpec> targetSpecs = new ArrayList<>();
    List<int[]> targetShapes = new ArrayList<>();
    int i = 0;
    for (List<String> c : targets.values()) {
      Target t = target(selected, c.get(0), i++);
      targetSpecs.add(t.spec());
      targetShapes.add(t.shape());
    }
    BatchLayout layout = BatchLayout.of(inputColumns(selected, features, inputs))
        .targets(targetSpecs, targetShapes);
    if (weight != null) {
      ColumnSpec w = ColumnSpec.resolve(selected.schema(), "sample weight", List.of(weight), 0,
          null);
      if (w.kind() != ColumnSpec.Kind.NUMERIC) {
        throw new IllegalArgumentException("sample weight column '" + weight + "': expected a "
            + "numeric column, found " + selected.schema().apply(weight).dataType().simpleString());
      }
      layout = layout.sampleWeight(w);
    }
    Map<Integer, Double> classWeight = settings.get(TrainerSettings.CLASS_WEIGHT);
    if (classWeight != null) {
      if (weight != null) {
        throw new IllegalArgumentException("fit: give a sample weight column or class weights, "
            + "not both");
      }
      if (targets.size() != 1) {
        throw new IllegalArgumentException("class weights are only supported for models with "
            + "one output; model '" + model.getName() + "' has " + targets.size());
      }
      layout = layout.classWeights(ClassWeights.of(classWeight));
    }
    return new Columns(selected, layout);
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

  /** The model's input shapes, fully known. */
  private List<int[]> inputShapes() {
    List<int[]> in = model.inputShapes();
    if (in == null) {
      throw new IllegalStateException("model '" + model.getName() + "' is not built: build it "
          + "(or give it an Input) before distributed training");
    }
    for (int i = 0; i < in.size(); i++) {
      for (int d : in.get(i)) {
        if (d < 0) {
          throw new IllegalArgumentException("model '" + model.getName() + "': input '"
              + model.inputNames().get(i) + "' has shape " + Arrays.toString(in.get(i))
              + " with an unknown dimension; distributed training needs it fixed");
        }
      }
    }
    return in;
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
   * The input columns of {@code df} (which may hold other columns, kept), checked against the
   * model's inputs: what predict reads.
   */
  Columns features(Dataset<Row> df, List<String> features) {
    Map<String, List<String>> inputs = inputMapping(features);
    for (List<String> cols : inputs.values()) {
      for (String c : cols) {
        requireColumn(df, c, "features");
      }
    }
    return new Columns(df, BatchLayout.of(inputColumns(df, features, inputs)));
  }

  /**
   * Each model input's column(s). Raw columns of a model with preprocessing layers named like
   * its inputs map to themselves here (checked against the inputs by
   * {@link FeatureColumns#raw}); otherwise as {@link ColumnMapping} says.
   */
  private Map<String, List<String>> inputMapping(List<String> features) {
    HostPlan plan = model.hostPlan();
    if (plan == null) {
      return ColumnMapping.of(model.inputNames(), features, "features", "input");
    }
    if (named(features)) {
      return ColumnMapping.of(plan.inputNames(), features, "features", "input");
    }
    Map<String, List<String>> byName = new LinkedHashMap<>();
    for (String c : features) {
      byName.put(c, List.of(c));
    }
    return byName;
  }

  private static boolean named(List<String> features) {
    return features.stream().anyMatch(f -> f.contains("="));
  }

  /**
   * What feeds the model's inputs: raw columns through its preprocessing layers when it has
   * them, else numeric columns checked against each input's shape.
   */
  private FeatureColumns inputColumns(Dataset<Row> df, List<String> features,
      Map<String, List<String>> inputs) {
    HostPlan plan = model.hostPlan();
    if (plan != null) {
      RawColumnSpec.NullPolicy nulls = settings.get(TrainerSettings.NULLS);
      if (!named(features)) {
        return FeatureColumns.raw(df.schema(), plan.requireBatchable(), features, nulls);
      }
      Map<String, String> byInput = new LinkedHashMap<>();
      inputs.forEach((input, cols) -> byInput.put(input, cols.get(0)));
      return FeatureColumns.raw(df.schema(), plan.requireBatchable(), byInput, nulls);
    }
    List<int[]> shapes = inputShapes();
    List<ColumnSpec> specs = new ArrayList<>();
    int i = 0;
    for (List<String> cols : inputs.values()) {
      int[] shape = shapes.get(i);
      String name = model.inputNames().get(i++);
      int want = product(shape);
      int[] binary = settings.binaryShape();
      ColumnSpec f = ColumnSpec.resolve(df.schema(), "features", cols,
          binary == null ? 0 : product(binary), settings.binaryEncoding());
      if (f.width() < 0) {
        f = f.withWidth(firstWidth(df, f, cols.get(0)));
      }
      if (f.width() != want) {
        throw new IllegalArgumentException("features " + f.describe() + ": expected " + want
            + " values per row (model input " + (shapes.size() == 1 ? "" : "'" + name + "' ")
            + "shape " + Arrays.toString(shape) + "), found " + f.width());
      }
      specs.add(f);
    }
    return FeatureColumns.numeric(specs, shapes);
  }

  private record Target(ColumnSpec spec, int[] shape) {}

  /** Output {@code i}'s target column, checked against the output's shape and loss. */
  private Target target(Dataset<Row> selected, String label, int i) {
    int[] out = model.outputShapes().get(i);
    int outSize = product(out);
    Loss loss = model.getLosses().get(i);
    boolean sparse = loss instanceof SparseCategoricalCrossentropy;
    String lossName = loss.getClass().getSimpleName();
    String output = model.outputShapes().size() == 1 ? "" : "output '"
        + model.outputNames().get(i) + "' ";
    ColumnSpec l = ColumnSpec.resolve(selected.schema(), "label", List.of(label), 0, null);
    if (l.kind() == ColumnSpec.Kind.NUMERIC) {
      if (sparse) {
        return new Target(l, new int[0]);
      } else if (outSize == 1) {
        return new Target(l, out.clone());
      }
      throw new IllegalArgumentException("label column '" + label + "': holds one number per "
          + "row; loss " + lossName + " expects " + outSize + " values per row (model " + output
          + "output shape " + Arrays.toString(out) + "): give an array or vector column, or use "
          + "sparse_categorical_crossentropy for class ids");
    }
    if (l.kind() == ColumnSpec.Kind.ARRAY || l.kind() == ColumnSpec.Kind.VECTOR) {
      if (sparse) {
        throw new IllegalArgumentException("label column '" + label + "': loss " + lossName
            + " expects one class id per row (a numeric column), found "
            + selected.schema().apply(label).dataType().simpleString());
      }
      l = l.withWidth(firstWidth(selected, l, label));
      if (l.width() != outSize) {
        throw new IllegalArgumentException("label column '" + label + "': expected " + outSize
            + " values per row (model " + output + "output shape " + Arrays.toString(out)
            + "), found " + l.width());
      }
      return new Target(l, out.clone());
    }
    throw new IllegalArgumentException("label column '" + label + "': expected a numeric, "
        + "array or vector column, found "
        + selected.schema().apply(label).dataType().simpleString());
  }
}
