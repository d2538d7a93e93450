package io.sparkeras.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KerasConfigTest {
  static final double INF = Double.POSITIVE_INFINITY;

  @Test
  void messageNamesOwnerKeyRangeAndFoundValue() {
    KerasConfig c = KerasConfig.of("optimizer adam", Map.of("beta_1", 1.5), Set.of("beta_1"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> c.number("beta_1", 0.9, 0, true, 1, false));
    assertEquals("optimizer adam config 'beta_1': expected a number in [0, 1), found 1.5",
        e.getMessage());
  }

  @Test
  void rangesAndDefaults() {
    Map<String, Object> m = new HashMap<>();
    m.put("a", 0);
    m.put("b", null);
    m.put("c", 2.5f);
    KerasConfig c = KerasConfig.of("x", m, Set.of("a", "b", "c", "d"));
    assertEquals(0.0, c.number("a", 9, 0, true, INF, false));
    assertEquals(7.0, c.number("b", 7, 0, true, INF, false), "null means default");
    assertEquals(7.0, c.number("d", 7, 0, true, INF, false), "absent means default");
    assertEquals(2.5, c.number("c", 0, 0, false, INF, false));
    assertFalse(c.has("b"));
    assertTrue(c.has("a"));
    String msg = assertThrows(IllegalArgumentException.class,
        () -> c.number("a", 1, 0, false, INF, false)).getMessage();
    assertTrue(msg.contains("a number > 0") && msg.endsWith("found 0"), msg);
    msg = assertThrows(IllegalArgumentException.class,
        () -> c.requiredNumber("d", 0, true, INF, false)).getMessage();
    assertTrue(msg.contains("'d'") && msg.contains("required"), msg);
  }

  @Test
  void unknownKeysAndWrongTypes() {
    String msg = assertThrows(IllegalArgumentException.class,
        () -> KerasConfig.of("opt", Map.of("lr", 0.1), Set.of("learning_rate"))).getMessage();
    assertEquals("opt config 'lr': unknown key; expected one of [learning_rate]", msg);
    KerasConfig c = KerasConfig.of("opt", Map.of("flag", 1, "n", "x"), Set.of("flag", "n"));
    msg = assertThrows(IllegalArgumentException.class, () -> c.bool("flag", false)).getMessage();
    assertEquals("opt config 'flag': expected true or false, found 1", msg);
    msg = assertThrows(IllegalArgumentException.class,
        () -> c.number("n", 0, 0, true, INF, false)).getMessage();
    assertEquals("opt config 'n': expected a number >= 0, found 'x'", msg);
    assertThrows(IllegalArgumentException.class, () -> KerasConfig.of("opt", null, Set.of()));
  }

  @Test
  void rangeText() {
    assertEquals("a number in [0, 1)", KerasConfig.rangeText(0, true, 1, false));
    assertEquals("a number in (0, 0.5]", KerasConfig.rangeText(0, false, 0.5, true));
    assertEquals("a number >= 0", KerasConfig.rangeText(0, true, INF, false));
    assertEquals("a number < 3", KerasConfig.rangeText(Double.NEGATIVE_INFINITY, false, 3, false));
  }
}
