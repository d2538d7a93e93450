package io.sparkeras.core.constraints;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConstraintsTest {

  private static float[] run(String name, Map<String, ?> config, int[] shape, float[] w) {
    FloatBuffer b = FloatBuffer.allocate(w.length + 3);
    b.put(3, w);
    Constraints.create(name, config, shape).apply(b, 3);
    float[] out = new float[w.length];
    b.get(3, out);
    assertEquals(0f, b.get(0) + b.get(1) + b.get(2), "values before the range are untouched");
    return out;
  }

  /** The Keras formula on a [rows, cols] matrix with the norm over one axis, in double. */
  private static float[] scaled(float[] w, int rows, int cols, int axis,
      java.util.function.DoubleUnaryOperator desired) {
    float[] out = new float[w.length];
    int groups = axis == 0 ? cols : rows;
    for (int g = 0; g < groups; g++) {
      double s = 0;
      for (int k = 0; k < (axis == 0 ? rows : cols); k++) {
        float v = axis == 0 ? w[k * cols + g] : w[g * cols + k];
        s += v * v;
      }
      double n = Math.sqrt(s);
      double f = desired.applyAsDouble(n) / (1e-7 + n);
      for (int k = 0; k < (axis == 0 ? rows : cols); k++) {
        int i = axis == 0 ? k * cols + g : g * cols + k;
        out[i] = (float) (w[i] * f);
      }
    }
    return out;
  }

  private static final float[] W = {3, -4, 0.5f, 1, 2, -2, 0.1f, 0.2f, 0.3f, -6, 8, 1};

  @Test
  void maxNormOverEitherAxis() {
    int[] shape = {3, 4};
    assertArrayEquals(scaled(W, 3, 4, 0, n -> Math.min(n, 2)),
        run("max_norm", Map.of("max_value", 2.0), shape, W), 1e-6f);
    assertArrayEquals(scaled(W, 3, 4, 1, n -> Math.min(n, 1.5)),
        run("MaxNorm", Map.of("max_value", 1.5, "axis", 1), shape, W), 1e-6f);
    assertArrayEquals(scaled(W, 3, 4, 1, n -> Math.min(n, 1.5)),
        run("MaxNorm", Map.of("max_value", 1.5, "axis", -1), shape, W), 1e-6f);
  }

  @Test
  void unitAndMinMaxNorm() {
    int[] shape = {3, 4};
    assertArrayEquals(scaled(W, 3, 4, 0, n -> 1), run("unit_norm", Map.of(), shape, W), 1e-6f);
    assertArrayEquals(scaled(W, 3, 4, 1, n -> 0.7 * Math.min(Math.max(n, 0.5), 1.0) + 0.3 * n),
        run("min_max_norm", Map.of("min_value", 0.5, "max_value", 1.0, "rate", 0.7, "axis", 1),
            shape, W), 1e-6f);
  }

  @Test
  void severalAxesMakeOneNormPerRemainingIndex() {
    // shape [2, 3, 2], norm over axes 0 and 1: one norm per last index
    float[] w = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    float[] got = run("unit_norm", Map.of("axis", List.of(0, 1)), new int[] {2, 3, 2}, w);
    double even = Math.sqrt(1 + 9 + 25 + 49 + 81 + 121);
    double odd = Math.sqrt(4 + 16 + 36 + 64 + 100 + 144);
    for (int i = 0; i < w.length; i++) {
      assertEquals(w[i] / (1e-7 + (i % 2 == 0 ? even : odd)), got[i], 1e-6);
    }
  }

  @Test
  void nonNegZeroesNegatives() {
    assertArrayEquals(new float[] {3, 0, 0.5f, 1, 2, 0, 0.1f, 0.2f, 0.3f, 0, 8, 1},
        run("non_neg", Map.of(), new int[] {12}, W), 0f);
  }

  @Test
  void badConfigNamesTheKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Constraints.create("max_norm", Map.of("axis", 2), new int[] {3, 4}));
    assertTrue(e.getMessage().contains("'axis'") && e.getMessage().contains("[3, 4]"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Constraints.create("max_norm", Map.of("max_valu", 2), new int[] {3}));
    assertTrue(e.getMessage().contains("max_valu"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Constraints.create("clip", Map.of(), new int[] {3}));
    assertTrue(e.getMessage().contains("'clip'") && e.getMessage().contains("MaxNorm"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Constraints.create("min_max_norm",
        Map.of("min_value", 2.0), new int[] {3}));
    assertTrue(e.getMessage().contains("max_value"), e.getMessage());
  }

  @Test
  void textFormRoundTrips() {
    RangeConstraint c = RangeConstraint.parse("12:3x4:max_norm:max_value=2.5,axis=0|1");
    assertEquals(12, c.from());
    assertEquals(24, c.to());
    assertArrayEquals(new int[] {3, 4}, c.shape());
    assertEquals(List.of(0, 1), c.config().get("axis"));
    assertEquals(c.toString(), RangeConstraint.parse(c.toString()).toString());
    assertEquals("7:5:non_neg", new RangeConstraint(7, new int[] {5}, "non_neg", Map.of())
        .toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RangeConstraint.parse("x:3:max_norm"));
    assertTrue(e.getMessage().contains("x:3:max_norm"), e.getMessage());
  }
}
