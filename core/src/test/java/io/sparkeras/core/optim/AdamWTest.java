package io.sparkeras.core.optim;

import static io.sparkeras.core.optim.Approx.assertClose;
import static io.sparkeras.core.optim.Approx.f32;
import static io.sparkeras.core.optim.Approx.fb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamWTest {
  static final double[] P0 = {1.0, -2.0, 0.5};
  static final double[][] G = AdamTest.G;

  @Test
  void decaysTheVariableWithLrThenAppliesAdam() {
    UpdateRule adamw = UpdateRules.create("adamw", Map.of("weight_decay", 0.1));
    assertEquals("adamw", adamw.name());
    FloatBuffer p = fb(P0);
    FloatBuffer[] s = UpdateRules.allocateState(adamw, 3);
    double[] rp = f32(P0);
    double[] rm = new double[3];
    double[] rv = new double[3];
    double[] lrs = {0.05, 0.02, 0.01}; // a different lr each step, as a schedule would give
    for (int t = 1; t <= 3; t++) {
      adamw.apply(p, fb(G[t - 1]), s, 0, 3, t, (float) lrs[t - 1]);
      AdamTest.reference(rp, rm, rv, null, G[t - 1], t, lrs[t - 1], 0.9, 0.999, 1e-7, 0.1);
      assertClose(rp, p, "step " + t + " p");
    }
  }

  @Test
  void firstStepLiteralWithDefaultWeightDecay() {
    // p = 2, g = 0: Adam's step is 0, so only the decay acts: 2 - 2 * 0.004 * 0.5 = 1.996
    UpdateRule adamw = UpdateRules.create("adamw", Map.of());
    FloatBuffer p = fb(2.0);
    adamw.apply(p, fb(0.0), UpdateRules.allocateState(adamw, 1), 0, 1, 1, 0.5f);
    assertClose(1.996, p.get(0), "p");
  }

  @Test
  void defaultsAreKeras() {
    UpdateRule adamw = UpdateRules.create("AdamW", Map.of());
    assertEquals(0.004f, adamw.weightDecay());
    assertEquals(2, adamw.stateSlots());
    assertEquals(0.001, UpdateRules.defaultLearningRate("adamw"));
    FloatBuffer p1 = fb(P0);
    FloatBuffer p2 = fb(P0);
    UpdateRule explicit = new AdamW(0.9, 0.999, 1e-7, false, 0.004);
    FloatBuffer[] s1 = UpdateRules.allocateState(adamw, 3);
    FloatBuffer[] s2 = UpdateRules.allocateState(explicit, 3);
    for (int t = 1; t <= 3; t++) {
      adamw.apply(p1, fb(G[t - 1]), s1, 0, 3, t, 1e-3f);
      explicit.apply(p2, fb(G[t - 1]), s2, 0, 3, t, 1e-3f);
    }
    assertEquals(p2, p1);
    assertEquals(3, UpdateRules.create("adamw", Map.of("amsgrad", true)).stateSlots());
  }

  @Test
  void weightDecayNullOrNegativeIsRejected() {
    Map<String, Object> c = new HashMap<>();
    c.put("weight_decay", null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> UpdateRules.create("adamw", c));
    assertTrue(e.getMessage().contains("'weight_decay'") && e.getMessage().contains("null"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> UpdateRules.create("adamw", Map.of("weight_decay", -0.01)));
    assertTrue(e.getMessage().contains("'weight_decay'") && e.getMessage().contains(">= 0")
        && e.getMessage().contains("-0.01"), e.getMessage());
  }
}
