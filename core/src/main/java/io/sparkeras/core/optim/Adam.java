package io.sparkeras.core.optim;

import java.nio.FloatBuffer;

/**
 * Adam (Kingma and Ba, 2014) exactly as Keras 3 computes it:
 * {@code alpha = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)},
 * {@code m += (g - m) * (1 - beta_1)}, {@code v += (g^2 - v) * (1 - beta_2)},
 * {@code p -= alpha * m / (sqrt(v) + epsilon)}; with {@code amsgrad} the running maximum of v
 * is used in the denominator.
 */
public final class Adam implements UpdateRule {
  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final boolean amsgrad;

  public Adam(double beta1, double beta2, double epsilon, boolean amsgrad) {
    this.beta1 = (float) beta1;
    this.beta2 = (float) beta2;
    this.epsilon = (float) epsilon;
    this.amsgrad = amsgrad;
  }

  @Override
  public String name() {
    return "adam";
  }

  @Override
  public int stateSlots() {
    return amsgrad ? 3 : 2;
  }

  @Override
  public void apply(FloatBuffer p, FloatBuffer g, FloatBuffer[] state, int from, int to,
      long step, float lr) {
    FloatBuffer m = state[0];
    FloatBuffer v = state[1];
    double b1p = Math.pow(beta1, step);
    double b2p = Math.pow(beta2, step);
    float alpha = (float) (lr * Math.sqrt(1.0 - b2p) / (1.0 - b1p));
    float c1 = 1f - beta1;
    float c2 = 1f - beta2;
    if (!amsgrad) {
      for (int i = from; i < to; i++) {
        float gi = g.get(i);
        float mi = m.get(i) + (gi - m.get(i)) * c1;
        float vi = v.get(i) + (gi * gi - v.get(i)) * c2;
        m.put(i, mi);
        v.put(i, vi);
        p.put(i, p.get(i) - alpha * mi / ((float) Math.sqrt(vi) + epsilon));
      }
    } else {
      FloatBuffer vhat = state[2];
      for (int i = from; i < to; i++) {
        float gi = g.get(i);
        float mi = m.get(i) + (gi - m.get(i)) * c1;
        float vi = v.get(i) + (gi * gi - v.get(i)) * c2;
        float vh = Math.max(vhat.get(i), vi);
        m.put(i, mi);
        v.put(i, vi);
        vhat.put(i, vh);
        p.put(i, p.get(i) - alpha * mi / ((float) Math.sqrt(vh) + epsilon));
      }
    }
  }
}
