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
public class EarlyStopping extends MonitorCallback<EarlyStopping> {
  private static final Logger LOG = LoggerFactory.getLogger(EarlyStopping.class);

  private int patience;
  private int verbose;
  private boolean restoreBestWeights;
  private int startFromEpoch;

  // state of one fit
  private int wait;
  private int stoppedEpoch;
  private int bestEpoch;
  private float[] bestWeights;

  /** Keras's defaults: monitor "val_loss", patience 0, min_delta 0, mode auto. */
  public EarlyStopping() {
    super("EarlyStopping", "val_loss");
  }

  /** Monitors {@code monitor} with the given patience; everything else at Keras's defaults. */
  public EarlyStopping(String monitor, int patience) {
    this();
    monitor(monitor);
    patience(patience);
  }

  /**
   * The smallest change that counts as an improvement; its sign is ignored, as in Keras.
   * Default 0.
   */
  public EarlyStopping minDelta(double minDelta) {
    return setMinDelta(minDelta, false);
  }

  /** Epochs without improvement after which training stops. Default 0. */
  public EarlyStopping patience(int patience) {
    this.patience = atLeastZero("patience", patience);
    return this;
  }

  /** 0 silent; 1 prints when it stops and when it restores weights. Default 0. */
  public EarlyStopping verbose(int verbose) {
    this.verbose = atLeastZero("verbose", verbose);
    return this;
  }

  /**
   * A value the monitored quantity must beat; epochs that do not beat it never reset the
   * patience count. Default none.
   */
  public EarlyStopping baseline(double baseline) {
    return setBaseline(baseline, "baseline");
  }

  /** Removes the baseline (Keras's {@code baseline=None}). */
  public EarlyStopping noBaseline() {
    return setBaseline(null, "baseline");
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
    this.startFromEpoch = atLeastZero("start_from_epoch", epoch);
    return this;
  }

  public int getPatience() {
    return patience;
  }

  /** The baseline, or null if none. */
  public Double getBaseline() {
    return baselineValue();
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

  /** Epochs counted towards {@link #getPatience()} so far. */
  public int waitCount() {
    return wait;
  }

  @Override
  public void onTrainBegin(Map<String, Double> logs) {
    reset();
  }

  private void reset() {
    resetMonitor(null);
    wait = 0;
    stoppedEpoch = 0;
    bestEpoch = 0;
    bestWeights = null;
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    if (direction() == null) {
      reset();
    }
    Double current = monitored(logs);
    if (current == null) {
      LOG.warn("Early stopping conditioned on metric `{}` which is not available. Available "
          + "metrics are: {}", getMonitor(), logs == null ? "" : String.join(",", logs.keySet()));
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
    if (isImprovement(current, best())) {
      setBest(current);
      bestEpoch = epoch;
      if (restoreBestWeights) {
        bestWeights = model().getFlatWeights();
      }
      if (getBaseline() == null || isImprovement(current, getBaseline())) {
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

  private Model model() {
    Model m = getModel();
    if (m == null) {
      throw new IllegalStateException("EarlyStopping: no model; fit() calls setModel(model) "
          + "first");
    }
    return m;
  }
}
