package io.sparkeras.core.optim;

import java.nio.FloatBuffer;

/**
 * AdamW (Loshchilov and Hutter, 2019) as Keras 3 defines it: {@link Adam} whose
 * {@code weight_decay} defaults to 0.004 and must be set. Each step first decays the parameter,
 * {@code p -= p * weight_decay * lr} (Keras's {@code BaseOptimizer._apply_weight_decay}, with the
 * learning rate of this step), then applies the Adam update. Same state slots as Adam.
 *
 * <pre>{@code
 * UpdateRule adamw = UpdateRules.create("adamw", Map.of("weight_decay", 0.01));
 * }</pre>
 */
public final class AdamW implements UpdateRule {
  /** Keras's default {@code weight_decay} for AdamW. */
  public static final double DEFAULT_WEIGHT_DECAY = 0.004;

  private final Adam adam;

  /** Values are not validated here; use {@link UpdateRules#create}. */
  public AdamW(double beta1, double beta2, double epsilon, boolean amsgrad, double weightDecay) {
    this.adam = new Adam(beta1, beta2, epsilon, amsgrad, weightDecay);
  }

  @Override
  public String name() {
    return "adamw";
  }

  @Override
  public int stateSlots() {
    return adam.stateSlots();
  }

  /** Plain {@link Adam} with the same betas, epsilon and amsgrad (same state layout). */
  @Override
  public UpdateRule withoutWeightDecay() {
    return adam.withoutWeightDecay();
  }

  @Override
  public float weightDecay() {
    return adam.weightDecay();
  }

  @Override
  public void apply(FloatBuffer params, FloatBuffer grads, FloatBuffer[] state, int from, int to,
      long step, float learningRate) {
    adam.apply(params, grads, state, from, to, step, learningRate);
  }
}
