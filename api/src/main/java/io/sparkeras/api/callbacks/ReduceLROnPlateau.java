package io.sparkeras.api.callbacks;

import io.sparkeras.api.models.Model;
import io.sparkeras.api.optimizers.Optimizer;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the learning rate when a monitored quantity has stopped improving, like Keras 3's
 * {@code keras.callbacks.ReduceLROnPlateau} (same defaults, same counting).
 *
 * <p>At the end of every epoch the optimizer's learning rate is added to the logs as
 * {@code "learning_rate"} (the rate used during that epoch, before any reduction), so History,
 * CSVLogger and the progress bar show it. A value counts as an improvement when it beats the best
 * by more than {@link #minDelta}. After {@link #patience} epochs in a row without one, the rate
 * becomes {@code max(lr * factor, minLr)} (only while it is above {@code minLr}) and the next
 * {@link #cooldown} epochs do not count. The logs map passed to {@code onEpochEnd} must be
 * mutable (fit's are).
 *
 * <pre>{@code
 * ReduceLROnPlateau plateau = new ReduceLROnPlateau()
 *     .monitor("val_loss")
 *     .factor(0.2)
 *     .patience(5)
 *     .minLr(1e-5);
 * History h = model.fit(x, y, FitOptions.epochs(50).validationSplit(0.2).callbacks(plateau));
 * List<Double> lrs = h.get("learning_rate");
 * }</pre>
 */
public class ReduceLROnPlateau extends MonitorCallback<ReduceLROnPlateau> {
  private static final Logger LOG = LoggerFactory.getLogger(ReduceLROnPlateau.class);

  private double factor = 0.1;
  private int patience = 10;
  private int verbose;
  private int cooldown;
  private double minLr;

  private int wait;
  private int cooldownCounter;

  /**
   * Keras's defaults: monitor "val_loss", factor 0.1, patience 10, mode auto, min_delta 1e-4,
   * cooldown 0, min_lr 0.
   */
  public ReduceLROnPlateau() {
    super("ReduceLROnPlateau", "val_loss");
    setMinDelta(1e-4, true);
  }

  /** {@code new_lr = lr * factor}; must be in [0, 1). Default 0.1. */
  public ReduceLROnPlateau factor(double factor) {
    if (!(factor >= 0 && factor < 1)) {
      throw new IllegalArgumentException("ReduceLROnPlateau does not support a factor outside "
          + "[0, 1); found factor=" + factor);
    }
    this.factor = factor;
    return this;
  }

  /** Epochs without improvement after which the rate is reduced. Default 10. */
  public ReduceLROnPlateau patience(int patience) {
    this.patience = atLeastZero("patience", patience);
    return this;
  }

  /** 0 quiet; 1 prints each reduction. Default 0. */
  public ReduceLROnPlateau verbose(int verbose) {
    this.verbose = atLeastZero("verbose", verbose);
    return this;
  }

  /** Threshold for a new best to count. Default 1e-4. */
  public ReduceLROnPlateau minDelta(double minDelta) {
    return setMinDelta(minDelta, true);
  }

  /** Epochs after a reduction during which no epoch counts towards patience. Default 0. */
  public ReduceLROnPlateau cooldown(int cooldown) {
    this.cooldown = atLeastZero("cooldown", cooldown);
    return this;
  }

  /** Lower bound of the learning rate. Default 0. */
  public ReduceLROnPlateau minLr(double minLr) {
    if (!(minLr >= 0) || Double.isInfinite(minLr)) {
      throw new IllegalArgumentException("ReduceLROnPlateau min_lr: expected a finite number "
          + ">= 0, found " + minLr);
    }
    this.minLr = minLr;
    return this;
  }

  public double getFactor() {
    return factor;
  }

  public int getPatience() {
    return patience;
  }

  public int getCooldown() {
    return cooldown;
  }

  public double getMinLr() {
    return minLr;
  }

  /** Epochs counted towards patience so far. */
  public int waitCount() {
    return wait;
  }

  /** Whether the callback is in its cooldown after a reduction. */
  public boolean inCooldown() {
    return cooldownCounter > 0;
  }

  @Override
  public void onTrainBegin(Map<String, Double> logs) {
    reset();
  }

  private void reset() {
    resetMonitor(null);
    cooldownCounter = 0;
    wait = 0;
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    if (direction() == null) {
      reset();
    }
    Optimizer optimizer = optimizer();
    logs.put("learning_rate", optimizer.getLearningRate());
    Double current = monitored(logs);
    if (current == null) {
      LOG.warn("Learning rate reduction is conditioned on metric `{}` which is not available. "
          + "Available metrics are: {}.", getMonitor(), String.join(",", logs.keySet()));
      return;
    }
    if (inCooldown()) {
      cooldownCounter--;
      wait = 0;
    }
    if (isImprovement(current, best())) {
      setBest(current);
      wait = 0;
    } else if (!inCooldown()) {
      wait++;
      if (wait >= patience) {
        double oldLr = optimizer.getLearningRate();
        if (oldLr > (float) minLr) {
          double newLr = Math.max(oldLr * factor, minLr);
          optimizer.setLearningRate(newLr);
          if (verbose > 0) {
            System.out.println("Epoch " + (epoch + 1) + ": ReduceLROnPlateau reducing learning "
                + "rate to " + PyFormat.repr(newLr) + ".");
          }
          cooldownCounter = cooldown;
          wait = 0;
        }
      }
    }
  }

  /** Keras's ReduceLROnPlateau compares against {@code best -/+ min_delta}, sign kept. */
  @Override
  protected boolean isImprovement(double current, double reference) {
    return direction() == Mode.MIN ? current < reference - getMinDelta()
        : current > reference + getMinDelta();
  }

  private Optimizer optimizer() {
    Model m = getModel();
    if (m == null || m.getOptimizer() == null) {
      throw new IllegalStateException("ReduceLROnPlateau: needs a compiled model; fit() calls "
          + "setModel(model) first");
    }
    return m.getOptimizer();
  }
}
