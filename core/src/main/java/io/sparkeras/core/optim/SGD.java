package io.sparkeras.core.optim;

import java.nio.FloatBuffer;

/**
 * Gradient descent with optional (Nesterov) momentum, exactly as Keras 3's
 * {@code keras/src/optimizers/sgd.py}:
 *
 * <pre>
 * momentum == 0:  p -= g * lr
 * otherwise:      m = m * momentum - g * lr
 *                 p += m                              (plain)
 *                 p += m * momentum - g * lr          (nesterov)
 * </pre>
 *
 * <p>A non-zero {@code weight_decay} first applies {@code p -= p * weight_decay * lr}, as Keras's
 * base optimizer does. State: one slot (the momentum buffer) only when momentum is not 0.
 *
 * <pre>{@code
 * UpdateRule sgd = UpdateRules.create("sgd", Map.of("momentum", 0.9, "nesterov", true));
 * }</pre>
 */
public final class SGD implements UpdateRule {
  private final float momentum;
  private final boolean nesterov;
  private final float weightDecay;

  /** Values are not validated here; use {@link UpdateRules#create}. */
  public SGD(double momentum, boolean nesterov, double weightDecay) {
    this.momentum = (float) momentum;
    this.nesterov = nesterov;
    this.weightDecay = (float) weightDecay;
  }

  @Override
  public String name() {
    return "sgd";
  }

  @Override
  public int stateSlots() {
    return momentum != 0f ? 1 : 0;
  }

  @Override
  public UpdateRule withoutWeightDecay() {
    return weightDecay == 0f ? this : new SGD(momentum, nesterov, 0.0);
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
    // One static method per variant, so each loop has a JIT profile of its own.
    if (momentum == 0f) {
      plain(p, g, from, to, lr);
    } else if (!nesterov) {
      momentum(p, g, state[0], from, to, momentum, lr);
    } else {
      nesterov(p, g, state[0], from, to, momentum, lr);
    }
  }

  private static void plain(FloatBuffer p, FloatBuffer g, int from, int to, float lr) {
    float[][] t = Tiles.get();
    float[] tp = t[0];
    float[] tg = t[1];
    for (int s = from; s < to; s += Tiles.SIZE) {
      int n = Math.min(Tiles.SIZE, to - s);
      p.get(s, tp, 0, n);
      g.get(s, tg, 0, n);
      for (int i = 0; i < n; i++) {
        tp[i] = tp[i] - tg[i] * lr;
      }
      p.put(s, tp, 0, n);
    }
  }

  private static void momentum(FloatBuffer p, FloatBuffer g, FloatBuffer m, int from, int to,
      float mu, float lr) {
    float[][] t = Tiles.get();
    float[] tp = t[0];
    float[] tg = t[1];
    float[] tm = t[2];
    for (int s = from; s < to; s += Tiles.SIZE) {
      int n = Math.min(Tiles.SIZE, to - s);
      p.get(s, tp, 0, n);
      g.get(s, tg, 0, n);
      m.get(s, tm, 0, n);
      for (int i = 0; i < n; i++) {
        float mi = tm[i] * mu - tg[i] * lr;
        tm[i] = mi;
        tp[i] = tp[i] + mi;
      }
      p.put(s, tp, 0, n);
      m.put(s, tm, 0, n);
    }
  }

  private static void nesterov(FloatBuffer p, FloatBuffer g, FloatBuffer m, int from, int to,
      float mu, float lr) {
    float[][] t = Tiles.get();
    float[] tp = t[0];
    float[] tg = t[1];
    float[] tm = t[2];
    for (int s = from; s < to; s += Tiles.SIZE) {
      int n = Math.min(Tiles.SIZE, to - s);
      p.get(s, tp, 0, n);
      g.get(s, tg, 0, n);
      m.get(s, tm, 0, n);
      for (int i = 0; i < n; i++) {
        float gl = tg[i] * lr;
        float mi = tm[i] * mu - gl;
        tm[i] = mi;
        tp[i] = tp[i] + (mi * mu - gl);
      }
      p.put(s, tp, 0, n);
      m.put(s, tm, 0, n);
    }
  }
}
