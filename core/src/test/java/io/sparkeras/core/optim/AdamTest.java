package io.sparkeras.core.optim;

import static io.sparkeras.core.optim.Approx.assertClose;
import static io.sparkeras.core.optim.Approx.f32;
import static io.sparkeras.core.optim.Approx.fb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamTest {
  static final double[] P0 = {1.0, -2.0, 0.5};
  // element 2 gets a large then small gradient, so AMSGrad's max(vhat, v) matters there
  static final double[][] G = {{0.1, -0.2, 3.0}, {-0.4, 0.5, 0.01}, {0.7, -0.8, 0.02}};
  static final double LR = 0.01;

  /** Keras's formula, in double: alpha = lr*sqrt(1-b2^t)/(1-b1^t); p -= m*alpha/(sqrt(v)+eps). */
  static void reference(double[] p, double[] m, double[] v, double[] vhat, double[] g, int t,
      double lr, double b1, double b2, double eps, double wd) {
    double b1f = (float) b1;
    double b2f = (float) b2;
    double alpha = lr * Math.sqrt(1 - Math.pow(b2f, t)) / (1 - Math.pow(b1f, t));
    for (int i = 0; i < p.length; i++) {
      p[i] = p[i] - p[i] * wd * lr;
      m[i] = m[i] + (g[i] - m[i]) * (1 - b1);
      v[i] = v[i] + (g[i] * g[i] - v[i]) * (1 - b2);
      double denomV = v[i];
      if (vhat != null) {
        vhat[i] = Math.max(vhat[i], v[i]);
        denomV = vhat[i];
      }
      p[i] = p[i] - m[i] * alpha / (Math.sqrt(denomV) + eps);
    }
  }

  @Test
  void threeStepsMatchTheKerasFormula() {
    UpdateRule adam = UpdateRules.create("adam", Map.of("beta_1", 0.8, "beta_2", 0.99,
        "epsilon", 1e-3));
    assertEquals(2, adam.stateSlots());
    FloatBuffer p = fb(P0);
    FloatBuffer[] s = UpdateRules.allocateState(adam, 3);
    double[] rp = f32(P0);
    double[] rm = new double[3];
    double[] rv = new double[3];
    for (int t = 1; t <= 3; t++) {
      adam.apply(p, fb(G[t - 1]), s, 0, 3, t, (float) LR);
      reference(rp, rm, rv, null, G[t - 1], t, LR, 0.8, 0.99, 1e-3, 0);
      assertClose(rp, p, "step " + t + " p");
      assertClose(rm, s[0], "step " + t + " m");
      assertClose(rv, s[1], "step " + t + " v");
    }
  }

  @Test
  void firstStepLiteral() {
    // t = 1, defaults: m = 0.1*g, v = 0.001*g^2, alpha = lr*sqrt(0.001)/0.1,
    // so the step is lr * g/|g| * sqrt(0.001)*0.1/(0.1*(sqrt(0.001)*|g| + 1e-7)) ~= lr * sign(g)
    UpdateRule adam = UpdateRules.create("adam", Map.of());
    FloatBuffer p = fb(1.0);
    adam.apply(p, fb(0.5), UpdateRules.allocateState(adam, 1), 0, 1, 1, 0.001f);
    double m = 0.05;
    double v = 0.001 * 0.25;
    double alpha = 0.001 * Math.sqrt(1 - (double) 0.999f) / (1 - (double) 0.9f);
    assertClose(1.0 - m * alpha / (Math.sqrt(v) + 1e-7), p.get(0), "p");
    assertClose(0.999, p.get(0), "p ~ 1 - lr");
  }

  @Test
  void amsgradUsesTheRunningMaximumOfV() {
    UpdateRule ams = UpdateRules.create("adam", Map.of("amsgrad", true, "beta_2", 0.9));
    assertEquals(3, ams.stateSlots());
    FloatBuffer p = fb(P0);
    FloatBuffer[] s = UpdateRules.allocateState(ams, 3);
    double[] rp = f32(P0);
    double[] rm = new double[3];
    double[] rv = new double[3];
    double[] rh = new double[3];
    for (int t = 1; t <= 3; t++) {
      ams.apply(p, fb(G[t - 1]), s, 0, 3, t, (float) LR);
      reference(rp, rm, rv, rh, G[t - 1], t, LR, 0.9, 0.9, 1e-7, 0);
      assertClose(rp, p, "step " + t + " p");
      assertClose(rh, s[2], "step " + t + " vhat");
    }
    // the test data really exercises the maximum: v fell below vhat for element 2
    assertTrue(s[1].get(2) < s[2].get(2));
  }

  @Test
  void defaultsAreKeras() {
    assertEquals(0.001, UpdateRules.defaultLearningRate("adam"));
    UpdateRule dflt = UpdateRules.create("adam", Map.of());
    UpdateRule explicit = new Adam(0.9, 0.999, 1e-7, false);
    assertEquals(2, dflt.stateSlots());
    assertEquals(0f, dflt.weightDecay());
    FloatBuffer p1 = fb(P0);
    FloatBuffer p2 = fb(P0);
    FloatBuffer[] s1 = UpdateRules.allocateState(dflt, 3);
    FloatBuffer[] s2 = UpdateRules.allocateState(explicit, 3);
    for (int t = 1; t <= 3; t++) {
      dflt.apply(p1, fb(G[t - 1]), s1, 0, 3, t, 1e-3f);
      explicit.apply(p2, fb(G[t - 1]), s2, 0, 3, t, 1e-3f);
    }
    assertEquals(p2, p1);
    // and they equal the reference with Keras's documented defaults
    double[] rp = f32(P0);
    double[] rm = new double[3];
    double[] rv = new double[3];
    for (int t = 1; t <= 3; t++) {
      reference(rp, rm, rv, null, G[t - 1], t, 1e-3, 0.9, 0.999, 1e-7, 0);
    }
    assertClose(rp, p1, "defaults");
  }

  @Test
  void invalidBetasAndEpsilonNameKeyRangeAndValue() {
    for (Object[] c : new Object[][] {{"beta_1", 1.0}, {"beta_1", -0.5}, {"beta_2", 1.2},
        {"epsilon", -1e-7}}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> UpdateRules.create("adam", Map.of((String) c[0], c[1])));
      String msg = e.getMessage();
      assertTrue(msg.contains("'" + c[0] + "'"), msg);
      assertTrue(msg.contains(String.valueOf(c[1])), msg);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> UpdateRules.create("adam", Map.of("beta_1", 1.0)));
    assertTrue(e.getMessage().contains("[0, 1)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> UpdateRules.create("adam", Map.of("beta_1", Double.NaN)));
    assertTrue(e.getMessage().contains("NaN"), e.getMessage());
  }
}
