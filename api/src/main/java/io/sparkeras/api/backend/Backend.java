package io.sparkeras.api.backend;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A compute engine behind the Keras-style API, found with {@link java.util.ServiceLoader} and
 * chosen once per JVM by {@link Backends} (like {@code KERAS_BACKEND}). Everything engine-specific
 * lives in the implementing package; nothing outside it names the engine's classes.
 *
 * <pre>{@code
 * Backend b = Backends.current();             // SPARKERAS_BACKEND / -Dsparkeras.backend
 * try (Scope s = b.scope(true)) {
 *   Tensor loss = ...;
 *   b.backward(loss);
 * }
 * }</pre>
 */
public interface Backend {

  /** Registered name, e.g. "torch". */
  String name();

  /** Whether this backend can run in this JVM (its native libraries load). */
  boolean isAvailable();

  /** The operations. */
  Ops ops();

  /** Human-readable device, e.g. "cpu (2 threads)" or "cuda:0 (NVIDIA H100)". */
  String device();

  /** Threads of the intra-op pool. */
  int threads();

  /** Sets the intra-op pool size (the cores Spark gives the task); BLAS and OpenMP follow it. */
  void setThreads(int threads);

  /** Seeds the engine's random generator (dropout). */
  void setSeed(long seed);

  /** Creates a trainable (or not) variable tensor holding a copy of {@code initial}. */
  Tensor variable(float[] initial, int[] shape, boolean trainable);

  /** Copies new values into a variable tensor. */
  void assign(Tensor variable, float[] values, int offset);

  /**
   * Moves the given variables into one flat parameter vector (and one flat gradient vector), each
   * variable becoming a view of its range. Their values are kept. Returns the block.
   */
  ParameterBlock pack(List<Tensor> variables);

  /** Opens a scope for temporaries; {@code grad} false disables the gradient tape inside. */
  Scope scope(boolean grad);

  /** Back-propagates a scalar loss into the variables' (flat) gradients. */
  void backward(Tensor loss);

  /**
   * Writes {@code function} as a TensorFlow SavedModel into the directory {@code dir} (which
   * must not exist yet): a {@code serving_default} signature whose inputs and outputs carry the
   * function's names, batch dimension free, weights frozen into the graph. Only the
   * {@code tensorflow} backend writes one; the others explain how to get there. Callers use
   * {@code Model.exportSavedModel}.
   *
   * <pre>{@code
   * // a JVM started with SPARKERAS_BACKEND=tensorflow
   * model.exportSavedModel("/srv/models/fmnist/1");
   * }</pre>
   */
  default void exportSavedModel(InferenceFunction function, Path dir) throws IOException {
    boolean present = Backends.available().contains("tensorflow");
    throw new UnsupportedOperationException("exportSavedModel writes a TensorFlow SavedModel, "
        + "which needs the tensorflow backend, but this JVM runs the '" + name() + "' backend. "
        + "Start the JVM with " + Backends.BACKEND_ENV_NAME + "=tensorflow (or -D"
        + Backends.BACKEND_PROP_NAME + "=tensorflow) and the sparkeras-backend-tensorflow module "
        + "(Maven profile 'tensorflow') on the classpath (" + (present ? "it is here"
        : "it is not on this classpath") + "); a model trained on another backend: save it "
        + "(.keras), load it in that JVM and export it there");
  }
}
