package io.sparkeras.core.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpdateRulesTest {

  private static String error(String name, Map<String, ?> config) {
    return assertThrows(IllegalArgumentException.class, () -> UpdateRules.create(name, config))
        .getMessage();
  }

  @Test
  void registeredNamesAndKerasClassNames() {
    assertEquals(List.of("sgd", "adam", "adamw", "rmsprop", "adagrad"), UpdateRules.NAMES);
    assertInstanceOf(SGD.class, UpdateRules.create("sgd", Map.of()));
    assertInstanceOf(Adam.class, UpdateRules.create("Adam", Map.of()));
    assertInstanceOf(AdamW.class, UpdateRules.create("AdamW", Map.of()));
    assertInstanceOf(RMSprop.class, UpdateRules.create("RMSprop", Map.of()));
    assertInstanceOf(Adagrad.class, UpdateRules.create("Adagrad", Map.of()));
    for (String n : UpdateRules.NAMES) {
      assertEquals(n, UpdateRules.create(n, Map.of()).name());
    }
  }

  @Test
  void unknownNameListsTheKnownOnes() {
    String msg = error("adadelta", Map.of());
    assertTrue(msg.contains("'adadelta'") && msg.contains("rmsprop"), msg);
    assertThrows(IllegalArgumentException.class, () -> UpdateRules.defaultLearningRate("nope"));
  }

  @Test
  void unknownKeyIsRejectedByName() {
    String msg = error("adam", Map.of("beta1", 0.9));
    assertTrue(msg.contains("'beta1'") && msg.contains("unknown key") && msg.contains("beta_1"),
        msg);
    // a key of another optimizer is unknown too
    msg = error("sgd", Map.of("rho", 0.9));
    assertTrue(msg.contains("'rho'"), msg);
  }

  @Test
  void aFullKerasGetConfigIsAccepted() {
    // what keras.optimizers.Adam().get_config() returns in Keras 3
    Map<String, Object> c = new HashMap<>();
    c.put("name", "adam");
    c.put("learning_rate", 0.0010000000474974513);
    c.put("weight_decay", null);
    c.put("clipnorm", null);
    c.put("global_clipnorm", null);
    c.put("clipvalue", null);
    c.put("use_ema", false);
    c.put("ema_momentum", 0.99);
    c.put("ema_overwrite_frequency", null);
    c.put("loss_scale_factor", null);
    c.put("gradient_accumulation_steps", null);
    c.put("beta_1", 0.9);
    c.put("beta_2", 0.999);
    c.put("epsilon", 1e-7);
    c.put("amsgrad", false);
    UpdateRule rule = UpdateRules.create("adam", c);
    assertEquals(2, rule.stateSlots());
    assertEquals(0f, rule.weightDecay());
  }

  @Test
  void baseKeysAreValidated() {
    String msg = error("sgd", Map.of("learning_rate", -0.1));
    assertTrue(msg.contains("'learning_rate'") && msg.contains(">= 0") && msg.contains("-0.1"),
        msg);
    msg = error("adam", Map.of("clipnorm", 1.0, "clipvalue", 0.5));
    assertTrue(msg.contains("clipnorm") && msg.contains("clipvalue") && msg.contains("at most one"),
        msg);
    msg = error("adam", Map.of("global_clipnorm", -1.0));
    assertTrue(msg.contains("'global_clipnorm'") && msg.contains("-1.0"), msg);
    msg = error("adam", Map.of("use_ema", true));
    assertTrue(msg.contains("'use_ema'") && msg.contains("not implemented"), msg);
    msg = error("adam", Map.of("gradient_accumulation_steps", 4));
    assertTrue(msg.contains("'gradient_accumulation_steps'") && msg.contains("4"), msg);
    msg = error("adam", Map.of("decay", 0.01));
    assertTrue(msg.contains("'decay'") && msg.contains("0.01"), msg);
    UpdateRules.create("adam", Map.of("decay", 0.0)); // Keras 2 configs carry decay=0.0
    msg = error("adam", Map.of("learning_rate", Map.of("class_name", "ExponentialDecay",
        "config", Map.of("initial_learning_rate", 0.1, "decay_steps", 0, "decay_rate", 0.5))));
    assertTrue(msg.contains("'decay_steps'") && msg.contains("> 0"), msg);
    msg = error("adam", Map.of("learning_rate", "fast"));
    assertTrue(msg.contains("'learning_rate'") && msg.contains("'fast'"), msg);
  }

  @Test
  void weightDecayForAnyOptimizer() {
    for (String n : List.of("sgd", "adam", "rmsprop", "adagrad")) {
      assertEquals(0.25f, UpdateRules.create(n, Map.of("weight_decay", 0.25)).weightDecay(), n);
      // with a zero gradient only the decay acts: p - p * wd * lr (RMSprop/Adagrad divide 0 by
      // sqrt(eps or acc) = 0, Adam's m stays 0)
      UpdateRule rule = UpdateRules.create(n, Map.of("weight_decay", 0.25));
      FloatBuffer p = FloatBuffer.wrap(new float[] {4f});
      rule.apply(p, FloatBuffer.wrap(new float[] {0f}), UpdateRules.allocateState(rule, 1), 0, 1,
          1, 0.5f);
      assertEquals(3.5f, p.get(0), n);
    }
  }

  @Test
  void withoutWeightDecayKeepsEverythingElse() {
    Map<String, Map<String, Object>> configs = Map.of(
        "sgd", Map.of("momentum", 0.9, "nesterov", true),
        "adam", Map.of("amsgrad", true, "beta_1", 0.8),
        "adamw", Map.of("beta_2", 0.9),
        "rmsprop", Map.of("centered", true, "momentum", 0.5),
        "adagrad", Map.of("initial_accumulator_value", 0.3));
    for (Map.Entry<String, Map<String, Object>> e : configs.entrySet()) {
      Map<String, Object> withWd = new HashMap<>(e.getValue());
      withWd.put("weight_decay", 0.2);
      UpdateRule decayed = UpdateRules.create(e.getKey(), withWd);
      UpdateRule stripped = decayed.withoutWeightDecay();
      String plainName = e.getKey().equals("adamw") ? "adam" : e.getKey();
      UpdateRule plain = UpdateRules.create(plainName, e.getValue());
      assertEquals(0f, stripped.weightDecay(), e.getKey());
      assertEquals(decayed.stateSlots(), stripped.stateSlots(), e.getKey());
      FloatBuffer p1 = FloatBuffer.wrap(new float[] {1f, -2f});
      FloatBuffer p2 = FloatBuffer.wrap(new float[] {1f, -2f});
      FloatBuffer[] s1 = UpdateRules.allocateState(stripped, 2);
      FloatBuffer[] s2 = UpdateRules.allocateState(plain, 2);
      for (int t = 1; t <= 3; t++) {
        FloatBuffer g = FloatBuffer.wrap(new float[] {0.3f * t, -0.1f});
        stripped.apply(p1, g, s1, 0, 2, t, 0.1f);
        plain.apply(p2, g.duplicate(), s2, 0, 2, t, 0.1f);
      }
      assertEquals(p2, p1, e.getKey());
    }
    UpdateRule noDecay = UpdateRules.create("adam", Map.of());
    assertEquals(noDecay, noDecay.withoutWeightDecay());
  }

  @Test
  void allocateStateUsesInitialValues() {
    UpdateRule adagrad = UpdateRules.create("adagrad", Map.of("initial_accumulator_value", 0.5));
    FloatBuffer[] s = UpdateRules.allocateState(adagrad, 4);
    assertEquals(1, s.length);
    for (int i = 0; i < 4; i++) {
      assertEquals(0.5f, s[0].get(i));
    }
    FloatBuffer[] a = UpdateRules.allocateState(UpdateRules.create("adam", Map.of()), 3);
    assertEquals(2, a.length);
    assertEquals(0f, a[1].get(2));
  }
}
