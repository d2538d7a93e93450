package io.sparkeras.worker;

import io.sparkeras.api.layers.preprocessing.HostPlan;
import io.sparkeras.api.models.Model;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * How a task reads the model's inputs from a row: numeric feature columns as one input of a
 * given shape ({@link ColumnSpec}), or raw columns of any Spark type, one per model input, run
 * through the model's preprocessing layers on the executor ({@link RawColumnSpec},
 * {@link HostEncoder}). Small and serialisable: shipped in the task closure.
 *
 * <pre>{@code
 * FeatureColumns f = FeatureColumns.raw(df.schema(), model.hostPlan(),
 *     List.of("age", "occupation", "zip"), RawColumnSpec.NullPolicy.FAIL);
 * RowEncoder enc = f.encoder(model, true, epoch * 65_536L + partition);
 * }</pre>
 */
public final class FeatureColumns implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ColumnSpec numeric;
  private final int[] shape;
  private final RawColumnSpec[] raw;

  private FeatureColumns(ColumnSpec numeric, int[] shape, RawColumnSpec[] raw) {
    this.numeric = numeric;
    this.shape = shape == null ? null : shape.clone();
    this.raw = raw;
  }

  /** Numeric columns read as the model's one input of {@code sampleShape}. */
  public static FeatureColumns numeric(ColumnSpec columns, int[] sampleShape) {
    return new FeatureColumns(columns, sampleShape, null);
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
    RawColumnSpec[] specs = new RawColumnSpec[inputs.size()];
    for (int i = 0; i < specs.length; i++) {
      String name = inputs.get(i);
      if (!columns.contains(name)) {
        throw new IllegalArgumentException("features " + columns + ": the model's input '"
            + name + "' needs a column '" + name + "'");
      }
      specs[i] = RawColumnSpec.resolve(schema, name, "input '" + name + "'",
          plan.inputKind(i), plan.inputShape(i), nulls);
    }
    return new FeatureColumns(null, null, specs);
  }

  /** Whether the columns are raw values for the model's preprocessing layers. */
  public boolean isRaw() {
    return raw != null;
  }

  /** The numeric feature columns (null when raw). */
  public ColumnSpec numeric() {
    return numeric;
  }

  /** The model input's sample shape for numeric columns (null when raw). */
  public int[] shape() {
    return shape == null ? null : shape.clone();
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
      return RowEncoder.columns(numeric, shape);
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
      return numeric.describe();
    }
    List<String> names = new ArrayList<>();
    for (RawColumnSpec r : raw) {
      names.add(r.column());
    }
    return "raw columns " + names;
  }

  @Override
  public String toString() {
    return raw == null ? describe() + " " + Arrays.toString(shape) : describe();
  }
}
