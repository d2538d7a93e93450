package io.sparkeras.api.losses;

import static io.sparkeras.api.backend.Backends.ops;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.config.Configurable;
import io.sparkeras.api.config.Registry;
import java.util.Map;

/**
 * A loss: {@link #call} gives one value per sample; {@link #compute} reduces them with Keras's
 * default {@code sum_over_batch_size} (the mean over the batch), so gradients are batch means.
 *
 * <pre>{@code
 * model.compile(new Adam(1e-3), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
 * Tensor l = new MeanSquaredError().compute(yTrue, yPred);
 * }</pre>
 */
public abstract class Loss implements Configurable {
  /** Losses by Keras name: configs and custom registrations ({@link Registry}). */
  public static final Registry<Loss> REGISTRY =
      new Registry<>("loss", "keras.losses", "Loss.REGISTRY");

  private final String name;

  protected Loss(String name) {
    this.name = name;
  }

  /** The name used in logs and configs ("sparse_categorical_crossentropy"). */
  public String name() {
    return name;
  }

  /**
   * Per-sample losses, shape {@code [batch]} ({@code [batch, time, ...]} for per-step
   * predictions).
   */
  public abstract Tensor call(Tensor yTrue, Tensor yPred);

  /** The scalar batch loss: the mean of {@link #call}. */
  public Tensor compute(Tensor yTrue, Tensor yPred) {
    return ops().mean(call(yTrue, yPred));
  }

  /**
   * The scalar batch loss with one weight per sample ({@code sampleWeight}, shape
   * {@code [batch]}; null: unweighted): Keras's {@code sum_over_batch_size} of the weighted
   * values, {@code sum(w × loss) / batch} (divided by the batch size, not by the weights' sum).
   * Per-step losses ({@code [batch, time]}) take their sample's weight at every step and are
   * divided by their count.
   */
  public Tensor compute(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
    if (sampleWeight == null) {
      return compute(yTrue, yPred);
    }
    Tensor losses = call(yTrue, yPred);
    Tensor w = sampleWeight;
    // a sequence's losses are [batch, time, ...]: each sample's weight applies to all its steps
    // (Keras's squeeze_or_expand_to_same_rank)
    while (w.rank() < losses.rank()) {
      w = ops().expandDims(w, -1);
    }
    return ops().mean(ops().multiply(losses, w));
  }

  /**
   * Checks one batch of targets before it reaches the engine (e.g. class indices in range).
   * Throws with a message naming the sample. {@code predShape} excludes the batch.
   */
  public void validateTargets(float[] yTrue, int rows, int[] predShape) {}

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = Config.newMap();
    m.put("name", name);
    m.put("reduction", "sum_over_batch_size");
    return m;
  }
}
