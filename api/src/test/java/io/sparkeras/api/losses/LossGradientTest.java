package io.sparkeras.api.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Gradients of each loss with respect to the prediction, through the backend's autograd. */
class LossGradientTest {
  private static final int[] S = {3, 2};
  private static final float[] T = {0, 1, 1, 0, 1, 1};

  @Test
  void meanSquaredErrorGradientIsTwiceTheErrorOverTheElementCount() {
    float[] p = {0.3f, 0.2f, 1.7f, -0.4f, 1f, 2.5f};
    float[] g = LossChecks.gradient(new MeanSquaredError(), T, S, p, S);
    for (int i = 0; i < p.length; i++) {
      // d/dp of mean_batch(mean_features((t - p)^2)) = 2 (p - t) / (batch * features)
      assertEquals(2.0 * (p[i] - T[i]) / p.length, g[i], 1e-6, "entry " + i);
    }
    LossChecks.assertGradientMatches(new MeanSquaredError(), T, S, p, S, 1e-2, 1e-3);
  }

  @Test
  void meanAbsoluteErrorAndHuberGradients() {
    float[] p = {0.3f, 0.2f, 1.7f, -0.4f, 0.9f, 3.5f};
    float[] g = LossChecks.gradient(new MeanAbsoluteError(), T, S, p, S);
    for (int i = 0; i < p.length; i++) {
      assertEquals(Math.signum(p[i] - T[i]) / p.length, g[i], 1e-6, "mae entry " + i);
    }
    LossChecks.assertGradientMatches(new MeanAbsoluteError(), T, S, p, S, 1e-3, 1e-3);
    LossChecks.assertGradientMatches(new Huber(), T, S, p, S, 1e-3, 1e-3);
    LossChecks.assertGradientMatches(new Huber(0.5), T, S, p, S, 1e-3, 1e-3);
  }

  @Test
  void binaryCrossentropyGradients() {
    float[] p = {0.2f, 0.7f, 0.45f, 0.9f, 0.05f, 0.6f};
    float[] g = LossChecks.gradient(new BinaryCrossentropy(), T, S, p, S);
    for (int i = 0; i < p.length; i++) {
      double expected = (p[i] - T[i]) / (p[i] * (1.0 - p[i])) / p.length;
      assertEquals(expected, g[i], 1e-4 * Math.max(1, Math.abs(expected)), "entry " + i);
    }
    LossChecks.assertGradientMatches(new BinaryCrossentropy(), T, S, p, S, 1e-3, 2e-3);
    LossChecks.assertGradientMatches(new BinaryCrossentropy(false, 0.1), T, S, p, S, 1e-3, 2e-3);
  }

  @Test
  void binaryCrossentropyOnLogitsHasGradientSigmoidMinusTargetEvenAtZero() {
    float[] x = {0f, 0f, -2.5f, 1.3f, 40f, -40f};
    float[] g = LossChecks.gradient(new BinaryCrossentropy(true), T, S, x, S);
    for (int i = 0; i < x.length; i++) {
      double expected = (1 / (1 + Math.exp(-x[i])) - T[i]) / x.length;
      assertEquals(expected, g[i], 1e-6, "entry " + i + " (logit " + x[i] + ")");
    }
    float[] moderate = {0.1f, -0.8f, -2.5f, 1.3f, 2f, -0.3f};
    LossChecks.assertGradientMatches(new BinaryCrossentropy(true), T, S, moderate, S, 1e-2, 1e-3);
    LossChecks.assertGradientMatches(new BinaryCrossentropy(true, 0.2), T, S, moderate, S, 1e-2,
        1e-3);
  }

  @Test
  void categoricalCrossentropyGradients() {
    int[] s = {2, 3};
    float[] t = {0, 1, 0, 0.3f, 0, 0.7f};
    float[] x = {0.5f, -1f, 2f, 0f, 0.25f, -0.75f};
    float[] g = LossChecks.gradient(new CategoricalCrossentropy(true), t, s, x, s);
    for (int r = 0; r < 2; r++) {
      double z = 0;
      for (int k = 0; k < 3; k++) {
        z += Math.exp(x[r * 3 + k]);
      }
      for (int k = 0; k < 3; k++) {
        // d/dx of mean_batch(-sum(t * log_softmax(x))) = (softmax(x) - t) / batch (sum(t) = 1)
        double expected = (Math.exp(x[r * 3 + k]) / z - t[r * 3 + k]) / 2;
        assertEquals(expected, g[r * 3 + k], 1e-6, "logit gradient " + r + "," + k);
      }
    }
    float[] p = {0.2f, 0.5f, 0.3f, 0.6f, 0.1f, 0.3f};
    LossChecks.assertGradientMatches(new CategoricalCrossentropy(), t, s, p, s, 1e-3, 2e-3);
    LossChecks.assertGradientMatches(new CategoricalCrossentropy(false, 0.1), t, s, p, s, 1e-3,
        2e-3);
    LossChecks.assertGradientMatches(new CategoricalCrossentropy(true, 0.1), t, s, x, s, 1e-2,
        1e-3);
  }
}
