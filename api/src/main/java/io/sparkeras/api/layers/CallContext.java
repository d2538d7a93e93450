package io.sparkeras.api.layers;

import io.sparkeras.api.backend.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a layer call on this thread runs inside, like Keras's call context: the training flag
 * (read by Dropout, BatchNormalization), the layers called so far when a subclassed model is
 * being traced, and where the losses layers add ({@code add_loss}, activity regularizers) go.
 * {@link Layer}'s static methods are the public face of it.
 */
final class CallContext {
  private static final ThreadLocal<Boolean> TRAINING = ThreadLocal.withInitial(() -> false);
  private static final ThreadLocal<List<Layer>> CALLED = new ThreadLocal<>();
  private static final ThreadLocal<List<Tensor>> ADDED_LOSSES = new ThreadLocal<>();

  private CallContext() {}

  static boolean training() {
    return TRAINING.get();
  }

  /** Runs {@code body} with the training flag set, restoring it afterwards. */
  static <T> T withTraining(boolean training, Supplier<T> body) {
    boolean previous = TRAINING.get();
    TRAINING.set(training);
    try {
      return body.get();
    } finally {
      TRAINING.set(previous);
    }
  }

  /** Notes an eager call of {@code layer} when calls are being recorded. */
  static void called(Layer layer) {
    List<Layer> called = CALLED.get();
    if (called != null) {
      called.add(layer);
    }
  }

  /** Runs {@code body} and returns the layers eagerly called during it, in call order. */
  static List<Layer> recordCalls(Runnable body) {
    List<Layer> previous = CALLED.get();
    List<Layer> called = new ArrayList<>();
    CALLED.set(called);
    try {
      body.run();
    } finally {
      CALLED.set(previous);
    }
    return called;
  }

  /** Adds a loss to the step under way, if any collects them. */
  static void addLoss(Tensor loss) {
    List<Tensor> into = ADDED_LOSSES.get();
    if (into != null) {
      into.add(loss);
    }
  }

  /** Runs {@code body}, appending to {@code into} the losses layers add while it runs. */
  static <T> T collectLosses(List<Tensor> into, Supplier<T> body) {
    List<Tensor> previous = ADDED_LOSSES.get();
    ADDED_LOSSES.set(into);
    try {
      return body.get();
    } finally {
      ADDED_LOSSES.set(previous);
    }
  }
}
