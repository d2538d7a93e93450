package io.sparkeras.api.metrics;

import io.sparkeras.api.config.Config;
import io.sparkeras.api.config.Configurable;
import io.sparkeras.api.config.Registry;
import java.util.Map;

/**
 * A stateful metric, like Keras's: {@link #updateState} per batch, {@link #result} at any time,
 * {@link #resetState} at each epoch. Metrics work on host copies of targets and predictions (a
 * batch's worth of floats), so they are identical on every backend.
 *
 * <pre>{@code
 * Metric acc = new SparseCategoricalAccuracy();
 * acc.updateState(labels, probabilities, rows, new int[] {10});
 * double a = acc.result();
 * }</pre>
 */
public abstract class Metric implements Configurable {
  /** Metrics by Keras name: configs and custom registrations ({@link Registry}). */
  public static final Registry<Metric> REGISTRY =
      new Registry<>("metric", "keras.metrics", "Metric.REGISTRY");

  private final String name;

  protected Metric(String name) {
    this.name = name;
  }

  /** The key in logs and history ("accuracy", "auc"). */
  public String name() {
    return name;
  }

  /**
   * The Keras name this metric stands for until compile resolves it against a loss (Keras's
   * {@code metrics=["accuracy"]}), written as that string in compile settings; null (the
   * default) for a concrete metric, written as its registered config.
   */
  public String compileAlias() {
    return null;
  }

  /**
   * Accumulates one batch.
   *
   * @param yTrue targets, {@code rows} samples, row-major
   * @param yPred predictions, {@code rows} samples of shape {@code predShape}, row-major
   * @param predShape one prediction's shape (batch excluded)
   */
  public abstract void updateState(float[] yTrue, float[] yPred, int rows, int[] predShape);

  /** The metric over everything accumulated since the last reset. */
  public abstract double result();

  /** Forgets the accumulated state. */
  public abstract void resetState();

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = Config.newMap();
    m.put("name", name);
    m.put("dtype", "float32");
    return m;
  }

  protected static int product(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }
}
