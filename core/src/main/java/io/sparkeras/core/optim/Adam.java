package io.sparkeras.core.optim;

import java.nio.FloatBuffer;

/**
 * Adam (Kingma and Ba, 2014) exactly as Keras 3 computes it ({@code keras/src/optimizers/adam.py}),
 * with {@code t} the 1-based step:
 *
 * <pre>
 * alpha = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)
 * m += (g - m) * (1 - beta_1)
 * v += (g^2 - v) * (1 - beta_2)
 * vhat = max(vhat, v)                      (amsgrad only; vhat replaces v below)
 * p -= m * alpha / (sqrt(v) + epsilon)
 * </pre>
 *
 * <p>With a non-zero {@code weight_decay} the parameter is first decayed as Keras's base
 * optimizer does, {@code p -= p * weight_decay * lr} (decoupled, so this is AdamW; see
 * {@link AdamW}). State slots: 0 = momentum (m), 1 = velocity (v), 2 = velocity_hat (amsgrad
 * only), in Keras's variable order.
 *
 * <pre>{@code
 * UpdateRule adam = new Adam(0.9, 0.999, 1e-7, false);
 * FloatBuffer[] state = UpdateRules.allocateState(adam, n);
 * adam.apply(params, grads, state, 0, n, 1, 1e-3f); // first step
 * }</pre>
 */
public final class Adam implements UpdateRule {
  private final double beta1;
  private final double beta2;
  private final float epsilon;
  private final boolean amsgrad;
  private final float weightDecay;

  /** Adam without weight decay. Values are not validated here; use {@link UpdateRules#create}. */
  public Adam(double beta1, double beta2, double epsilon, boolean amsgrad) {
    this(beta1, beta2, epsilon, amsgrad, 0.0);
  }

  /** Adam with Keras's decoupled weight decay (0 = none). */
  public Adam(double beta1, double beta2, double epsilon, boolean amsgrad, double weightDecay) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = (float) epsilon;
    this.amsgrad = amsgrad;
    this.weightDecay = (float) weightDecay;
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
  public UpdateRule withoutWeightDecay() {
    return weightDecay == 0f ? this : new Adam(beta1, beta2, epsilon, amsgrad, 0.0);
  }

  @Override
  public float weightDecay() {
    return weightDecay;
  }

  @Override
  public void apply(FloatBuffer p, FloatBuffer g, FloatBuffer[] state, int from, int to,
      long step, float lr) {
    FloatBuffer m = state[0];
    FloatBuffer v = state[1];
    // Keras casts beta to float32 before the power: do the same, then compute in double.
    double b1p = Math.pow((float) beta1, step);
    double b2p = Math.pow((float) beta2, step);
    float alpha = (float) (lr * Math.sqrt(1.0 - b2p) / (1.0 - b1p));
    // Keras computes 1 - beta in Python (double) and casts the result to float32.
    float c1 = (float) (1.0 - beta1);
    float c2 = (float) (1.0 - beta2);
    // Each variant is its own static method so that its JIT profile is its own: rules of
    // different kinds in one JVM then cannot slow each other's loops down.
    // Weight decay is fused into the loop (one pass over memory instead of two); the branch is
    // loop-invariant, so the JIT hoists it.
    if (!amsgrad) {
      adam(p, g, m, v, from, to, alpha, c1, c2, epsilon, weightDecay, lr);
    } else {
      amsgrad(p, g, m, v, state[2], from, to, alpha, c1, c2, epsilon, weightDecay, lr);
    }
  }

  private static void adam(FloatBuffer p, FloatBuffer g, FloatBuffer m, FloatBuffer v, int from,
      int to, float alpha, float c1, float c2, float eps, float wd, float lr) {
    float[][] t = Tiles.get();
    float[] tp = t[0];
    float[] tg = t[1];
    float[] tm = t[2];
    float[] tv = t[3];
    for (int s = from; s < to; s += Tiles.SIZE) {
      int n = Math.min(Tiles.SIZE, to - s);
      p.get(s, tp, 0, n);
      g.get(s, tg, 0, n);
      m.get(s, tm, 0, n);
      v.get(s, tv, 0, n);
      if (wd != 0f) {
        WeightDecay.apply(tp, n, wd, lr);
      }
      adamTile(tp, tg, tm, tv, n, alpha, c1, c2, eps);
      p.put(s, tp, 0, n);
      m.put(s, tm, 0, n);
      v.put(s, tv, 0, n);
    }
  }

  private static void adamTile(float[] p, float[] g, float[] m, float[] v, int n, float alpha,
      float c1, float c2, float eps) {
    for (int i = 0; i < n; i++) {
      float gi = g[i];
      float mi = m[i] + (gi - m[i]) * c1;
      float vi = v[i] + (gi * gi - v[i]) * c2;
      m[i] = mi;
      v[i] = vi;
      p[i] = p[i] - mi * alpha / ((float) Math.sqrt(vi) + eps);
    }
  }

  private static void amsgrad(FloatBuffer p, FloatBuffer g, FloatBuffer m, FloatBuffer v,
      FloatBuffer vhat, int from, int to, float alpha, float c1, float c2, float eps, float wd,
      float lr) {
    float[][] t = Tiles.get();
    float[] tp = t[0];
    float[] tg = t[1];
    float[] tm = t[2];
    float[] tv = t[3];
    float[] th = t[4];
    for (int s = from; s < to; s += Tiles.SIZE) {
      int n = Math.min(Tiles.SIZE, to - s);
      p.get(s, tp, 0, n);
      g.get(s, tg, 0, n);
      m.get(s, tm, 0, n);
      v.get(s, tv, 0, n);
      vhat.get(s, th, 0, n);
      if (wd != 0f) {
        WeightDecay.apply(tp, n, wd, lr);
      }
      for (int i = 0; i < n; i++) {
        float gi = tg[i];
        float mi = tm[i] + (gi - tm[i]) * c1;
        float vi = tv[i] + (gi * gi - tv[i]) * c2;
        float vh = Math.max(th[i], vi);
        tm[i] = mi;
        tv[i] = vi;
        th[i] = vh;
        tp[i] = tp[i] - mi * alpha / ((float) Math.sqrt(vh) + eps);
      }
      p.put(s, tp, 0, n);
      m.put(s, tm, 0, n);
      v.put(s, tv, 0, n);
      vhat.put(s, th, 0, n);
    }
  }
}
