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
  public UpdateRule withoutWeightDecay() {
    return weightDecay == 0f ? this : new RMSprop(rho, momentum, epsilon, centered, 0.0);
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
    float r = (float) rho;
    float r1 = (float) (1.0 - rho); // Keras computes 1 - rho in Python, then casts to float32
    boolean useMomentum = momentum > 0f;
    FloatBuffer v = state[0];
    // One static method per variant, so each loop has a JIT profile of its own.
    if (!centered) {
      if (useMomentum) {
        momentum(p, g, v, state[1], from, to, r, r1, epsilon, momentum, lr);
      } else {
        plain(p, g, v, from, to, r, r1, epsilon, lr);
      }
    } else {
      if (useMomentum) {
        centeredMomentum(p, g, v, state[1], state[2], from, to, r, r1, epsilon, momentum, lr);
      } else {
        centered(p, g, v, state[1], from, to, r, r1, epsilon, lr);
      }
    }
  }

  private static void plain(FloatBuffer p, FloatBuffer g, FloatBuffer v, int from, int to,
      float r, float r1, float eps, float lr) {
    float[][] t = Tiles.get();
    float[] tp = t[0];
    float[] tg = t[1];
    float[] tv = t[2];
    for (int s = from; s < to; s += Tiles.SIZE) {
      int n = Math.min(Tiles.SIZE, to - s);
      p.get(s, tp, 0, n);
      g.get(s, tg, 0, n);
      v.get(s, tv, 0, n);
      for (int i = 0; i < n; i++) {
        float gi = tg[i];
        float vi = r * tv[i] + r1 * (gi * gi);
        tv[i] = vi;
        tp[i] = tp[i] - lr * gi / (float) Math.sqrt(vi + eps);
      }
      p.put(s, tp, 0, n);
      v.put(s, tv, 0, n);
    }
  }

  private static void momentum(FloatBuffer p, FloatBuffer g, FloatBuffer v, FloatBuffer m,
      int from, int to, float r, float r1, float eps, float mu, float lr) {
    float[][] t = Tiles.get();
    float[] tp = t[0];
    float[] tg = t[1];
    float[] tv = t[2];
    float[] tm = t[3];
    for (int s = from; s < to; s += Tiles.SIZE) {
      int n = Math.min(Tiles.SIZE, to - s);
      p.get(s, tp, 0, n);
      g.get(s, tg, 0, n);
      v.get(s, tv, 0, n);
      m.get(s, tm, 0, n);
      for (int i = 0; i < n; i++) {
        float gi = tg[i];
        float vi = r * tv[i] + r1 * (gi * gi);
        tv[i] = vi;
        float mi = mu * tm[i] + lr * gi / (float) Math.sqrt(vi + eps);
        tm[i] = mi;
        tp[i] = tp[i] - mi;
      }
      p.put(s, tp, 0, n);
      v.put(s, tv, 0, n);
      m.put(s, tm, 0, n);
    }
  }

  private static void centered(FloatBuffer p, FloatBuffer g, FloatBuffer v, FloatBuffer a,
      int from, int to, float r, float r1, float eps, float lr) {
    float[][] t = Tiles.get();
    float[] tp = t[0];
    float[] tg = t[1];
    float[] tv = t[2];
    float[] ta = t[3];
    for (int s = from; s < to; s += Tiles.SIZE) {
      int n = Math.min(Tiles.SIZE, to - s);
      p.get(s, tp, 0, n);
      g.get(s, tg, 0, n);
      v.get(s, tv, 0, n);
      a.get(s, ta, 0, n);
      for (int i = 0; i < n; i++) {
        float gi = tg[i];
        float vi = r * tv[i] + r1 * (gi * gi);
        float ai = r * ta[i] + r1 * gi;
        tv[i] = vi;
        ta[i] = ai;
        tp[i] = tp[i] - lr * gi / (float) Math.sqrt(vi - ai * ai + eps);
      }
      p.put(s, tp, 0, n);
      v.put(s, tv, 0, n);
      a.put(s, ta, 0, n);
    }
  }

  private static void centeredMomentum(FloatBuffer p, FloatBuffer g, FloatBuffer v, FloatBuffer m,
      FloatBuffer a, int from, int to, float r, float r1, float eps, float mu, float lr) {
    float[][] t = Tiles.get();
    float[] tp = t[0];
    float[] tg = t[1];
    float[] tv = t[2];
    float[] tm = t[3];
    float[] ta = t[4];
    for (int s = from; s < to; s += Tiles.SIZE) {
      int n = Math.min(Tiles.SIZE, to - s);
      p.get(s, tp, 0, n);
      g.get(s, tg, 0, n);
      v.get(s, tv, 0, n);
      m.get(s, tm, 0, n);
      a.get(s, ta, 0, n);
      for (int i = 0; i < n; i++) {
        float gi = tg[i];
        float vi = r * tv[i] + r1 * (gi * gi);
        float ai = r * ta[i] + r1 * gi;
        tv[i] = vi;
        ta[i] = ai;
        float mi = mu * tm[i] + lr * gi / (float) Math.sqrt(vi - ai * ai + eps);
        tm[i] = mi;
        tp[i] = tp[i] - mi;
      }
      p.put(s, tp, 0, n);
      v.put(s, tv, 0, n);
      m.put(s, tm, 0, n);
      a.put(s, ta, 0, n);
    }
  }
}
