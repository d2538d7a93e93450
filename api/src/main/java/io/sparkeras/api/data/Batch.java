package io.sparkeras.api.data;

import java.util.List;

/**
 * One batch for {@code fit}/{@code evaluate} from a Java iterator: the model's inputs and,
 * for training and evaluation, its targets (one array per model output) and optionally one
 * weight per sample (Keras's {@code sample_weight}), all with the same number of samples. The
 * distributed trainer fills these from Spark rows.
 *
 * <pre>{@code
 * Iterable<Batch> data = () -> myBatchIterator();
 * model.fit(data, FitOptions.epochs(3));
 * Batch weighted = new Batch(List.of(x), List.of(y), NDArray.of(weights, n));
 * }</pre>
 */
public final class Batch {
  private final List<NDArray> inputs;
  private final List<NDArray> targets;
  private final NDArray sampleWeights;

  public Batch(List<NDArray> inputs, List<NDArray> targets) {
    this(inputs, targets, null);
  }

  /**
   * A batch whose samples weigh {@code sampleWeights} (one value per sample, shape {@code [n]};
   * null: all 1) in the loss and the weighted metrics, as Keras's {@code sample_weight}.
   */
  public Batch(List<NDArray> inputs, List<NDArray> targets, NDArray sampleWeights) {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("Batch: needs at least one input array");
    }
    int n = inputs.get(0).length();
    for (NDArray a : inputs) {
      check(a, n, "input");
    }
    for (NDArray a : targets) {
      check(a, n, "target");
    }
    if (sampleWeights != null) {
      check(sampleWeights, n, "sample weight");
      if (sampleWeights.sampleSize() != 1) {
        throw new IllegalArgumentException("Batch: sample weights need one weight per sample, "
            + "shape [" + n + "], found " + sampleWeights.sampleSize() + " per sample (per-step "
            + "weights, Keras's temporal sample weights, are not supported; a sample's weight "
            + "weighs each of its steps)");
      }
    }
    this.inputs = List.copyOf(inputs);
    this.targets = List.copyOf(targets);
    this.sampleWeights = sampleWeights;
  }

  /** Single input, single target. */
  public static Batch of(NDArray x, NDArray y) {
    return new Batch(List.of(x), y == null ? List.of() : List.of(y));
  }

  private static void check(NDArray a, int n, String what) {
    if (a.length() != n) {
      throw new IllegalArgumentException("Batch: every array needs " + n + " samples, a " + what
          + " array has " + a.length());
    }
  }

  public List<NDArray> inputs() {
    return inputs;
  }

  public List<NDArray> targets() {
    return targets;
  }

  /** One weight per sample, or null (every sample weighs 1). */
  public NDArray sampleWeights() {
    return sampleWeights;
  }

  public int size() {
    return inputs.get(0).length();
  }
}
