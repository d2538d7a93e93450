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

class SGDTest {
  static final double[] P0 = {1.0, -2.0, 0.5};
  static final double[][] G = {{0.1, -0.2, 0.3}, {-0.4, 0.5, 0.6}, {0.7, -0.8, 0.9}};
  static final double LR = 0.1;

  @Test
  void plainGradientDescent() {
    UpdateRule sgd = UpdateRules.create("sgd", Map.of());
    assertEquals(0, sgd.stateSlots());
    FloatBuffer p = fb(P0);
    double[] ref = f32(P0);
    for (int t = 0; t < 3; t++) {
      FloatBuffer g = fb(G[t]);
      sgd.apply(p, g, new FloatBuffer[0], 0, 3, t + 1, (float) LR);
      for (int i = 0; i < 3; i++) {
        ref[i] = ref[i] - LR * G[t][i]; // w = w - learning_rate * g
      }
      assertClose(ref, p, "step " + (t + 1) + " p");
    }
    // literal check of step 1, element 0: 1.0 - 0.1 * 0.1
    FloatBuffer q = fb(P0);
    sgd.apply(q, fb(G[0]), new FloatBuffer[0], 0, 3, 1, 0.1f);
    assertClose(0.99, q.get(0), "literal");
  }

  @Test
  void momentum() {
    UpdateRule sgd = UpdateRules.create("sgd", Map.of("momentum", 0.9));
    assertEquals(1, sgd.stateSlots());
    FloatBuffer p = fb(P0);
    FloatBuffer[] s = UpdateRules.allocateState(sgd, 3);
    double[] ref = f32(P0);
    double[] vel = new double[3];
    for (int t = 0; t < 3; t++) {
      sgd.apply(p, fb(G[t]), s, 0, 3, t + 1, (float) LR);
      for (int i = 0; i < 3; i++) {
        vel[i] = 0.9 * vel[i] - LR * G[t][i]; // velocity = momentum * velocity - lr * g
        ref[i] = ref[i] + vel[i];             // w = w + velocity
      }
      assertClose(ref, p, "step " + (t + 1) + " p");
      assertClose(vel, s[0], "step " + (t + 1) + " momentum");
    }
    // literal: after 2 steps element 0: v1 = -0.01, v2 = -0.009 + 0.04 = 0.031, p = 1 - 0.01 + 0.031
    FloatBuffer q = fb(P0);
    FloatBuffer[] s2 = UpdateRules.allocateState(sgd, 3);
    sgd.apply(q, fb(G[0]), s2, 0, 3, 1, 0.1f);
    sgd.apply(q, fb(G[1]), s2, 0, 3, 2, 0.1f);
    assertClose(1.021, q.get(0), "literal");
  }

  @Test
  void nesterov() {
    UpdateRule sgd = UpdateRules.create("sgd", Map.of("momentum", 0.9, "nesterov", true));
    FloatBuffer p = fb(P0);
    FloatBuffer[] s = UpdateRules.allocateState(sgd, 3);
    double[] ref = f32(P0);
    double[] vel = new double[3];
    for (int t = 0; t < 3; t++) {
      sgd.apply(p, fb(G[t]), s, 0, 3, t + 1, (float) LR);
      for (int i = 0; i < 3; i++) {
        vel[i] = 0.9 * vel[i] - LR * G[t][i];
        ref[i] = ref[i] + 0.9 * vel[i] - LR * G[t][i]; // w = w + momentum * velocity - lr * g
      }
      assertClose(ref, p, "step " + (t + 1) + " p");
      assertClose(vel, s[0], "step " + (t + 1) + " momentum");
    }
  }

  @Test
  void weightDecayIsAppliedBeforeTheUpdate() {
    UpdateRule sgd = UpdateRules.create("sgd", Map.of("weight_decay", 0.01));
    assertEquals(0.01f, sgd.weightDecay());
    FloatBuffer p = fb(P0);
    double[] ref = f32(P0);
    for (int t = 0; t < 3; t++) {
      sgd.apply(p, fb(G[t]), new FloatBuffer[0], 0, 3, t + 1, (float) LR);
      for (int i = 0; i < 3; i++) {
        ref[i] = ref[i] - ref[i] * 0.01 * LR; // variable -= variable * weight_decay * lr
        ref[i] = ref[i] - LR * G[t][i];
      }
      assertClose(ref, p, "step " + (t + 1) + " p");
    }
  }

  @Test
  void onlyTheGivenRangeChanges() {
    UpdateRule sgd = UpdateRules.create("sgd", Map.of("momentum", 0.5));
    FloatBuffer p = fb(1, 2, 3, 4, 5);
    FloatBuffer g = fb(1, 1, 1, 1, 1);
    FloatBuffer[] s = UpdateRules.allocateState(sgd, 5);
    sgd.apply(p, g, s, 1, 3, 1, 0.5f);
    assertEquals(1f, p.get(0));
    assertEquals(1.5f, p.get(1));
    assertEquals(2.5f, p.get(2));
    assertEquals(4f, p.get(3));
    assertEquals(0f, s[0].get(0));
    assertEquals(0f, s[0].get(3));
  }

  @Test
  void defaultsAreKeras() {
    assertEquals(0.01, UpdateRules.defaultLearningRate("sgd"));
    UpdateRule sgd = UpdateRules.create("SGD", Map.of());
    assertEquals("sgd", sgd.name());
    assertEquals(0, sgd.stateSlots()); // momentum 0.0: no momentum variable
    assertEquals(0f, sgd.weightDecay());
    // nesterov defaults to false: momentum-only config behaves as plain momentum
    UpdateRule m = UpdateRules.create("sgd", Map.of("momentum", 0.9));
    FloatBuffer p = fb(1.0);
    FloatBuffer[] s = UpdateRules.allocateState(m, 1);
    m.apply(p, fb(1.0), s, 0, 1, 1, 0.1f);
    m.apply(p, fb(1.0), s, 0, 1, 2, 0.1f);
    assertClose(1.0 - 0.1 - 0.19, p.get(0), "plain momentum, 2 steps");
  }

  @Test
  void invalidMomentumNamesKeyRangeAndValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> UpdateRules.create("sgd", Map.of("momentum", 1.5)));
    assertTrue(e.getMessage().contains("'momentum'"), e.getMessage());
    assertTrue(e.getMessage().contains("[0, 1]"), e.getMessage());
    assertTrue(e.getMessage().contains("1.5"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> UpdateRules.create("sgd", Map.of("momentum", -0.1)));
    assertTrue(e.getMessage().contains("'momentum'") && e.getMessage().contains("-0.1"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> UpdateRules.create("sgd", Map.of("nesterov", "yes")));
    assertTrue(e.getMessage().contains("'nesterov'") && e.getMessage().contains("true or false"),
        e.getMessage());
  }
}
