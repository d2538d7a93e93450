package io.sparkeras.api.layers.merging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.LayerTestHarness;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConcatenateTest {

  @Test
  void harness() {
    LayerTestHarness.of(Concatenate::new).inputShape(3).inputShape(2).expectOutputShape(5).run();
    LayerTestHarness.of(() -> new Concatenate(1)).inputShape(2, 3).inputShape(4, 3)
        .inputShape(1, 3).expectOutputShape(7, 3).run();
    LayerTestHarness.of(() -> new Concatenate(-2)).inputShape(2, 3).inputShape(1, 3)
        .expectOutputShape(3, 3).run();
  }

  @Test
  void concatenatesValues() {
    try (Scope s = Backends.current().scope(false)) {
      Tensor a = Backends.ops().constant(new float[] {1, 2, 3, 4}, 2, 2);
      Tensor b = Backends.ops().constant(new float[] {5, 6}, 2, 1);
      assertArrayEquals(new float[] {1, 2, 5, 3, 4, 6},
          new Concatenate().apply(a, b).toFloatArray(), 0f);
      Tensor c = Backends.ops().constant(new float[] {1, 2, 3, 4}, 1, 2, 2);
      Tensor d = Backends.ops().constant(new float[] {9, 8}, 1, 1, 2);
      Tensor y = new Concatenate(1).apply(c, d);
      assertArrayEquals(new int[] {1, 3, 2}, y.shape());
      assertArrayEquals(new float[] {1, 2, 3, 4, 9, 8}, y.toFloatArray(), 0f);
    }
  }

  @Test
  void unknownSizesAndSymbolicCall() {
    assertArrayEquals(new int[] {4, -1}, new Concatenate().computeOutputShape(
        List.of(new int[] {-1, 3}, new int[] {4, -1})));
    assertArrayEquals(new int[] {4, 5}, new Concatenate().computeOutputShape(
        List.of(new int[] {-1, 3}, new int[] {4, 2})));
    assertArrayEquals(new int[] {-1, 7},
        new Concatenate().apply(Input.of(-1, 3), Input.of(-1, 4)).shape());
  }

  @Test
  void rejectsMismatchedShapesNamingThem() {
    Concatenate c = new Concatenate();
    c.name("cat");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> c.computeOutputShape(List.of(new int[] {2, 3}, new int[] {4, 3})));
    assertTrue(e.getMessage().contains("cat") && e.getMessage().contains("(None, 2, 3)")
        && e.getMessage().contains("(None, 4, 3)"), e.getMessage());
    IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
        () -> new Concatenate().computeOutputShape(List.of(new int[] {3}, new int[] {2, 3})));
    assertTrue(rank.getMessage().contains("equal rank"), rank.getMessage());
    IllegalArgumentException axis = assertThrows(IllegalArgumentException.class,
        () -> new Concatenate(3).computeOutputShape(List.of(new int[] {3}, new int[] {3})));
    assertTrue(axis.getMessage().contains("axis 3"), axis.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Concatenate(0));
    try (Scope s = Backends.current().scope(false)) {
      IllegalArgumentException eager = assertThrows(IllegalArgumentException.class,
          () -> new Concatenate().apply(Backends.ops().zeros(2, 2, 3),
              Backends.ops().zeros(2, 1, 3)));
      assertTrue(eager.getMessage().contains("Concatenate"), eager.getMessage());
    }
  }

  @Test
  void configKeepsTheAxis() {
    assertEquals(1, new Concatenate(1).getConfig().get("axis"));
    assertEquals(-1, new Concatenate().getConfig().get("axis"));
  }
}
