package io.sparkeras.api.callbacks;

import java.util.Map;

/**
 * The base of callbacks that watch one quantity of the epoch logs and ask whether it improved,
 * like Keras 3's {@code keras.callbacks.MonitorCallback}: the monitored key, the {@link Mode}
 * (resolved to MIN or MAX when training begins), {@code min_delta}, an optional baseline, and the
 * best value so far. {@link EarlyStopping}, {@link ReduceLROnPlateau} and {@link ModelCheckpoint}
 * build on it.
 *
 * <pre>{@code
 * class StopAtTarget extends MonitorCallback<StopAtTarget> {
 *   StopAtTarget() { super("StopAtTarget", "val_accuracy"); }
 *   public void onEpochEnd(int epoch, Map<String, Double> logs) {
 *     if (direction() == null) { resetMonitor(null); }
 *     Double v = monitored(logs);
 *     if (v != null && isImprovement(v, 0.95)) { getModel().setStopTraining(true); }
 *   }
 * }
 * }</pre>
 *
 * @param <C> the concrete callback, which the fluent setters return
 */
public abstract class MonitorCallback<C extends MonitorCallback<C>> extends Callback {
  private final String owner;
  private String monitor;
  private Mode mode = Mode.AUTO;
  private double minDelta;
  private Double baseline;

  private Mode direction;
  private double best;

  /**
   * @param owner the callback's name in messages ("EarlyStopping")
   * @param monitor the default log key
   */
  protected MonitorCallback(String owner, String monitor) {
    this.owner = owner;
    this.monitor = monitor;
  }

  @SuppressWarnings("unchecked")
  private C self() {
    return (C) this;
  }

  /** The key of the logs to watch, e.g. "val_loss", "accuracy". */
  public C monitor(String monitor) {
    if (monitor == null || monitor.isEmpty()) {
      throw new IllegalArgumentException(owner + " monitor: expected a log key such as "
          + "\"val_loss\", found " + (monitor == null ? "null" : "\"\""));
    }
    this.monitor = monitor;
    restartMonitor();
    return self();
  }

  /** Direction of improvement; see {@link Mode}. Default {@link Mode#AUTO}. */
  public C mode(Mode mode) {
    if (mode == null) {
      throw new IllegalArgumentException(owner + " mode: expected AUTO, MIN or MAX, found null");
    }
    this.mode = mode;
    restartMonitor();
    return self();
  }

  /** Keras's {@code mode="auto" | "min" | "max"}. */
  public C mode(String mode) {
    return mode(Mode.of(mode));
  }

  public String getMonitor() {
    return monitor;
  }

  public Mode getMode() {
    return mode;
  }

  public double getMinDelta() {
    return minDelta;
  }

  /** The best monitored value so far. */
  public double best() {
    return best;
  }

  /**
   * Sets {@code min_delta} after checking it is finite; Keras's MonitorCallback keeps only its
   * magnitude ({@code keepSign} false), its ReduceLROnPlateau the value as given.
   */
  protected final C setMinDelta(double minDelta, boolean keepSign) {
    if (!Double.isFinite(minDelta)) {
      throw new IllegalArgumentException(owner + " min_delta: expected a finite number, found "
          + minDelta);
    }
    this.minDelta = keepSign ? minDelta : Math.abs(minDelta);
    return self();
  }

  /**
   * Sets the baseline (null: none) after checking it is a number; {@code key} is its Keras name
   * in messages ("baseline").
   */
  protected final C setBaseline(Double baseline, String key) {
    if (baseline != null && Double.isNaN(baseline)) {
      throw new IllegalArgumentException(owner + " " + key + ": expected a number, found NaN");
    }
    this.baseline = baseline;
    return self();
  }

  /** {@code value} if it is at least 0; else an error naming the callback and {@code key}. */
  protected final int atLeastZero(String key, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(owner + " " + key + ": expected >= 0, found " + value);
    }
    return value;
  }

  /** The baseline, or null if none. */
  protected final Double baselineValue() {
    return baseline;
  }

  /** Makes the next epoch end start afresh ({@link #resetMonitor}), after a setting changed. */
  protected final void restartMonitor() {
    direction = null;
  }

  /** MIN or MAX once training began ({@link #resetMonitor}); null before. */
  protected final Mode direction() {
    return direction;
  }

  /**
   * Resolves the direction from the mode and the key and sets the best value to {@code start},
   * or to the worst possible value when it is null.
   */
  protected final void resetMonitor(Double start) {
    direction = mode.resolve(monitor);
    best = start != null ? start
        : direction == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
  }

  protected final void setBest(double best) {
    this.best = best;
  }

  /** The monitored value in {@code logs}, or null when it is missing. */
  protected final Double monitored(Map<String, Double> logs) {
    return logs == null ? null : logs.get(monitor);
  }

  /**
   * Whether {@code current} beats {@code reference} by more than {@code min_delta} in the
   * monitored direction, as Keras's MonitorCallback decides.
   */
  protected boolean isImprovement(double current, double reference) {
    return direction == Mode.MIN ? current + minDelta < reference
        : current - minDelta > reference;
  }
}
