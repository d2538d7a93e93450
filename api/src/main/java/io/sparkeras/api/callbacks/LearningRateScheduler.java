package io.sparkeras.api.callbacks;

import io.sparkeras.api.models.Model;
import io.sparkeras.api.optimizers.Optimizer;
import java.util.Map;

/**
 * Sets the optimizer's learning rate at the start of every epoch from a {@link Schedule}, like
 * Keras 3's {@code keras.callbacks.LearningRateScheduler}; at the end of every epoch the rate is
 * added to the logs as {@code "learning_rate"} (so History and CSVLogger record it). The logs map
 * passed to {@code onEpochEnd} must be mutable (fit's are).
 *
 * <pre>{@code
 * // keep the rate for 10 epochs, then decay it by e^-0.1 per epoch
 * LearningRateScheduler sched = new LearningRateScheduler(
 *     (epoch, lr) -> epoch < 10 ? lr : lr * Math.exp(-0.1));
 * History h = model.fit(x, y, FitOptions.epochs(15).callbacks(sched));
 * double last = h.last("learning_rate");
 * }</pre>
 */
public class LearningRateScheduler extends Callback {

  /** Keras's {@code schedule(epoch, lr)}: the 0-based epoch and the current rate to a new rate. */
  @FunctionalInterface
  public interface Schedule {
    double apply(int epoch, double learningRate);
  }

  private final Schedule schedule;
  private int verbose;

  public LearningRateScheduler(Schedule schedule) {
    if (schedule == null) {
      throw new IllegalArgumentException("LearningRateScheduler schedule: expected a function "
          + "(epoch, lr) -> lr, found null");
    }
    this.schedule = schedule;
  }

  /** 0 quiet; 1 prints the rate set at each epoch. Default 0. */
  public LearningRateScheduler verbose(int verbose) {
    if (verbose < 0) {
      throw new IllegalArgumentException("LearningRateScheduler verbose: expected >= 0, found "
          + verbose);
    }
    this.verbose = verbose;
    return this;
  }

  public Schedule getSchedule() {
    return schedule;
  }

  @Override
  public void onEpochBegin(int epoch, Map<String, Double> logs) {
    Optimizer opt = optimizer();
    double lr = schedule.apply(epoch, opt.getLearningRate());
    if (!(lr >= 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("LearningRateScheduler: the schedule returned " + lr
          + " for epoch " + epoch + "; expected a finite learning rate >= 0");
    }
    opt.setLearningRate(lr);
    if (verbose > 0) {
      System.out.println("Epoch " + (epoch + 1) + ": LearningRateScheduler setting learning "
          + "rate to " + PyFormat.repr(lr) + ".");
    }
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    logs.put("learning_rate", optimizer().getLearningRate());
  }

  private Optimizer optimizer() {
    Model m = getModel();
    if (m == null || m.getOptimizer() == null) {
      throw new IllegalStateException("LearningRateScheduler: needs a compiled model; fit() "
          + "calls setModel(model) first");
    }
    return m.getOptimizer();
  }
}
