package io.sparkeras.api.layers;

import java.util.List;

/** One call of a layer in a functional graph: its input tensors and its output tensor. */
public final class Node {
  final Layer layer;
  final List<KerasTensor> inputs;
  final KerasTensor output;

  Node(Layer layer, List<KerasTensor> inputs, KerasTensor output) {
    this.layer = layer;
    this.inputs = List.copyOf(inputs);
    this.output = output;
  }

  public Layer layer() {
    return layer;
  }

  public List<KerasTensor> inputs() {
    return inputs;
  }

  public KerasTensor output() {
    return output;
  }
}
