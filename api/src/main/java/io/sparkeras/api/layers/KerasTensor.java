package io.sparkeras.api.layers;

/**
 * A symbolic tensor of the functional API: a shape (without the batch dimension, -1 where
 * unknown) and the layer call that produced it.
 *
 * <pre>{@code
 * KerasTensor x = Input.of(784);
 * KerasTensor h = new Dense(64).activation("relu").apply(x);
 * Model m = new Model(x, new Dense(10).apply(h));
 * }</pre>
 */
public final class KerasTensor {
  private final int[] shape;
  final Layer layer;
  final int nodeIndex;
  final int tensorIndex;

  KerasTensor(int[] shape, Layer layer, int nodeIndex, int tensorIndex) {
    this.shape = shape.clone();
    this.layer = layer;
    this.nodeIndex = nodeIndex;
    this.tensorIndex = tensorIndex;
  }

  /** Shape without the batch dimension. */
  public int[] shape() {
    return shape.clone();
  }

  /** The layer whose call produced this tensor. */
  public Layer layer() {
    return layer;
  }

  /** Which call of the layer (a shared layer has several). */
  public int nodeIndex() {
    return nodeIndex;
  }

  public int tensorIndex() {
    return tensorIndex;
  }

  @Override
  public String toString() {
    return "KerasTensor(shape=" + Layer.shapeString(shape) + ", from " + layer.getName() + ")";
  }
}
