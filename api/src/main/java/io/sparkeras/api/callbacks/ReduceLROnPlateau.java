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
public class ReduceLROnPlateau extends Callback {
  private static final Logger LOG = LoggerFactory.getLogger(ReduceLROnPlateau.class);

  private String monitor = "val_loss";
  private double factor = 0.1;
  private int patience = 10;
  private int verbose;
  private Mode mode = Mode.AUTO;
  private double minDelta = 1e-4;
  private int cooldown;
  private double minLr;

  private Mode direction;
  private double best;
  private int wait;
  private int cooldownCounter;

  /**
   * Keras's defaults: monitor "val_loss", factor 0.1, patience 10, mode auto, min_delta 1e-4,
   * cooldown 0, min_lr 0.
   */
  public ReduceLROnPlateau() {}

  /** The key of the logs to watch. Default "val_loss". */
  public ReduceLROnPlateau monitor(String monitor) {
    if (monitor == null || monitor.isEmpty()) {
      throw new IllegalArgumentException("ReduceLROnPlateau monitor: expected a log key such "
          + "as \"val_loss\", found " + (monitor == null ? "null" : "\"\""));
    }
    this.monitor = monitor;
    direction = null;
    return this;
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
    if (patience < 0) {
      throw new IllegalArgumentException("ReduceLROnPlateau patience: expected >= 0, found "
          + patience);
    }
    this.patience = patience;
    return this;
  }

  /** 0 quiet; 1 prints each reduction. Default 0. */
  public ReduceLROnPlateau verbose(int verbose) {
    if (verbose < 0) {
      throw new IllegalArgumentException("ReduceLROnPlateau verbose: expected >= 0, found "
          + verbose);
    }
    this.verbose = verbose;
    return this;
  }

  /** Direction of improvement; see {@link Mode}. Default {@link Mode#AUTO}. */
  public ReduceLROnPlateau mode(Mode mode) {
    if (mode == null) {
      throw new IllegalArgumentException("ReduceLROnPlateau mode: expected AUTO, MIN or MAX, "
          + "found null");
    }
    this.mode = mode;
    direction = null;
    return this;
  }

  /** Keras's {@code mode="auto" | "min" | "max"}. */
  public ReduceLROnPlateau mode(String mode) {
    return mode(Mode.of(mode));
  }

  /** Threshold for a new best to count. Default 1e-4. */
  public ReduceLROnPlateau minDelta(double minDelta) {
    if (!Double.isFinite(minDelta)) {
      throw new IllegalArgumentException("ReduceLROnPlateau min_delta: expected a finite "
          + "number, found " + minDelta);
    }
    this.minDelta = minDelta;
    return this;
  }

  /** Epochs after a reduction during which no epoch counts towards patience. Default 0. */
  public ReduceLROnPlateau cooldown(int cooldown) {
    if (cooldown < 0) {
      throw new IllegalArgumentException("ReduceLROnPlateau cooldown: expected >= 0, found "
          + cooldown);
    }
    this.cooldown = cooldown;
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

  public String getMonitor() {
    return monitor;
  }

  public double getFactor() {
    return factor;
  }

  public int getPatience() {
    return patience;
  }

  public Mode getMode() {
    return mode;
  }

  public double getMinDelta() {
    return minDelta;
  }

  public int getCooldown() {
    return cooldown;
  }

  public double getMinLr() {
    return minLr;
  }

  /** The best monitored value so far. */
  public double best() {
    return best;
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
    direction = mode.resolve(monitor);
    best = direction == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    cooldownCounter = 0;
    wait = 0;
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    if (direction == null) {
      reset();
    }
    Optimizer optimizer = optimizer();
    logs.put("learning_rate", optimizer.getLearningRate());
    Double current = logs.get(monitor);
    if (current == null) {
      LOG.warn("Learning rate reduction is conditioned on metric `{}` which is not available. "
          + "Available metrics are: {}.", monitor, String.join(",", logs.keySet()));
      return;
    }
    if (inCooldown()) {
      cooldownCounter--;
      wait = 0;
    }
    if (isImprovement(current)) {
      best = current;
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

  private boolean isImprovement(double current) {
    return direction == Mode.MIN ? current < best - minDelta : current > best + minDelta;
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
