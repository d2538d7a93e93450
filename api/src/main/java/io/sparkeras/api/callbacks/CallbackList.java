package io.sparkeras.api.callbacks;

import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Several callbacks behind one, like Keras's {@code keras.callbacks.CallbackList}: every hook is
 * passed on to each callback in order. The list that {@code fit} uses ({@link #forFit}) also
 * owns the {@link History} it returns and the {@link ProgressBar}, so that a training loop talks
 * to one object and never to a particular callback.
 *
 * <pre>{@code
 * CallbackList callbacks = CallbackList.forFit(model, options, stepsPerEpoch);
 * callbacks.onTrainBegin(logs);
 * ...
 * callbacks.onEpochEnd(epoch, epochLogs);
 * History history = callbacks.history();
 * }</pre>
 *
 * <p>The loops that drive it: {@link io.sparkeras.api.trainers.EpochLoop} (local and
 * distributed {@code fit}).
 */
public final class CallbackList extends Callback {
  private final List<Callback> callbacks;
  private final History history;
  private final ProgressBar progressBar;

  /** Passes every hook to these callbacks, in this order. */
  public CallbackList(List<Callback> callbacks) {
    this(callbacks, null, null);
  }

  private CallbackList(List<Callback> callbacks, History history, ProgressBar progressBar) {
    List<Callback> all = new ArrayList<>(callbacks);
    if (history != null) {
      all.add(history);
    }
    if (progressBar != null) {
      all.add(progressBar);
    }
    this.callbacks = Collections.unmodifiableList(all);
    this.history = history;
    this.progressBar = progressBar;
  }

  /**
   * The callbacks of one {@code fit}: the user's ({@link FitOptions#callbacks()}), then a new
   * History, then a progress bar on {@code System.out} when {@link FitOptions#verbose()} is above
   * 0 — Keras's order, so that keys a user callback adds to an epoch's logs
   * ({@code "learning_rate"}) are recorded and shown. Every callback is given the model.
   *
   * @param steps batches per epoch, or -1 while unknown (see {@link #setSteps})
   */
  public static CallbackList forFit(Model model, FitOptions options, int steps) {
    int verbose = options.verbose();
    ProgressBar bar = verbose > 0
        ? new ProgressBar(verbose, options.epochs(), steps, System.out) : null;
    CallbackList list = new CallbackList(options.callbacks(), new History(), bar);
    list.setModel(model);
    return list;
  }

  /** Every callback, in dispatch order (History and the progress bar last). */
  public List<Callback> callbacks() {
    return callbacks;
  }

  /** The History that {@link #forFit} added, or null for a plain list. */
  public History history() {
    return history;
  }

  /**
   * Batches per epoch, once known (Keras's {@code params["steps"]}): a loop over an iterator
   * learns it at the end of the first epoch. Only the progress bar uses it.
   */
  public void setSteps(int steps) {
    if (progressBar != null) {
      progressBar.setSteps(steps);
    }
  }

  /**
   * Shows progress within an epoch without calling the batch hooks: for a loop whose batches
   * run elsewhere (the distributed fit polls its workers' step count and running loss).
   *
   * @param step 0-based index of the last batch done
   */
  public void showProgress(int step, Map<String, Double> logs) {
    if (progressBar != null) {
      progressBar.onTrainBatchEnd(step, logs);
    }
  }

  private void each(Consumer<Callback> hook) {
    for (Callback c : callbacks) {
      hook.accept(c);
    }
  }

  @Override
  public void setModel(Model model) {
    super.setModel(model);
    each(c -> c.setModel(model));
  }

  @Override
  public void onTrainBegin(Map<String, Double> logs) {
    each(c -> c.onTrainBegin(logs));
  }

  @Override
  public void onTrainEnd(Map<String, Double> logs) {
    each(c -> c.onTrainEnd(logs));
  }

  @Override
  public void onEpochBegin(int epoch, Map<String, Double> logs) {
    each(c -> c.onEpochBegin(epoch, logs));
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    each(c -> c.onEpochEnd(epoch, logs));
  }

  @Override
  public void onTestBegin(Map<String, Double> logs) {
    each(c -> c.onTestBegin(logs));
  }

  @Override
  public void onTestEnd(Map<String, Double> logs) {
    each(c -> c.onTestEnd(logs));
  }

  @Override
  public void onPredictBegin(Map<String, Double> logs) {
    each(c -> c.onPredictBegin(logs));
  }

  @Override
  public void onPredictEnd(Map<String, Double> logs) {
    each(c -> c.onPredictEnd(logs));
  }

  // batch hooks: plain loops, called once per batch

  @Override
  public void onTrainBatchBegin(int batch, Map<String, Double> logs) {
    for (int i = 0; i < callbacks.size(); i++) {
      callbacks.get(i).onTrainBatchBegin(batch, logs);
    }
  }

  @Override
  public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
    for (int i = 0; i < callbacks.size(); i++) {
      callbacks.get(i).onTrainBatchEnd(batch, logs);
    }
  }

  @Override
  public void onTestBatchBegin(int batch, Map<String, Double> logs) {
    for (int i = 0; i < callbacks.size(); i++) {
      callbacks.get(i).onTestBatchBegin(batch, logs);
    }
  }

  @Override
  public void onTestBatchEnd(int batch, Map<String, Double> logs) {
    for (int i = 0; i < callbacks.size(); i++) {
      callbacks.get(i).onTestBatchEnd(batch, logs);
    }
  }

  @Override
  public void onPredictBatchBegin(int batch, Map<String, Double> logs) {
    for (int i = 0; i < callbacks.size(); i++) {
      callbacks.get(i).onPredictBatchBegin(batch, logs);
    }
  }

  @Override
  public void onPredictBatchEnd(int batch, Map<String, Double> logs) {
    for (int i = 0; i < callbacks.size(); i++) {
      callbacks.get(i).onPredictBatchEnd(batch, logs);
    }
  }
}
