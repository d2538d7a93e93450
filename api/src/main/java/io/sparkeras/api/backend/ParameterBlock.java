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

  /**
   * Asks to be told, while a backward pass still runs, which gradients are final: the listener
   * gets falling float offsets {@code from}, each meaning that every gradient at or after
   * {@code from} in {@link #gradients()} holds its value for this pass and will not change until
   * the next {@link #zeroGradients()}. Backward finishes the last layers first, so a distributed
   * worker can send them while the first layers' gradients are still being computed (PyTorch
   * DDP's buckets, Horovod's tensor fusion). The end of backward is never reported: the caller
   * knows it. {@code null} stops the reports.
   *
   * <pre>{@code
   * if (block.onGradientsReady(from -> client.pushGradientFrom(epoch, step, grads, from, NaN, n))) {
   *   // pushes now start during model.computeGradients(batch)
   * }
   * }</pre>
   *
   * <p>The listener runs on the thread that runs backward, inside it: it must not touch the
   * model. A listener that throws stops the reports; the failure is rethrown by
   * {@link #gradientsToHost()}, which the train step calls right after backward.
   *
   * @return false where the engine cannot report (the default; then only the end of backward
   *     tells), true where reports will come
   */
  default boolean onGradientsReady(GradientsReady listener) {
    return false;
  }

  /** See {@link #onGradientsReady}. */
  @FunctionalInterface
  interface GradientsReady {
    /** Every gradient at float offset {@code from} or after it is final for this pass. */
    void ready(int from);
  }
}
