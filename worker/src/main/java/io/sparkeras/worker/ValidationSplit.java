package io.sparkeras.worker;

import java.io.Serializable;

/**
 * {@code validationSplit} on indexed rows: of {@code n} rows, {@code floor(n × (1 - fraction))}
 * train (Keras's {@code split_at}) and the rest are held out for validation, chosen by a seeded
 * permutation of the indexes ({@link KeyedPermutation}) instead of Keras's "last rows", since a
 * table's last rows are rarely a fair sample. Exact sizes; the same rows for the same
 * {@code (n, fraction, seed)}.
 *
 * <pre>{@code
 * ValidationSplit split = new ValidationSplit(60_000, 0.1, seed);
 * boolean held = split.isValidation(17);
 * long train = split.trainingRows();    // 54,000
 * }</pre>
 */
public final class ValidationSplit implements Serializable {
  private static final long serialVersionUID = 1L;
  private final KeyedPermutation order;
  private final long trainingRows;

  public ValidationSplit(long n, double fraction, long seed) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("validation_split: expected a fraction in (0, 1), found "
          + fraction);
    }
    this.trainingRows = (long) Math.floor(n * (1 - fraction));
    if (trainingRows <= 0 || trainingRows >= n) {
      throw new IllegalArgumentException("validation_split " + fraction + " leaves no training "
          + "or no validation rows out of " + n);
    }
    this.order = new KeyedPermutation(n, seed);
  }

  /** The split of a fit with seed {@code fitSeed} (a key of its own, not the deal's). */
  public static ValidationSplit forFit(long n, double fraction, long fitSeed) {
    return new ValidationSplit(n, fraction, KeyedPermutation.mix(fitSeed ^ 0x5EED5EEDL));
  }

  /** Whether row {@code i} is held out for validation. */
  public boolean isValidation(long i) {
    return order.apply(i) >= trainingRows;
  }

  /** Rows left for training. */
  public long trainingRows() {
    return trainingRows;
  }

  /** Rows held out. */
  public long validationRows() {
    return order.size() - trainingRows;
  }

  /**
   * Training rows among indexes {@code [from, from + count)}: per input partition, where its
   * training rows start in the training set's own numbering. O(count).
   */
  public long trainingRowsIn(long from, long count) {
    long t = 0;
    for (long i = from; i < from + count; i++) {
      if (!isValidation(i)) {
        t++;
      }
    }
    return t;
  }
}
