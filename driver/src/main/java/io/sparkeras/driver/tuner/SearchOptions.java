package io.sparkeras.driver.tuner;

import io.sparkeras.api.tuner.CallbackFactory;
import io.sparkeras.driver.TrainerSettings;
import java.io.PrintStream;

/**
 * How a search trains each trial and uses the cluster: the {@code fit} arguments of KerasTuner's
 * {@code search} (epochs, batch size, callbacks) and the Spark side (trials at once, data shards,
 * workers per trial).
 *
 * <pre>{@code
 * SearchOptions.parallelTrials(8).epochs(10).batchSize(128)
 *     .callbacks(() -> List.of(new EarlyStopping("val_loss", 3)));
 * SearchOptions.epochs(5).workersPerTrial(4);   // each trial a distributed fit with 4 workers
 * SearchOptions.parallelTrials(4).trialSettings(
 *     TrainerSettings.fromConf(conf).set(TrainerSettings.BAD_ROWS, BadRowPolicy.SKIP));
 * }</pre>
 *
 * <p>By default a trial is one Spark task: it trains with the local backend on one shard of the
 * training table (the table split into {@code shards} cached partitions, default one per
 * parallel trial), and validates on the whole validation table (collected once and broadcast).
 * With {@code workersPerTrial(n)} a trial is a distributed fit over the whole table with n
 * workers instead.
 *
 * <p>A trial reads its columns and trains with {@link TrainerSettings} (the bad-row policy, a
 * binary features column's shape; for a distributed trial also the mode and the parameter
 * server's settings): the session's {@code spark.sparkeras.*} conf unless {@link
 * #trialSettings} gives others.
 */
public final class SearchOptions {
  private int epochs = 1;
  private int batchSize = 32;
  private int parallelTrials;
  private int shards;
  private int workersPerTrial;
  private CallbackFactory callbacks = CallbackFactory.NONE;
  private TrainerSettings trialSettings;
  private PrintStream progress = System.out;

  private SearchOptions() {}

  /** Defaults: 1 epoch, batch 32, as many trials at once as Spark's default parallelism. */
  public static SearchOptions defaults() {
    return new SearchOptions();
  }

  /** Starts options with this many trials at once. */
  public static SearchOptions parallelTrials(int n) {
    return new SearchOptions().withParallelTrials(n);
  }

  /** Starts options with this many epochs per trial. */
  public static SearchOptions epochs(int n) {
    return new SearchOptions().withEpochs(n);
  }

  /** Epochs each trial trains (Hyperband sets its own from {@code maxEpochs}). */
  public SearchOptions withEpochs(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("epochs: expected >= 1, found " + n);
    }
    this.epochs = n;
    return this;
  }

  /** Trials running at once (0: Spark's default parallelism). */
  public SearchOptions withParallelTrials(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("parallel_trials: expected >= 0, found " + n);
    }
    this.parallelTrials = n;
    return this;
  }

  public SearchOptions batchSize(int b) {
    if (b < 1) {
      throw new IllegalArgumentException("batch_size: expected >= 1, found " + b);
    }
    this.batchSize = b;
    return this;
  }

  /** Cached partitions of the training table a trial trains on one of (0: one per slot). */
  public SearchOptions shards(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("shards: expected >= 0, found " + n);
    }
    this.shards = n;
    return this;
  }

  /** Workers of a distributed fit per trial; 0 (default): one task per trial, local backend. */
  public SearchOptions workersPerTrial(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("workers_per_trial: expected >= 0, found " + n);
    }
    this.workersPerTrial = n;
    return this;
  }

  /** The callbacks of every execution, made where it runs. */
  public SearchOptions callbacks(CallbackFactory f) {
    this.callbacks = f == null ? CallbackFactory.NONE : f;
    return this;
  }

  /**
   * The trainer settings of every trial (copied when the search starts; the workers of a
   * distributed trial come from {@link #workersPerTrial}); null: the session's conf.
   */
  public SearchOptions trialSettings(TrainerSettings s) {
    this.trialSettings = s;
    return this;
  }

  /** Where the progress line of each finished trial goes; null: nowhere. */
  public SearchOptions progress(PrintStream out) {
    this.progress = out;
    return this;
  }

  public int epochs() {
    return epochs;
  }

  public int batchSize() {
    return batchSize;
  }

  public int parallelTrials() {
    return parallelTrials;
  }

  public int shards() {
    return shards;
  }

  public int workersPerTrial() {
    return workersPerTrial;
  }

  public CallbackFactory callbacks() {
    return callbacks;
  }

  /** The trainer settings given to {@link #trialSettings}, or null. */
  public TrainerSettings trialSettings() {
    return trialSettings;
  }

  public PrintStream progress() {
    return progress;
  }
}
