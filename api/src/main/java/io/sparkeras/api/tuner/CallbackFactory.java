package io.sparkeras.api.tuner;

import io.sparkeras.api.callbacks.Callback;
import java.io.Serializable;
import java.util.List;

/**
 * Makes the callbacks of one training run of a trial, where the trial runs (an executor):
 * KerasTuner deep-copies the callbacks given to {@code search} for every execution; here each
 * execution calls the factory. A lambda that captures only serializable values ships with the
 * Spark task.
 *
 * <pre>{@code
 * CallbackFactory early = () -> List.of(new EarlyStopping("val_loss", 3));
 * tuner.search(spark, train, validation, "features", "label",
 *     SearchOptions.epochs(20).callbacks(early));
 * }</pre>
 */
@FunctionalInterface
public interface CallbackFactory extends Serializable {
  /** No callbacks. */
  CallbackFactory NONE = List::of;

  List<Callback> create();
}
