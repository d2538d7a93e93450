package io.sparkeras.api.backend;

/**
 * Bounds the life of temporary tensors: every tensor created inside a scope is released when it
 * closes. Training, evaluation and prediction wrap each step in one, so native memory never
 * waits for the garbage collector.
 *
 * <pre>{@code
 * try (Scope s = backend.scope(false)) {   // no gradient tape
 *   float[] out = model.call(x, false).toFloatArray();
 * }
 * }</pre>
 */
public interface Scope extends AutoCloseable {
  @Override
  void close();
}
