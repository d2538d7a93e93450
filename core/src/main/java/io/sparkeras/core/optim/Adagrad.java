package io.sparkeras.core.optim;

import java.nio.FloatBuffer;

/**
 * Adagrad (Duchi et al., 2011) exactly as Keras 3's {@code keras/src/optimizers/adagrad.py}:
 *
 * <pre>
 * acc += g^2                                (acc starts at initial_accumulator_value)
 * p -= lr * g / sqrt(acc + epsilon)
 * </pre>
 *
 * <p>A non-zero {@code weight_decay} first applies {@code p -= p * weight_decay * lr}. One state
 * slot, the accumulator, whose {@link #initialState(int) initial value} is
 * {@code initial_accumulator_value}.
 *
 * <pre>{@code
 * UpdateRule adagrad = UpdateRules.create("adagrad", Map.of("initial_accumulator_value", 0.1));
 * FloatBuffer[] state = UpdateRules.allocateState(adagrad, n); // filled with 0.1
 * }</pre>
 */
public final class Adagrad implements UpdateRule {
  private final float initialAccumulatorValue;
  private final float epsilon;
  private final float weightDecay;

  /** Values are not validated here; use {@link UpdateRules#create}. */
  public Adagrad(double initialAccumulatorValue, double epsilon, double weightDecay) {
    this.initialAccumulatorValue = (float) initialAccumulatorValue;
    this.epsilon = (float) epsilon;
    this.weightDecay = (float) weightDecay;
  }

  @Override
  public String name() {
    return "adagrad";
  }

  @Override
  public int stateSlots() {
    return 1;
  }

  @Override
  public float initialState(int slot) {
    return initialAccumulatorValue;
  }

  @Override
  public UpdateRule withoutWeightDecay() {
    return weightDecay == 0f ? this : new Adagrad(initialAccumulatorValue, epsilon, 0.0);
  }

  @Override
  public float weightDecay() {
    return weightDecay;
  }

  @Override
  public void apply(FloatBuffer p, FloatBuffer g, FloatBuffer[] state, int from, int to,
      long step, float lr) {
    if (weightDecay != 0f) {
      WeightDecay.apply(p, from, to, weightDecay, lr);
    }
    FloatBuffer acc = state[0];
    float eps = epsilon;
    float[][] t = Tiles.get();
    float[] tp = t[0];
    float[] tg = t[1];
    float[] ta = t[2];
    for (int s = from; s < to; s += Tiles.SIZE) {
      int n = Math.min(Tiles.SIZE, to - s);
      p.get(s, tp, 0, n);
      g.get(s, tg, 0, n);
      acc.get(s, ta, 0, n);
      for (int i = 0; i < n; i++) {
        float gi = tg[i];
        float ai = ta[i] + gi * gi;
        ta[i] = ai;
        tp[i] = tp[i] - lr * gi / (float) Math.sqrt(ai + eps);
      }
      p.put(s, tp, 0, n);
      acc.put(s, ta, 0, n);
    }
  }
}
