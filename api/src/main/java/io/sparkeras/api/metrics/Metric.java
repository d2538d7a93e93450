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

  /**
   * Accumulates one batch whose samples weigh {@code sampleWeight} (one value per sample; null:
   * all 1), as Keras's {@code weighted_metrics} do. Metrics that cannot weigh samples refuse
   * weights (the default): {@code compile} them as plain metrics.
   */
  public void updateState(float[] yTrue, float[] yPred, float[] sampleWeight, int rows,
      int[] predShape) {
    if (sampleWeight != null) {
      throw new UnsupportedOperationException("metric '" + name + "' does not take sample "
          + "weights: give it in compile's metrics, not weighted_metrics");
    }
    updateState(yTrue, yPred, rows, predShape);
  }

  /**
   * The accumulated state as numbers that add up (Keras's metric variables: totals, counts,
   * confusion counts), so that several workers' partial results merge exactly: the driver sums
   * their states into a fresh copy ({@link #setState}) and reads its {@link #result}. Null (the
   * default) for a metric that cannot be merged so: its workers' results are then averaged,
   * weighted by their samples.
   */
  public double[] state() {
    return null;
  }

  /** Replaces the accumulated state by {@code state} (a sum of {@link #state}s). */
  public void setState(double[] state) {
    throw new UnsupportedOperationException("metric '" + name + "' has no mergeable state");
  }

  /** Checks a state given to {@link #setState} has {@code n} numbers. */
  protected final void checkState(double[] state, int n) {
    if (state == null || state.length != n) {
      throw new IllegalArgumentException("metric '" + name + "': a state of " + n
          + " numbers expected, found " + (state == null ? "null" : state.length));
    }
  }

  /** The weight of sample {@code r} ({@code 1} when {@code sampleWeight} is null). */
  protected static float weightOf(float[] sampleWeight, int r) {
    return sampleWeight == null ? 1f : sampleWeight[r];
  }

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
