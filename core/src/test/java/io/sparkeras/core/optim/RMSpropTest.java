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

class RMSpropTest {
  static final double[] P0 = {1.0, -2.0, 0.5};
  static final double[][] G = {{0.1, -0.2, 0.3}, {-0.4, 0.5, 0.6}, {0.7, -0.8, 0.9}};
  static final double LR = 0.01;

  /**
   * Keras's formula, each operation rounded to float32 as Keras computes it (the centered
   * variant's {@code v - a^2} cancels, so a double reference drifts past 1e-6 from any float32
   * implementation, Keras's included); m or a null when unused.
   */
  static void reference(double[] p, double[] v, double[] m, double[] a, double[] g, double lr,
      double rho, double mu, double eps) {
    float r = (float) rho;
    float r1 = (float) (1 - rho);
    for (int i = 0; i < p.length; i++) {
      float gi = (float) g[i];
      v[i] = (float) (r * (float) v[i]) + (float) (r1 * (float) (gi * gi));
      v[i] = (float) v[i];
      float denom;
      if (a != null) {
        a[i] = (float) ((float) (r * (float) a[i]) + (float) (r1 * gi));
        denom = (float) ((float) ((float) v[i] - (float) (a[i] * a[i])) + (float) eps);
      } else {
        denom = (float) ((float) v[i] + (float) eps);
      }
      float inc = (float) ((float) ((float) lr * gi) / (float) Math.sqrt(denom));
      if (m != null) {
        m[i] = (float) ((float) ((float) mu * (float) m[i]) + inc);
        p[i] = (float) ((float) p[i] - (float) m[i]);
      } else {
        p[i] = (float) ((float) p[i] - inc);
      }
    }
  }

  private void check(Map<String, ?> config, double rho, double mu, double eps, boolean centered,
      int slots) {
    UpdateRule rule = UpdateRules.create("rmsprop", config);
    assertEquals(slots, rule.stateSlots());
    FloatBuffer p = fb(P0);
    FloatBuffer[] s = UpdateRules.allocateState(rule, 3);
    double[] rp = f32(P0);
    double[] rv = new double[3];
    double[] rm = mu > 0 ? new double[3] : null;
    double[] ra = centered ? new double[3] : null;
    for (int t = 1; t <= 3; t++) {
      rule.apply(p, fb(G[t - 1]), s, 0, 3, t, (float) LR);
      reference(rp, rv, rm, ra, G[t - 1], LR, rho, mu, eps);
      assertClose(rp, p, config + " step " + t + " p");
      assertClose(rv, s[0], config + " step " + t + " velocity");
      if (rm != null) {
        assertClose(rm, s[1], config + " step " + t + " momentum");
      }
      if (ra != null) {
        assertClose(ra, s[rm != null ? 2 : 1], config + " step " + t + " average_gradient");
      }
    }
  }

  @Test
  void plain() {
    check(Map.of("rho", 0.8, "epsilon", 1e-4), 0.8, 0, 1e-4, false, 1);
  }

  @Test
  void withMomentum() {
    check(Map.of("momentum", 0.5), 0.9, 0.5, 1e-7, false, 2);
  }

  @Test
  void centered() {
    check(Map.of("centered", true, "rho", 0.7), 0.7, 0, 1e-7, true, 2);
  }

  @Test
  void centeredWithMomentum() {
    check(Map.of("centered", true, "momentum", 0.9, "epsilon", 1e-3), 0.9, 0.9, 1e-3, true, 3);
  }

  @Test
  void kerasDocstringExample() {
    // keras.optimizers.RMSprop(learning_rate=0.1); var1 = 10.0; grad = var1; one step -> 9.683772
    UpdateRule rms = UpdateRules.create("rmsprop", Map.of());
    FloatBuffer p = fb(10.0);
    rms.apply(p, fb(10.0), UpdateRules.allocateState(rms, 1), 0, 1, 1, 0.1f);
    assertClose(9.683772, p.get(0), "var1");
  }

  @Test
  void defaultsAreKeras() {
    assertEquals(0.001, UpdateRules.defaultLearningRate("rmsprop"));
    UpdateRule rms = UpdateRules.create("RMSprop", Map.of());
    assertEquals("rmsprop", rms.name());
    assertEquals(1, rms.stateSlots()); // momentum 0, not centered
    // rho 0.9, epsilon 1e-7: first step on g is lr*g/sqrt(0.1*g^2 + 1e-7)
    FloatBuffer p = fb(0.0);
    rms.apply(p, fb(0.5), UpdateRules.allocateState(rms, 1), 0, 1, 1, 0.01f);
    assertClose(-0.01 * 0.5 / Math.sqrt(0.1 * 0.25 + 1e-7), p.get(0), "p");
  }

  @Test
  void invalidValuesNameTheKey() {
    for (Object[] c : new Object[][] {{"rho", 1.0}, {"rho", -0.1}, {"momentum", -1.0},
        {"epsilon", -1.0}}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> UpdateRules.create("rmsprop", Map.of((String) c[0], c[1])));
      assertTrue(e.getMessage().contains("'" + c[0] + "'"), e.getMessage());
      assertTrue(e.getMessage().contains(String.valueOf(c[1])), e.getMessage());
    }
  }
}
