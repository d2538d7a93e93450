package io.sparkeras.worker;

import io.sparkeras.api.trainers.ClassWeights;
import java.io.Serializable;
import java.util.List;

/**
 * How the rows of a partition become {@code Batch}es of a model: which column(s) feed each model
 * input (with the input's sample shape), which feed each output's target (with the target's
 * shape), and where each sample's weight comes from: a numeric column (Keras's
 * {@code sample_weight}), the class weights of its target ({@code class_weight}), or neither.
 * Resolved by the driver against the DataFrame and the model; shipped to the tasks.
 *
 * <pre>{@code
 * BatchLayout layout = BatchLayout.of(List.of(image, meta), List.of(new int[] {28, 28, 1},
 *     new int[] {3})).targets(List.of(label), List.of(new int[0])).sampleWeight(weightColumn);
 * RowBatcher batches = new RowBatcher(rows, layout, 128, BadRowPolicy.FAIL);
 * }</pre>
 */
public final class BatchLayout implements Serializable {
  private static final long serialVersionUID = 1L;
  final ColumnSpec[] inputs;
  final int[][] inputShapes;
  final ColumnSpec[] targets;
  final int[][] targetShapes;
  final ColumnSpec sampleWeight;
  final ClassWeights classWeights;

  private BatchLayout(ColumnSpec[] inputs, int[][] inputShapes, ColumnSpec[] targets,
      int[][] targetShapes, ColumnSpec sampleWeight, ClassWeights classWeights) {
    this.inputs = inputs;
    this.inputShapes = inputShapes;
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
    return new BatchLayout(inputs.toArray(new ColumnSpec[0]), shapes.toArray(new int[0][]),
        new ColumnSpec[0], new int[0][], null, null);
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
    return new BatchLayout(inputs, inputShapes, specs.toArray(new ColumnSpec[0]),
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
    return new BatchLayout(inputs, inputShapes, targets, targetShapes, column, classWeights);
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
    return new BatchLayout(inputs, inputShapes, targets, targetShapes, sampleWeight, weights);
  }

  /** The same inputs without targets and weights (prediction). */
  public BatchLayout inputsOnly() {
    return new BatchLayout(inputs, inputShapes, new ColumnSpec[0], new int[0][], null, null);
  }

  public int inputCount() {
    return inputs.length;
  }

  public int targetCount() {
    return targets.length;
  }

  /** Whether the batches carry sample weights (a column or class weights). */
  public boolean weighted() {
    return sampleWeight != null || classWeights != null;
  }
}
