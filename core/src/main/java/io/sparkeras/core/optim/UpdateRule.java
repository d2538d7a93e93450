package io.sparkeras.core.optim;

import java.nio.FloatBuffer;

/**
 * The math of one optimizer applied to a contiguous range of a flat parameter vector.
 *
 * <p>An update rule holds only hyper-parameters. Its per-parameter state (Adam's moments, a
 * momentum buffer, ...) lives in {@link #stateSlots()} float buffers owned by the caller, laid
 * out like the parameters. The same rule runs inside a local {@code model.fit} (on the whole
 * flat vector) and on a parameter-server shard (on the shard's range), so the two can never
 * disagree.
 *
 * <p>Implementations: {@link SGD}, {@link Adam}, {@link AdamW}, {@link RMSprop}, {@link Adagrad}.
 * {@link FlatOptimizer} adds the step counter, learning-rate schedule, clipping and trainable
 * ranges around a rule.
 *
 * <pre>{@code
 * UpdateRule adam = UpdateRules.create("adam", Map.of("beta_1", 0.9));
 * FloatBuffer[] state = UpdateRules.allocateState(adam, params.capacity());
 * adam.apply(params, grads, state, 0, params.capacity(), step, 1e-3f);
 * }</pre>
 */
public interface UpdateRule {

  /** Registered name, as in Keras ("adam", "sgd", ...). */
  String name();

  /** How many float state buffers, each as long as the parameters, this rule needs. */
  int stateSlots();

  /** Initial value of each state slot (Adagrad starts its accumulator above zero). */
  default float initialState(int slot) {
    return 0f;
  }

  /**
   * Keras's decoupled {@code weight_decay} (0 = none). When non-zero, {@link #apply} first does
   * {@code p -= p * weightDecay * learningRate} on each element of the range, as Keras's
   * {@code BaseOptimizer._apply_weight_decay} does before the update step.
   */
  default float weightDecay() {
    return 0f;
  }

  /**
   * The same rule with {@code weight_decay} 0 and the same state layout, for variables excluded
   * from weight decay (Keras's {@code exclude_from_weight_decay}). Rules whose
   * {@link #weightDecay()} is 0 return themselves.
   *
   * @throws UnsupportedOperationException if a rule with weight decay does not override this
   */
  default UpdateRule withoutWeightDecay() {
    if (weightDecay() == 0f) {
      return this;
    }
    throw new UnsupportedOperationException(name() + " does not implement withoutWeightDecay()");
  }

  /**
   * Applies one optimizer step to {@code params[from, to)} in place.
   *
   * @param params parameters, absolute indexing
   * @param grads gradients (mean over the global batch), same indexing as params
   * @param state {@link #stateSlots()} buffers, same indexing as params
   * @param from first index, inclusive
   * @param to last index, exclusive
   * @param step the 1-based number of this step (Keras's {@code iterations + 1})
   * @param learningRate the learning rate for this step, schedules already applied
   */
  void apply(FloatBuffer params, FloatBuffer grads, FloatBuffer[] state, int from, int to,
      long step, float learningRate);
}
