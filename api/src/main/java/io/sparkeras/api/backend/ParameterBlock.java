package io.sparkeras.api.backend;

import java.nio.FloatBuffer;

/**
 * All of a model's weights packed into one flat vector, and their gradients into another, in the
 * order of {@code model.getWeights()} and in Keras's canonical layouts. On a CPU backend both are
 * zero-copy views of the engine's memory: writing into {@link #parameters()} changes the model.
 * The parameter server and the optimizers work on these two buffers.
 *
 * <pre>{@code
 * ParameterBlock block = backend.pack(model.getWeights());
 * block.zeroGradients();
 * ... forward, loss, backend.backward(loss) ...
 * block.gradientsToHost();              // no-op on CPU
 * optimizer.step(block.parameters(), block.gradients());
 * block.parametersToDevice();           // no-op on CPU
 * }</pre>
 */
public interface ParameterBlock {

  /** Number of floats in the flat vector. */
  int size();

  /** The flat parameter vector (host memory; a view of the engine's on CPU). */
  FloatBuffer parameters();

  /** The flat gradient vector, mean over the batch (host memory). */
  FloatBuffer gradients();

  /** Sets every gradient to zero before a backward pass. */
  void zeroGradients();

  /** Makes {@link #gradients()} reflect the engine's gradients (a copy on GPU, else nothing). */
  void gradientsToHost();

  /** Makes the engine see changes written into {@link #parameters()} (a copy on GPU, else nothing). */
  void parametersToDevice();

  /** Makes {@link #parameters()} reflect in-place changes made by the engine (e.g. moving statistics). */
  void parametersToHost();
}
