package io.sparkeras.api.tuner;

import io.sparkeras.api.callbacks.Callback;
import java.util.Map;

/**
 * Keeps the weights of the best epoch by the objective across every execution of a trial
 * (KerasTuner's {@code SaveBestEpoch}); the trial saves them once, as its checkpoint, when it
 * ends, instead of writing a file at every improvement.
 *
 * <pre>{@code
 * BestEpoch best = new BestEpoch(Objective.max("val_accuracy"));
 * model.fit(x, y, FitOptions.epochs(5).validationData(xv, yv).callbacks(best));
 * model.setFlatWeights(best.weights());
 * }</pre>
 */
public final class BestEpoch extends Callback {
  private final Objective objective;
  private double best = Double.NaN;
  private float[] weights;

  public BestEpoch(Objective objective) {
    this.objective = objective;
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    Double v = logs.get(objective.name());
    if (v != null && !v.isNaN() && (weights == null || objective.better(v, best))) {
      best = v;
      weights = getModel().getFlatWeights();
    }
  }

  /** The best epoch's weights, or null if no epoch logged the objective. */
  public float[] weights() {
    return weights;
  }

  /** The best value seen, NaN if none. */
  public double bestValue() {
    return best;
  }
}
