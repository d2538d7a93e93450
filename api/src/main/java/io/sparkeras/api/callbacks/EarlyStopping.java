package io.sparkeras.api.callbacks;

import io.sparkeras.api.models.Model;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops training when a monitored quantity has stopped improving, like Keras 3's
 * {@code keras.callbacks.EarlyStopping} (same defaults, same counting).
 *
 * <p>At the end of every epoch from {@link #startFromEpoch} on, the monitored value counts as an
 * improvement when it beats the best so far by more than {@link #minDelta} (in the direction of
 * {@link #mode}). After {@link #patience} epochs in a row without one, {@code fit} stops after
 * that epoch ({@link Model#setStopTraining}). With a {@link #baseline}, an epoch only resets the
 * count if it also beats the baseline, so training stops after {@code patience} epochs that fail
 * to beat it. With {@link #restoreBestWeights} the weights of the best epoch (by the monitored
 * value alone, baseline or not) are put back when training ends, whether it stopped early or
 * not. If the monitored key is missing from an epoch's logs, a warning names it and the keys
 * there are, and that epoch is ignored.
 *
 * <pre>{@code
 * EarlyStopping es = new EarlyStopping()
 *     .monitor("val_loss")
 *     .patience(3)
 *     .minDelta(1e-3)
 *     .restoreBestWeights(true);
 * model.fit(x, y, FitOptions.epochs(100).validationSplit(0.2).callbacks(es));
 * System.out.println("stopped after epoch " + es.stoppedEpoch());
 * }</pre>
 *
 * <p>Instances may be reused: the counters are reset when training begins.
 */
public class EarlyStopping extends Callback {
  private static final Logger LOG = LoggerFactory.getLogger(EarlyStopping.class);

  private String monitor = "val_loss";
  private double minDelta;
  private int patience;
  private int verbose;
  private Mode mode = Mode.AUTO;
  private Double baseline;
  private boolean restoreBestWeights;
  private int startFromEpoch;

  // state of one fit
  private Mode direction;
  private double best;
  private int wait;
  private int stoppedEpoch;
  private int bestEpoch;
  private float[] bestWeights;

  /** Keras's defaults: monitor "val_loss", patience 0, min_delta 0, mode auto. */
  public EarlyStopping() {}

  /** Monitors {@code monitor} with the given patience; everything else at Keras's defaults. */
  public EarlyStopping(String monitor, int patience) {
    monitor(monitor);
    patience(patience);
  }

  /** The key of the logs to watch, e.g. "val_loss", "accuracy". Default "val_loss". */
  public EarlyStopping monitor(String monitor) {
    if (monitor == null || monitor.isEmpty()) {
      throw new IllegalArgumentException("EarlyStopping monitor: expected a log key such as "
          + "\"val_loss\", found " + (monitor == null ? "null" : "\"\""));
    }
    this.monitor = monitor;
    direction = null;
    return this;
  }

  /**
   * The smallest change that counts as an improvement; its sign is ignored, as in Keras.
   * Default 0.
   */
  public EarlyStopping minDelta(double minDelta) {
    if (!Double.isFinite(minDelta)) {
      throw new IllegalArgumentException("EarlyStopping min_delta: expected a finite number, "
          + "found " + minDelta);
    }
    this.minDelta = Math.abs(minDelta);
    return this;
  }

  /** Epochs without improvement after which training stops. Default 0. */
  public EarlyStopping patience(int patience) {
    if (patience < 0) {
      throw new IllegalArgumentException("EarlyStopping patience: expected >= 0, found "
          + patience);
    }
    this.patience = patience;
    return this;
  }

  /** 0 silent; 1 prints when it stops and when it restores weights. Default 0. */
  public EarlyStopping verbose(int verbose) {
    if (verbose < 0) {
      throw new IllegalArgumentException("EarlyStopping verbose: expected >= 0, found "
          + verbose);
    }
    this.verbose = verbose;
    return this;
  }

  /** Direction of improvement; see {@link Mode}. Default {@link Mode#AUTO}. */
  public EarlyStopping mode(Mode mode) {
    if (mode == null) {
      throw new IllegalArgumentException("EarlyStopping mode: expected AUTO, MIN or MAX, found "
          + "null");
    }
    this.mode = mode;
    direction = null;
    return this;
  }

  /** Keras's {@code mode="auto" | "min" | "max"}. */
  public EarlyStopping mode(String mode) {
    return mode(Mode.of(mode));
  }

  /**
   * A value the monitored quantity must beat; epochs that do not beat it never reset the
   * patience count. Default none.
   */
  public EarlyStopping baseline(double baseline) {
    if (Double.isNaN(baseline)) {
      throw new IllegalArgumentException("EarlyStopping baseline: expected a number, found NaN");
    }
    this.baseline = baseline;
    return this;
  }

  /** Removes the baseline (Keras's {@code baseline=None}). */
  public EarlyStopping noBaseline() {
    this.baseline = null;
    return this;
  }

  /**
   * Whether to put back the weights of the best epoch when training ends. Default false: the
   * model keeps the weights of the last epoch.
   */
  public EarlyStopping restoreBestWeights(boolean restore) {
    this.restoreBestWeights = restore;
    return this;
  }

  /** Epochs (0-based index) before which nothing is monitored, a warm-up. Default 0. */
  public EarlyStopping startFromEpoch(int epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("EarlyStopping start_from_epoch: expected >= 0, found "
          + epoch);
    }
    this.startFromEpoch = epoch;
    return this;
  }

  public String getMonitor() {
    return monitor;
  }

  public double getMinDelta() {
    return minDelta;
  }

  public int getPatience() {
    return patience;
  }

  public Mode getMode() {
    return mode;
  }

  /** The baseline, or null if none. */
  public Double getBaseline() {
    return baseline;
  }

  public boolean isRestoreBestWeights() {
    return restoreBestWeights;
  }

  public int getStartFromEpoch() {
    return startFromEpoch;
  }

  /** The epoch (0-based) at which training was stopped, or 0 if it was not (as in Keras). */
  public int stoppedEpoch() {
    return stoppedEpoch;
  }

  /** The epoch (0-based) with the best monitored value so far. */
  public int bestEpoch() {
    return bestEpoch;
  }

  /** The best monitored value so far (infinite before the first monitored epoch). */
  public double best() {
    return best;
  }

  /** Epochs counted towards {@link #getPatience()} so far. */
  public int waitCount() {
    return wait;
  }

  @Override
  public void onTrainBegin(Map<String, Double> logs) {
    reset();
  }

  private void reset() {
    direction = mode.resolve(monitor);
    best = direction == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    wait = 0;
    stoppedEpoch = 0;
    bestEpoch = 0;
    bestWeights = null;
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    if (direction == null) {
      reset();
    }
    Double current = logs == null ? null : logs.get(monitor);
    if (current == null) {
      LOG.warn("Early stopping conditioned on metric `{}` which is not available. Available "
          + "metrics are: {}", monitor, logs == null ? "" : String.join(",", logs.keySet()));
      return;
    }
    if (epoch < startFromEpoch) {
      return;
    }
    if (restoreBestWeights && bestWeights == null) {
      // the first monitored epoch is the best so far even if it beats nothing
      bestWeights = model().getFlatWeights();
      bestEpoch = epoch;
    }
    wait++;
    if (isImprovement(current, best)) {
      best = current;
      bestEpoch = epoch;
      if (restoreBestWeights) {
        bestWeights = model().getFlatWeights();
      }
      if (baseline == null || isImprovement(current, baseline)) {
        wait = 0;
      }
      return;
    }
    if (wait >= patience && epoch > 0) {
      stoppedEpoch = epoch;
      model().setStopTraining(true);
    }
  }

  @Override
  public void onTrainEnd(Map<String, Double> logs) {
    if (stoppedEpoch > 0 && verbose > 0) {
      System.out.println("Epoch " + (stoppedEpoch + 1) + ": early stopping");
    }
    if (restoreBestWeights && bestWeights != null) {
      if (verbose > 0) {
        System.out.println("Restoring model weights from the end of the best epoch: "
            + (bestEpoch + 1) + ".");
      }
      model().setFlatWeights(bestWeights);
    }
  }

  private boolean isImprovement(double current, double reference) {
    return direction == Mode.MIN ? current + minDelta < reference
        : current - minDelta > reference;
  }

  private Model model() {
    Model m = getModel();
    if (m == null) {
      throw new IllegalStateException("EarlyStopping: no model; fit() calls setModel(model) "
          + "first");
    }
    return m;
  }
}
