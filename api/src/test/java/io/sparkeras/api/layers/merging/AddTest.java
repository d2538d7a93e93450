package io.sparkeras.api.layers.merging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.LayerTestHarness;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddTest {

  @Test
  void harness() {
    LayerTestHarness.of(Add::new).inputShape(3).inputShape(3).expectOutputShape(3).run();
    LayerTestHarness.of(Add::new).inputShape(2, 3).inputShape(1, 3).inputShape(2, 1)
        .expectOutputShape(2, 3).run();
    LayerTestHarness.of(Add::new).inputShape(2, 3).inputShape(3).expectOutputShape(2, 3).run();
  }

  @Test
  void addsValuesWithBroadcasting() {
    try (Scope s = Backends.current().scope(false)) {
      Tensor a = Backends.ops().constant(new float[] {1, 2, 3, 4}, 1, 2, 2);
      Tensor b = Backends.ops().constant(new float[] {10, 20}, 1, 2);
      Tensor c = Backends.ops().constant(new float[] {100, 200}, 1, 2, 1);
      Tensor y = new Add().apply(a, b, c);
      assertArrayEquals(new int[] {1, 2, 2}, y.shape());
      assertArrayEquals(new float[] {111, 122, 213, 224}, y.toFloatArray(), 0f);
    }
  }

  @Test
  void shapes() {
    assertArrayEquals(new int[] {4, 3}, new Add().computeOutputShape(
        List.of(new int[] {-1, 3}, new int[] {4, 1})));
    assertArrayEquals(new int[] {-1, 3}, new Add().apply(Input.of(-1, 3), Input.of(-1, 3)).shape());
  }

  @Test
  void rejectsMismatchedShapesNamingThem() {
    Add add = new Add();
    add.name("residual");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> add.computeOutputShape(List.of(new int[] {3}, new int[] {4})));
    assertTrue(e.getMessage().contains("residual") && e.getMessage().contains("(None, 3)")
        && e.getMessage().contains("(None, 4)") && e.getMessage().contains("broadcast"),
        e.getMessage());
    IllegalArgumentException symbolic = assertThrows(IllegalArgumentException.class,
        () -> new Add().apply(Input.of(5), Input.of(2, 4)));
    assertTrue(symbolic.getMessage().contains("(None, 5)"), symbolic.getMessage());
    try (Scope s = Backends.current().scope(false)) {
      IllegalArgumentException eager = assertThrows(IllegalArgumentException.class,
          () -> new Add().apply(Backends.ops().zeros(2, 3), Backends.ops().zeros(2, 2)));
      assertTrue(eager.getMessage().contains("Add"), eager.getMessage());
    }
  }
}
