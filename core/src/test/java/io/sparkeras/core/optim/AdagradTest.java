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

class AdagradTest {
  static final double[] P0 = {1.0, -2.0, 0.5};
  static final double[][] G = {{0.1, -0.2, 0.3}, {-0.4, 0.5, 0.6}, {0.7, -0.8, 0.9}};

  @Test
  void threeStepsMatchTheKerasFormula() {
    UpdateRule rule = UpdateRules.create("adagrad", Map.of("initial_accumulator_value", 0.2,
        "epsilon", 1e-3));
    FloatBuffer p = fb(P0);
    FloatBuffer[] s = UpdateRules.allocateState(rule, 3);
    double[] rp = f32(P0);
    double[] acc = {0.2, 0.2, 0.2};
    assertClose(acc, s[0], "initial accumulator");
    double lr = 0.1;
    for (int t = 1; t <= 3; t++) {
      rule.apply(p, fb(G[t - 1]), s, 0, 3, t, (float) lr);
      for (int i = 0; i < 3; i++) {
        acc[i] += G[t - 1][i] * G[t - 1][i];                       // acc += g^2
        rp[i] -= lr * G[t - 1][i] / Math.sqrt(acc[i] + 1e-3);      // p -= lr*g/sqrt(acc+eps)
      }
      assertClose(rp, p, "step " + t + " p");
      assertClose(acc, s[0], "step " + t + " accumulator");
    }
  }

  @Test
  void defaultsAreKeras() {
    assertEquals(0.001, UpdateRules.defaultLearningRate("adagrad"));
    UpdateRule rule = UpdateRules.create("Adagrad", Map.of());
    assertEquals(1, rule.stateSlots());
    assertEquals(0.1f, rule.initialState(0));
    // literal first step: acc = 0.1 + 0.09 = 0.19; p = 1 - 0.1*0.3/sqrt(0.19 + 1e-7)
    FloatBuffer p = fb(1.0);
    rule.apply(p, fb(0.3), UpdateRules.allocateState(rule, 1), 0, 1, 1, 0.1f);
    assertClose(1 - 0.03 / Math.sqrt(0.19 + 1e-7), p.get(0), "p");
  }

  @Test
  void invalidValuesNameTheKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> UpdateRules.create("adagrad", Map.of("initial_accumulator_value", -0.1)));
    assertTrue(e.getMessage().contains("'initial_accumulator_value'")
        && e.getMessage().contains(">= 0") && e.getMessage().contains("-0.1"), e.getMessage());
  }
}
