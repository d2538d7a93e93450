package io.sparkeras.backend.tensorflow;

import io.sparkeras.api.backend.DType;
import io.sparkeras.api.backend.Tensor;

/** A value of a traced step: a node of the step's graph, computed when first read. */
final class TfTensor implements Tensor {
  final TraceNode node;
  final Step step;

  TfTensor(TraceNode node, Step step) {
    this.node = node;
    this.step = step;
  }

  @Override
  public int[] shape() {
    return node.shape.clone();
  }

  @Override
  public int rank() {
    return node.shape.length;
  }

  @Override
  public DType dtype() {
    return node.dtype;
  }

  @Override
  public float[] toFloatArray() {
    return step.value(node).clone();
  }

  @Override
  public float item() {
    float[] v = step.value(node);
    if (v.length != 1) {
      throw new IllegalStateException("item() needs a tensor of one element, found shape "
          + java.util.Arrays.toString(node.shape));
    }
    return v[0];
  }

  @Override
  public String toString() {
    return "TfTensor" + java.util.Arrays.toString(node.shape) + " " + node.dtype;
  }
}
