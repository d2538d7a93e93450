package io.sparkeras.api.metrics;

/**
 * A metric that is a weighted mean (Keras's {@code Mean}: the variables {@code total} and
 * {@code count}): values are added with weights ({@link #add}), the result is
 * {@code total / count}, and the pair is the additive {@link #state} that merges several
 * workers' parts.
 */
abstract class MeanMetric extends Metric {
  private double total;
  private double count;

  protected MeanMetric(String name) {
    super(name);
  }

  /** Adds {@code value} with weight {@code weight}. */
  protected final void add(double value, double weight) {
    total += value * weight;
    count += weight;
  }

  @Override
  public double result() {
    return count == 0 ? 0 : total / count;
  }

  @Override
  public void resetState() {
    total = 0;
    count = 0;
  }

  @Override
  public double[] state() {
    return new double[] {total, count};
  }

  @Override
  public void setState(double[] state) {
    checkState(state, 2);
    total = state[0];
    count = state[1];
  }
}
