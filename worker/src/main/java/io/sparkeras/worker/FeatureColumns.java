package io.sparkeras.worker;

import io.sparkeras.api.layers.preprocessing.HostPlan;
import io.sparkeras.api.models.Model;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructType;

/**
 * How a task reads the model's inputs from a row: numeric feature columns, one
 * {@link ColumnSpec} and sample shape per model input, or raw columns of any Spark type, one per
 * model input, run through the model's preprocessing layers on the executor
 * ({@link RawColumnSpec}, {@link HostEncoder}). Small and serialisable: shipped in the task
 * closure (the input side of a {@link BatchLayout}).
 *
 * <pre>{@code
 * FeatureColumns f = FeatureColumns.raw(df.schema(), model.hostPlan(),
 *     List.of("age", "occupation", "zip"), RawColumnSpec.NullPolicy.FAIL);
 * RowEncoder enc = f.encoder(model, true, epoch * 65_536L + partition);
 * }</pre>
 */
public final class FeatureColumns implements Serializable {
  private static final long serialVersionUID = 2L;

  private final ColumnSpec[] numeric;
  private final int[][] shapes;
  private final RawColumnSpec[] raw;

  private FeatureColumns(ColumnSpec[] numeric, int[][] shapes, RawColumnSpec[] raw) {
    this.numeric = numeric;
    this.shapes = shapes;
    this.raw = raw;
  }

  /** Numeric columns read as the model's one input of {@code sampleShape}. */
  public static FeatureColumns numeric(ColumnSpec columns, int[] sampleShape) {
    return numeric(List.of(columns), List.of(sampleShape));
  }

  /**
   * Numeric columns for each of the model's inputs: one column spec and one sample shape each,
   * in the model's input order.
   */
  public static FeatureColumns numeric(List<ColumnSpec> inputs, List<int[]> sampleShapes) {
    if (inputs.isEmpty() || inputs.size() != sampleShapes.size()) {
      throw new IllegalArgumentException("feature columns: " + inputs.size() + " input columns "
          + "for " + sampleShapes.size() + " input shapes");
    }
    int[][] shapes = new int[sampleShapes.size()][];
    for (int i = 0; i < shapes.length; i++) {
      shapes[i] = sampleShapes.get(i).clone();
    }
    return new FeatureColumns(inputs.toArray(new ColumnSpec[0]), shapes, null);
  }

  /**
   * Raw columns for the model's inputs, matched by name: every input of {@code plan} (named
   * like its {@code Input}, e.g. a FeatureSpace feature) needs a column of that name among
   * {@code columns}; columns the model does not take are an error too (a misspelt name).
   */
  public static FeatureColumns raw(StructType schema, HostPlan plan, List<String> columns,
      RawColumnSpec.NullPolicy nulls) {
    List<String> inputs = plan.inputNames();
    List<String> extra = new ArrayList<>(columns);
    extra.removeAll(inputs);
    if (!extra.isEmpty()) {
      throw new IllegalArgumentException("features " + columns + ": the model takes raw "
          + "inputs " + inputs + " (columns of the same names); it has no input " + extra);
    }
    Map<String, String> byInput = new LinkedHashMap<>();
    for (String name : inputs) {
      if (!columns.contains(name)) {
        throw new IllegalArgumentException("features " + columns + ": the model's input '"
            + name + "' needs a column '" + name + "'");
      }
      byInput.put(name, name);
    }
    return raw(schema, plan, byInput, nulls);
  }

  /**
   * Raw columns for the model's inputs by an explicit mapping ({@code input -> column}, as
   * {@code --features age=age_years,job=occupation}); every input of {@code plan} needs one.
   */
  public static FeatureColumns raw(StructType schema, HostPlan plan,
      Map<String, String> inputToColumn, RawColumnSpec.NullPolicy nulls) {
    List<String> inputs = plan.inputNames();
    RawColumnSpec[] specs = new RawColumnSpec[inputs.size()];
    for (int i = 0; i < specs.length; i++) {
      String name = inputs.get(i);
      String column = inputToColumn.get(name);
      if (column == null) {
        throw new IllegalArgumentException("features " + inputToColumn + ": no column for the "
            + "model's input '" + name + "'; expected one for each of " + inputs);
      }
      specs[i] = RawColumnSpec.resolve(schema, column, "input '" + name + "'",
          plan.inputKind(i), plan.inputShape(i), nulls);
    }
    return new FeatureColumns(null, null, specs);
  }

  /** Whether the columns are raw values for the model's preprocessing layers. */
  public boolean isRaw() {
    return raw != null;
  }

  /** How many model inputs the columns feed. */
  public int inputCount() {
    return raw != null ? raw.length : numeric.length;
  }

  /**
   * The numeric feature columns of the model's one input (null when raw); a model with several
   * inputs has no single one (see {@link #numeric(int)}).
   */
  public ColumnSpec numeric() {
    if (raw != null) {
      return null;
    }
    requireSingle();
    return numeric[0];
  }

  /** The numeric column(s) of input {@code i} (null when raw). */
  public ColumnSpec numeric(int i) {
    if (raw != null) {
      return null;
    }
    return numeric[i];
  }

  /** The model input's sample shape for numeric columns (null when raw). */
  public int[] shape() {
    if (raw != null) {
      return null;
    }
    requireSingle();
    return shapes[0].clone();
  }

  /** Input {@code i}'s sample shape for numeric columns (null when raw). */
  public int[] shape(int i) {
    if (raw != null) {
      return null;
    }
    return shapes[i].clone();
  }

  private void requireSingle() {
    if (numeric.length != 1) {
      throw new IllegalStateException("feature columns " + describe() + " feed "
          + numeric.length + " model inputs, not one");
    }
  }

  /**
   * The encoder of a task: numeric columns as they are, or raw columns through
   * {@code model}'s host prefix.
   *
   * @param training whether augmentation layers act (a training epoch)
   * @param stream the task's random stream (e.g. from epoch and partition)
   */
  public RowEncoder encoder(Model model, boolean training, long stream) {
    if (raw == null) {
      return RowEncoder.columns(Arrays.asList(numeric), Arrays.asList(shapes));
    }
    if (model == null) {
      throw new IllegalArgumentException("raw columns " + describe() + " are read through the "
          + "model's preprocessing layers: give the model to encode them");
    }
    HostPlan plan = model.hostPlan();
    if (plan == null) {
      throw new IllegalStateException("model '" + model.getName() + "' has no preprocessing "
          + "layers but was given raw columns " + describe());
    }
    return new HostEncoder(plan, raw, training, stream);
  }

  /** The columns, for messages. */
  public String describe() {
    if (raw == null) {
      List<String> cols = new ArrayList<>();
      for (ColumnSpec c : numeric) {
        cols.add(c.describe());
      }
      return cols.size() == 1 ? cols.get(0) : String.join(", ", cols);
    }
    List<String> names = new ArrayList<>();
    for (RawColumnSpec r : raw) {
      names.add(r.column());
    }
    return "raw columns " + names;
  }

  @Override
  public String toString() {
    if (raw != null) {
      return describe();
    }
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < numeric.length; i++) {
      parts.add(numeric[i].describe() + " " + Arrays.toString(shapes[i]));
    }
    return String.join(", ", parts);
  }
}
