package io.sparkeras.api.trainers;

import io.sparkeras.api.callbacks.CallbackList;
import io.sparkeras.api.callbacks.History;
import io.sparkeras.api.models.Model;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The epoch loop of {@code fit}, shared by the local trainer and the distributed one (Keras:
 * the loop in {@code trainers/trainer.py}'s {@code fit}). The loop owns the order of the callback
 * hooks, {@code stop_training}, the {@code val_} prefix and the History; what an epoch does is
 * the caller's {@link Epochs}.
 *
 * <pre>{@code
 * CallbackList callbacks = CallbackList.forFit(model, options, steps);
 * History h = EpochLoop.run(model, callbacks, options.initialEpoch(), options.epochs(),
 *     new EpochLoop.Epochs() {
 *       public Map<String, Double> train(int epoch, CallbackList cbs) { ... return logs; }
 *       public Map<String, Double> validate(int epoch) { return Map.of(); }
 *     });
 * }</pre>
 *
 * <p>For each epoch from {@code initialEpoch} while {@link Model#isStopTraining()} is false:
 * {@code onEpochBegin}, {@link Epochs#train}, {@link Epochs#validate} (its keys prefixed
 * {@code val_}), {@code onEpochEnd} with the merged logs, then {@link Epochs#afterEpoch}.
 * {@code onTrainBegin} comes first with empty logs, {@code onTrainEnd} last with the last
 * epoch's; each {@code onEpochBegin} gets the previous epoch's logs.
 */
public final class EpochLoop {
  private EpochLoop() {}

  /** What one trainer does in an epoch; the loop calls it in the order above. */
  public interface Epochs {
    /**
     * Trains one epoch and returns its logs (loss and metrics). Batch hooks, when the batches
     * run here, go through {@code callbacks} ({@link CallbackList#onTrainBatchEnd}); a loop
     * whose batches run elsewhere reports with {@link CallbackList#showProgress}.
     */
    Map<String, Double> train(int epoch, CallbackList callbacks);

    /** Validation logs without the {@code val_} prefix; empty when there is no validation. */
    Map<String, Double> validate(int epoch);

    /** Runs after the epoch's {@code onEpochEnd} (a checkpoint). Default: nothing. */
    default void afterEpoch(int epoch, Map<String, Double> logs) {}
  }

  /**
   * Runs epochs {@code initialEpoch .. epochs - 1} (fewer if a callback stops training) and
   * returns the callbacks' History.
   */
  public static History run(Model model, CallbackList callbacks, int initialEpoch, int epochs,
      Epochs steps) {
    model.setStopTraining(false);
    Map<String, Double> logs = new LinkedHashMap<>();
    callbacks.onTrainBegin(logs);
    for (int epoch = initialEpoch; epoch < epochs && !model.isStopTraining(); epoch++) {
      callbacks.onEpochBegin(epoch, logs);
      Map<String, Double> epochLogs = new LinkedHashMap<>(steps.train(epoch, callbacks));
      for (Map.Entry<String, Double> e : steps.validate(epoch).entrySet()) {
        epochLogs.put("val_" + e.getKey(), e.getValue());
      }
      callbacks.onEpochEnd(epoch, epochLogs);
      logs = epochLogs;
      steps.afterEpoch(epoch, epochLogs);
    }
    callbacks.onTrainEnd(logs);
    return callbacks.history();
  }
}
