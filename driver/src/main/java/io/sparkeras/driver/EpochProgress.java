package io.sparkeras.driver;

import io.sparkeras.api.callbacks.CallbackList;
import io.sparkeras.ps.SyncMode;
import io.sparkeras.ps.TrainingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The live progress of a distributed epoch, read from the parameter server while the workers
 * train: steps done from the server's step count ({@link TrainingServer#stepsApplied()}, in
 * async mode one per push of any worker, in averaging mode one per round of k steps), and the
 * epoch's running loss from the losses the workers send with their pushes. Shown through
 * {@link CallbackList#showProgress} (the progress bar); the batch hooks are not called, the
 * batches run on the executors.
 *
 * <pre>{@code
 * EpochProgress progress = new EpochProgress(ps, mode, workers, steps, callbacks);
 * // every 100 ms while the epoch's job runs:
 * progress.update();
 * }</pre>
 */
final class EpochProgress {
  private final TrainingServer ps;
  private final CallbackList callbacks;
  private final int steps;
  private final int updatesPerStep;
  private final int stepsPerUpdate;
  private final long startCount;
  private final double[] lossAtStart;
  private final Map<String, Double> running = new LinkedHashMap<>();

  EpochProgress(TrainingServer ps, SyncMode mode, int workers, int steps,
      CallbackList callbacks) {
    this.ps = ps;
    this.callbacks = callbacks;
    this.steps = steps;
    this.updatesPerStep = mode.kind() == TrainingMode.ASYNC ? workers : 1;
    this.stepsPerUpdate = mode.kind() == TrainingMode.AVERAGING ? mode.averageEvery() : 1;
    this.startCount = ps.stepsApplied();
    this.lossAtStart = ps.trainingLoss();
  }

  /** Shows the steps done so far with the epoch's running loss (nothing before the first). */
  void update() {
    long done = (ps.stepsApplied() - startCount) * stepsPerUpdate / updatesPerStep;
    if (done <= 0) {
      return;
    }
    double[] loss = ps.trainingLoss();
    double n = loss[1] - lossAtStart[1];
    running.clear();
    if (n > 0) {
      running.put("loss", (loss[0] - lossAtStart[0]) / n);
    }
    callbacks.showProgress((int) Math.min(steps, done) - 1, running);
  }
}
