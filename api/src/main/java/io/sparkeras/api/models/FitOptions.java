package io.sparkeras.api.models;

import io.sparkeras.api.callbacks.Callback;
import io.sparkeras.api.data.NDArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The keyword arguments of Keras's {@code fit}, as a fluent builder.
 *
 * <pre>{@code
 * model.fit(x, y, FitOptions.epochs(5).batchSize(128).validationSplit(0.1)
 *     .callbacks(new EarlyStopping("val_loss", 2)));
 * }</pre>
 */
public final class FitOptions {
  private int epochs = 1;
  private int batchSize = 32;
  private double validationSplit;
  private List<NDArray> validationX;
  private List<NDArray> validationY;
  private NDArray validationSampleWeight;
  private NDArray sampleWeight;
  private Map<Integer, Double> classWeight;
  private boolean shuffle = true;
  private int verbose = -1;
  private int initialEpoch;
  private int stepsPerEpoch = -1;
  private final List<Callback> callbacks = new ArrayList<>();

  private FitOptions() {}

  /** Starts options with this many epochs. */
  public static FitOptions epochs(int epochs) {
    return new FitOptions().withEpochs(epochs);
  }

  /** Default options (1 epoch, batch 32). */
  public static FitOptions defaults() {
    return new FitOptions();
  }

  public FitOptions withEpochs(int epochs) {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs: expected >= 1, found " + epochs);
    }
    this.epochs = epochs;
    return this;
  }

  public FitOptions batchSize(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch_size: expected >= 1, found " + batchSize);
    }
    this.batchSize = batchSize;
    return this;
  }

  /** Holds out the last fraction of the samples (before shuffling) for validation, like Keras. */
  public FitOptions validationSplit(double fraction) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException("validation_split: expected a fraction in [0, 1), found "
          + fraction);
    }
    this.validationSplit = fraction;
    return this;
  }

  public FitOptions validationData(NDArray x, NDArray y) {
    return validationData(List.of(x), List.of(y));
  }

  public FitOptions validationData(List<NDArray> x, List<NDArray> y) {
    return validationData(x, y, null);
  }

  /** Validation data whose samples weigh {@code sampleWeight} (Keras's 3-tuple). */
  public FitOptions validationData(List<NDArray> x, List<NDArray> y, NDArray sampleWeight) {
    this.validationX = List.copyOf(x);
    this.validationY = List.copyOf(y);
    this.validationSampleWeight = sampleWeight;
    return this;
  }

  /**
   * Keras's {@code sample_weight}: one weight per training sample (shape {@code [n]}), applied
   * to the loss ({@code sum(w × loss) / batch}) and to the {@code weightedMetrics}.
   */
  public FitOptions sampleWeight(NDArray weights) {
    if (weights != null && weights.sampleSize() != 1) {
      throw new IllegalArgumentException("sample_weight: expected one value per sample, found "
          + weights.sampleSize());
    }
    this.sampleWeight = weights;
    return this;
  }

  /**
   * Keras's {@code class_weight}: each sample weighs its class's weight (1 for classes not
   * named); for models with one output, not together with {@link #sampleWeight}.
   */
  public FitOptions classWeight(Map<Integer, Double> weights) {
    this.classWeight = weights == null ? null : Map.copyOf(weights);
    return this;
  }

  public FitOptions shuffle(boolean shuffle) {
    this.shuffle = shuffle;
    return this;
  }

  /** 0 silent, 1 progress bar, 2 one line per epoch; default: 1 on a terminal, else 2. */
  public FitOptions verbose(int verbose) {
    if (verbose < 0 || verbose > 2) {
      throw new IllegalArgumentException("verbose: expected 0, 1 or 2, found " + verbose);
    }
    this.verbose = verbose;
    return this;
  }

  public FitOptions initialEpoch(int epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("initial_epoch: expected >= 0, found " + epoch);
    }
    this.initialEpoch = epoch;
    return this;
  }

  /** Batches per epoch when training from an iterator (default: until it ends). */
  public FitOptions stepsPerEpoch(int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("steps_per_epoch: expected >= 1, found " + steps);
    }
    this.stepsPerEpoch = steps;
    return this;
  }

  public FitOptions callbacks(Callback... cbs) {
    Collections.addAll(callbacks, cbs);
    return this;
  }

  public int epochs() {
    return epochs;
  }

  public int batchSize() {
    return batchSize;
  }

  public double validationSplit() {
    return validationSplit;
  }

  public List<NDArray> validationX() {
    return validationX;
  }

  public List<NDArray> validationY() {
    return validationY;
  }

  public NDArray validationSampleWeight() {
    return validationSampleWeight;
  }

  public NDArray sampleWeight() {
    return sampleWeight;
  }

  public Map<Integer, Double> classWeight() {
    return classWeight;
  }

  public boolean shuffle() {
    return shuffle;
  }

  /** The verbosity, resolving "auto". */
  public int verbose() {
    return verbose >= 0 ? verbose : (System.console() != null ? 1 : 2);
  }

  public int initialEpoch() {
    return initialEpoch;
  }

  public int stepsPerEpoch() {
    return stepsPerEpoch;
  }

  public List<Callback> callbacks() {
    return Collections.unmodifiableList(callbacks);
  }
}
