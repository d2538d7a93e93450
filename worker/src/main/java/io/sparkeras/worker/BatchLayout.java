package io.sparkeras.worker;

import io.sparkeras.api.models.Model;
import io.sparkeras.api.trainers.ClassWeights;
import java.io.Serializable;
import java.util.List;

/**
 * How the rows of a partition become {@code Batch}es of a model: what feeds the model's inputs
 * ({@link FeatureColumns}: numeric column(s) per input with the input's sample shape, or raw
 * columns run through the model's preprocessing layers), which column feeds each output's target
 * (with the target's shape), and where each sample's weight comes from: a numeric column
 * (Keras's {@code sample_weight}), the class weights of its target ({@code class_weight}), or
 * neither. Resolved by the driver against the DataFrame and the model; shipped to the tasks.
 *
 * <pre>{@code
 * BatchLayout layout = BatchLayout.of(List.of(image, meta), List.of(new int[] {28, 28, 1},
 *     new int[] {3})).targets(List.of(label), List.of(new int[0])).sampleWeight(weightColumn);
 * RowBatcher batches = new RowBatcher(rows, layout, 128, BadRowPolicy.FAIL);
 * // raw columns: the model's preprocessing layers encode them
 * BatchLayout raw = BatchLayout.of(FeatureColumns.raw(df.schema(), model.hostPlan(),
 *     List.of("age", "job"), RawColumnSpec.NullPolicy.FAIL)).targets(List.of(label),
 *     List.of(new int[0]));
 * RowBatcher encoded = new RowBatcher(rows, raw.encoder(model, true, seed), raw, 128,
 *     BadRowPolicy.FAIL);
 * }</pre>
 */
public final class BatchLayout implements Serializable {
  private static final long serialVersionUID = 2L;
  final FeatureColumns features;
  final ColumnSpec[] targets;
  final int[][] targetShapes;
  final ColumnSpec sampleWeight;
  final ClassWeights classWeights;

  private BatchLayout(FeatureColumns features, ColumnSpec[] targets, int[][] targetShapes,
      ColumnSpec sampleWeight, ClassWeights classWeights) {
    this.features = features;
    this.targets = targets;
    this.targetShapes = targetShapes;
    this.sampleWeight = sampleWeight;
    this.classWeights = classWeights;
  }

  /** The model's inputs: one column spec and one sample shape each, in the model's order. */
  public static BatchLayout of(List<ColumnSpec> inputs, List<int[]> shapes) {
    if (inputs.isEmpty() || inputs.size() != shapes.size()) {
      throw new IllegalArgumentException("batch layout: " + inputs.size() + " input columns for "
          + shapes.size() + " input shapes");
    }
    return of(FeatureColumns.numeric(inputs, shapes));
  }

  /** The model's inputs as {@code features} reads them (numeric, or raw for a host plan). */
  public static BatchLayout of(FeatureColumns features) {
    return new BatchLayout(features, new ColumnSpec[0], new int[0][], null, null);
  }

  /**
   * Targets and weights only, for a {@link RowBatcher} given its inputs' {@link RowEncoder}
   * directly (the input side is that encoder's).
   */
  static BatchLayout encoded() {
    return new BatchLayout(null, new ColumnSpec[0], new int[0][], null, null);
  }

  /** One input and (unless {@code target} is null) one target. */
  public static BatchLayout single(ColumnSpec input, int[] inputShape, ColumnSpec target,
      int[] targetShape) {
    BatchLayout l = of(List.of(input), List.of(inputShape));
    return target == null ? l : l.targets(List.of(target), List.of(targetShape));
  }

  /** The outputs' targets: one column spec and one target shape each, in output order. */
  public BatchLayout targets(List<ColumnSpec> specs, List<int[]> shapes) {
    if (specs.size() != shapes.size()) {
      throw new IllegalArgumentException("batch layout: " + specs.size() + " target columns for "
          + shapes.size() + " target shapes");
    }
    return new BatchLayout(features, specs.toArray(new ColumnSpec[0]),
        shapes.toArray(new int[0][]), sampleWeight, classWeights);
  }

  /** Each sample's weight from a numeric column (null: none). */
  public BatchLayout sampleWeight(ColumnSpec column) {
    if (column != null && (column.kind() != ColumnSpec.Kind.NUMERIC || column.width() != 1)) {
      throw new IllegalArgumentException("sample weight " + column.describe() + ": expected one "
          + "numeric column");
    }
    if (column != null && classWeights != null) {
      throw new IllegalArgumentException("give a sample weight column or class weights, not both");
    }
    return new BatchLayout(features, targets, targetShapes, column, classWeights);
  }

  /** Each sample weighs its class's weight (the model has one output). */
  public BatchLayout classWeights(ClassWeights weights) {
    if (weights != null && targets.length != 1) {
      throw new IllegalArgumentException("class weights are only supported for models with one "
          + "output; this one has " + targets.length);
    }
    if (weights != null && sampleWeight != null) {
      throw new IllegalArgumentException("give a sample weight column or class weights, not both");
    }
    return new BatchLayout(features, targets, targetShapes, sampleWeight, weights);
  }

  /** The same inputs without targets and weights (prediction). */
  public BatchLayout inputsOnly() {
    return of(features);
  }

  /** What feeds the model's inputs. */
  public FeatureColumns features() {
    return features;
  }

  /**
   * The encoder of the inputs in a task: numeric columns as they are, raw columns through
   * {@code model}'s preprocessing layers ({@link FeatureColumns#encoder}).
   */
  public RowEncoder encoder(Model model, boolean training, long stream) {
    if (features == null) {
      throw new IllegalStateException("batch layout: its inputs are given by an encoder");
    }
    return features.encoder(model, training, stream);
  }

  public int inputCount() {
    return features.inputCount();
  }

  public int targetCount() {
    return targets.length;
  }

  /** Output {@code i}'s target column. */
  public ColumnSpec target(int i) {
    return targets[i];
  }

  /** Output {@code i}'s target shape. */
  public int[] targetShape(int i) {
    return targetShapes[i].clone();
  }

  /** Whether the batches carry sample weights (a column or class weights). */
  public boolean weighted() {
    return sampleWeight != null || classWeights != null;
  }
}
