package io.sparkeras.core.optim.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulesTest {

  static void close(double expected, float actual, String what) {
    double tol = Math.max(1e-6 * Math.abs(expected), 1e-12);
    if (!(Math.abs(actual - expected) <= tol)) {
      fail(what + ": expected " + expected + ", found " + actual);
    }
  }

  private static String error(String cls, Map<String, ?> config) {
    return assertThrows(IllegalArgumentException.class, () -> Schedules.create(cls, config))
        .getMessage();
  }

  @Test
  void exponentialDecay() {
    LearningRateSchedule s = Schedules.create("ExponentialDecay",
        Map.of("initial_learning_rate", 0.1, "decay_steps", 10, "decay_rate", 0.5));
    close(0.1, s.learningRate(0), "step 0");
    close(0.1 * Math.pow(0.5, 0.5), s.learningRate(5), "step 5");
    close(0.0707106781, s.learningRate(5), "step 5 literal");
    close(0.05, s.learningRate(10), "step 10");
    close(0.1 * Math.pow(0.5, 2.5), s.learningRate(25), "step 25");
    assertEquals("ExponentialDecay", s.name());
  }

  @Test
  void exponentialDecayStaircase() {
    LearningRateSchedule s = Schedules.create("ExponentialDecay", Map.of(
        "initial_learning_rate", 0.1, "decay_steps", 10, "decay_rate", 0.5, "staircase", true));
    close(0.1, s.learningRate(0), "step 0");
    close(0.1, s.learningRate(9), "step 9");
    close(0.05, s.learningRate(10), "step 10");
    close(0.05, s.learningRate(19), "step 19");
    close(0.025, s.learningRate(20), "step 20");
    close(0.025, s.learningRate(25), "step 25");
  }

  @Test
  void cosineDecayWithoutWarmup() {
    LearningRateSchedule s = Schedules.create("CosineDecay",
        Map.of("initial_learning_rate", 0.1, "decay_steps", 100, "alpha", 0.1));
    close(0.1, s.learningRate(0), "step 0");
    close(0.1 * (0.9 * 0.5 * (1 + Math.cos(Math.PI / 4)) + 0.1), s.learningRate(25), "step 25");
    close(0.055, s.learningRate(50), "step 50"); // cos(pi/2) = 0: 0.1 * (0.9 * 0.5 + 0.1)
    close(0.01, s.learningRate(100), "step 100"); // alpha * initial
    close(0.01, s.learningRate(1000), "step 1000 (clamped at decay_steps)");
    assertEquals("CosineDecay", s.name());
  }

  @Test
  void cosineDecayDefaultAlphaIsZero() {
    LearningRateSchedule s = Schedules.create("CosineDecay",
        Map.of("initial_learning_rate", 0.2, "decay_steps", 10));
    close(0.0, s.learningRate(10), "end");
    close(0.1, s.learningRate(5), "middle");
  }

  @Test
  void cosineDecayWithWarmup() {
    LearningRateSchedule s = Schedules.create("CosineDecay", Map.of("initial_learning_rate", 0.0,
        "decay_steps", 100, "warmup_target", 0.1, "warmup_steps", 10));
    close(0.0, s.learningRate(0), "step 0: initial_learning_rate");
    close(0.05, s.learningRate(5), "step 5: half way up");
    close(0.09, s.learningRate(9), "step 9");
    close(0.1, s.learningRate(10), "step 10: warmup_target, decay starts");
    close(0.05, s.learningRate(60), "step 60: half way down");
    close(0.0, s.learningRate(110), "step 110: end");
    close(0.0, s.learningRate(5000), "step 5000: clamped");
    // warmup from a non-zero start, alpha > 0
    LearningRateSchedule t = new CosineDecay(0.02, 100, 0.5, 0.1, 4);
    close(0.02 + 0.08 * 0.25, t.learningRate(1), "from 0.02, step 1");
    close(0.1 * 0.5, t.learningRate(104), "end is warmup_target * alpha");
  }

  @Test
  void cosineDecayWarmupTargetWithZeroWarmupStepsDecaysFromTheTarget() {
    LearningRateSchedule s = new CosineDecay(0.5, 10, 0.0, 0.1, 0);
    close(0.1, s.learningRate(0), "step 0");
    close(0.05, s.learningRate(5), "step 5");
  }

  @Test
  void piecewiseConstantDecayBoundaries() {
    LearningRateSchedule s = Schedules.create("PiecewiseConstantDecay",
        Map.of("boundaries", List.of(10, 20), "values", List.of(1.0, 0.5, 0.1)));
    close(1.0, s.learningRate(0), "step 0");
    close(1.0, s.learningRate(10), "step 10 (step <= boundaries[0])");
    close(0.5, s.learningRate(11), "step 11");
    close(0.5, s.learningRate(20), "step 20");
    close(0.1, s.learningRate(21), "step 21");
    close(0.1, s.learningRate(1_000_000), "step 1e6");
    assertEquals("PiecewiseConstant", s.name());
  }

  @Test
  void constant() {
    LearningRateSchedule s = Schedules.constant(0.003);
    close(0.003, s.learningRate(0), "step 0");
    close(0.003, s.learningRate(Long.MAX_VALUE), "any step");
    assertThrows(IllegalArgumentException.class, () -> Schedules.constant(-1));
    assertThrows(IllegalArgumentException.class, () -> Schedules.constant(Double.NaN));
  }

  @Test
  void serializedFormAsInAnOptimizerConfig() {
    Map<String, Object> ser = new HashMap<>();
    ser.put("module", "keras.optimizers.schedules");
    ser.put("class_name", "ExponentialDecay");
    ser.put("registered_name", null);
    ser.put("config", Map.of("initial_learning_rate", 0.1, "decay_steps", 10, "decay_rate", 0.5,
        "staircase", false, "name", "ExponentialDecay"));
    LearningRateSchedule s = Schedules.fromKerasConfig(ser);
    close(0.05, s.learningRate(10), "step 10");
    String msg = assertThrows(IllegalArgumentException.class,
        () -> Schedules.fromKerasConfig(Map.of("class_name", "ExponentialDecay"))).getMessage();
    assertTrue(msg.contains("'config'"), msg);
  }

  @Test
  void configRoundTrips() {
    List<LearningRateSchedule> all = List.of(
        new ExponentialDecay(0.1, 7, 0.3, true),
        new CosineDecay(0.01, 50, 0.2, 0.1, 5),
        new CosineDecay(0.01, 50, 0.2),
        new PiecewiseConstantDecay(new long[] {3, 9}, new double[] {0.3, 0.2, 0.1}, "pc"));
    for (LearningRateSchedule s : all) {
      LearningRateSchedule back = Schedules.create(s.className(), s.config());
      assertEquals(s.config(), back.config(), s.className());
      for (long step = 0; step < 70; step++) {
        assertEquals(s.learningRate(step), back.learningRate(step), s.className() + " " + step);
      }
    }
  }

  @Test
  void invalidConfigsNameTheKey() {
    String msg = error("ExponentialDecay",
        Map.of("initial_learning_rate", 0.1, "decay_steps", 0, "decay_rate", 0.5));
    assertTrue(msg.contains("'decay_steps'") && msg.contains("> 0") && msg.contains("0"), msg);
    msg = error("ExponentialDecay", Map.of("initial_learning_rate", 0.1, "decay_steps", 10));
    assertTrue(msg.contains("'decay_rate'") && msg.contains("required"), msg);
    msg = error("CosineDecay",
        Map.of("initial_learning_rate", 0.1, "decay_steps", 10, "alpha", 1.5));
    assertTrue(msg.contains("'alpha'") && msg.contains("[0, 1]") && msg.contains("1.5"), msg);
    msg = error("CosineDecay", Map.of("initial_learning_rate", 0.1, "decay_steps", 10,
        "warmup_steps", -1));
    assertTrue(msg.contains("'warmup_steps'") && msg.contains("-1"), msg);
    msg = error("CosineDecay", Map.of("initial_learning_rate", -0.1, "decay_steps", 10));
    assertTrue(msg.contains("'initial_learning_rate'") && msg.contains("-0.1"), msg);
    msg = error("PiecewiseConstantDecay",
        Map.of("boundaries", List.of(10, 20), "values", List.of(1.0, 0.5)));
    assertTrue(msg.contains("'values'") && msg.contains("3") && msg.contains("found 2"), msg);
    msg = error("PiecewiseConstantDecay",
        Map.of("boundaries", List.of(20, 10), "values", List.of(1.0, 0.5, 0.1)));
    assertTrue(msg.contains("'boundaries'") && msg.contains("increasing"), msg);
    msg = error("PiecewiseConstantDecay",
        Map.of("boundaries", List.of(10, "x"), "values", List.of(1.0, 0.5, 0.1)));
    assertTrue(msg.contains("'boundaries'") && msg.contains("'x'"), msg);
    msg = error("ExponentialDecay", Map.of("initial_learning_rate", 0.1, "decay_steps", 10,
        "decay_rate", 0.5, "decay", 1));
    assertTrue(msg.contains("'decay'") && msg.contains("unknown key"), msg);
    msg = error("PolynomialDecay", Map.of());
    assertTrue(msg.contains("'PolynomialDecay'") && msg.contains("CosineDecay"), msg);
  }
}
