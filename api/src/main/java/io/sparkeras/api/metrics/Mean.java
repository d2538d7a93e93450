package io.sparkeras.api.metrics;

/**
 * Weighted running mean of scalar values (the "loss" entry of the logs).
 *
 * <pre>{@code Mean m = new Mean("loss"); m.update(0.5, 128); m.result(); }</pre>
 */
public final class Mean extends MeanMetric {
  public Mean(String name) {
    super(name);
  }

  /** Adds {@code value} with weight {@code weight} (e.g. a batch mean and its batch size). */
  public void update(double value, double weight) {
    add(value, weight);
  }

  @Override
  public void updateState(float[] yTrue, float[] yPred, int rows, int[] predShape) {
    throw new UnsupportedOperationException("Mean takes values through update(value, weight)");
  }
}
