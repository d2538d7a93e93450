package io.sparkeras.core.optim;

import java.nio.FloatBuffer;

/**
 * Keras's decoupled weight decay ({@code BaseOptimizer._apply_weight_decay}):
 * {@code p -= p * weightDecay * learningRate} on each element, applied before the update step.
 * The update rules call it themselves when their {@code weight_decay} is non-zero.
 *
 * <pre>{@code
 * WeightDecay.apply(params, 0, n, 0.004f, lr); // what AdamW does first on every step
 * }</pre>
 */
public final class WeightDecay {
  private WeightDecay() {}

  /** {@code p[i] = p[i] - p[i] * weightDecay * learningRate} for i in [from, to). */
  public static void apply(FloatBuffer p, int from, int to, float weightDecay,
      float learningRate) {
    float[] t = Tiles.get()[0];
    for (int s = from; s < to; s += Tiles.SIZE) {
      int n = Math.min(Tiles.SIZE, to - s);
      p.get(s, t, 0, n);
      apply(t, n, weightDecay, learningRate);
      p.put(s, t, 0, n);
    }
  }

  /** The same on {@code p[0, n)} of an array (the kernels' tiles). */
  static void apply(float[] p, int n, float weightDecay, float learningRate) {
    for (int i = 0; i < n; i++) {
      p[i] = p[i] - p[i] * weightDecay * learningRate;
    }
  }
}
