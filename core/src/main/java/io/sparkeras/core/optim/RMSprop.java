package io.sparkeras.core.optim;

import java.nio.FloatBuffer;

/**
 * RMSprop exactly as Keras 3's {@code keras/src/optimizers/rmsprop.py}:
 *
 * <pre>
 * v = rho * v + (1 - rho) * g^2
 * centered:  a = rho * a + (1 - rho) * g;   denom = v - a^2 + epsilon
 * otherwise: denom = v + epsilon
 * inc = lr * g / sqrt(denom)                (epsilon is inside the square root)
 * momentum > 0: m = momentum * m + inc;  p -= m
 * otherwise:    p -= inc
 * </pre>
 *
 * <p>A non-zero {@code weight_decay} first applies {@code p -= p * weight_decay * lr}. State slots,
 * in Keras's variable order: velocity (v); then momentum (m) if momentum &gt; 0; then
 * average_gradient (a) if centered.
 *
 * <pre>{@code
 * UpdateRule rms = UpdateRules.create("rmsprop", Map.of("rho", 0.9, "centered", true));
 * }</pre>
 */
public final class RMSprop implements UpdateRule {
  private final double rho;
  private final float momentum;
  private final float epsilon;
  private final boolean centered;
  private final float weightDecay;

  /** Values are not validated here; use {@link UpdateRules#create}. */
  public RMSprop(double rho, double momentum, double epsilon, boolean centered,
      double weightDecay) {
    this.rho = rho;
    this.momentum = (float) momentum;
    this.epsilon = (float) epsilon;
    this.centered = centered;
    this.weightDecay = (float) weightDecay;
  }

  @Override
  public String name() {
    return "rmsprop";
  }

  @Override
  public int stateSlots() {
    return 1 + (momentum > 0f ? 1 : 0) + (centered ? 1 : 0);
  }

  @Override
  public float weightDecay() {
    return weightDecay;
  }

  @Override
  public void apply(FloatBuffer p, FloatBuffer g, FloatBuffer[] state, int from, int to,
      long step, float lr) {
    float r = (float) rho;
    float r1 = (float) (1.0 - rho);
    float eps = epsilon;
    float mu = momentum;
    float wd = weightDecay;
    boolean decay = wd != 0f;
    boolean useMomentum = mu > 0f;
    FloatBuffer v = state[0];
    FloatBuffer m = useMomentum ? state[1] : null;
    FloatBuffer a = centered ? state[useMomentum ? 2 : 1] : null;
    for (int i = from; i < to; i++) {
      float pi = p.get(i);
      if (decay) {
        pi = pi - pi * wd * lr;
      }
      float gi = g.get(i);
      float vi = r * v.get(i) + r1 * (gi * gi);
      v.put(i, vi);
      float denom;
      if (a != null) {
        float ai = r * a.get(i) + r1 * gi;
        a.put(i, ai);
        denom = vi - ai * ai + eps;
      } else {
        denom = vi + eps;
      }
      float inc = lr * gi / (float) Math.sqrt(denom);
      if (m != null) {
        float mi = mu * m.get(i) + inc;
        m.put(i, mi);
        p.put(i, pi - mi);
      } else {
        p.put(i, pi - inc);
      }
    }
  }
}
