package io.sparkeras.api.backend;

/**
 * A backend tensor: an opaque handle to the engine's array. Layers never look inside; they pass
 * tensors to {@link Ops}. The full shape includes the batch dimension.
 *
 * <pre>{@code
 * Tensor y = ops().relu(ops().matmul(x, kernel.value()));
 * int[] shape = y.shape();   // [batch, units]
 * }</pre>
 */
public interface Tensor {

  /** The full shape, batch dimension first. */
  int[] shape();

  /** Number of dimensions. */
  default int rank() {
    return shape().length;
  }

  /** Size of one dimension; negative indices count from the end. */
  default int dim(int axis) {
    int[] s = shape();
    return s[axis < 0 ? s.length + axis : axis];
  }

  /** The element type. */
  DType dtype();

  /** Copies the tensor's values to a new Java array (row-major, converted to float). */
  float[] toFloatArray();

  /** The single value of a tensor with one element. */
  float item();
}
