package io.sparkeras.api.layers.merging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.LayerTestHarness;
import io.sparkeras.api.testing.KerasReference;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Subtract, Multiply, Average, Maximum, Minimum and Dot (with Add, Concatenate) against Keras. */
class MergingTest {

  @Test
  void matchesKeras() {
    KerasReference.load("merging").check();
  }

  @Test
  void harness() {
    LayerTestHarness.of(Subtract::new).inputShape(3).inputShape(3).run();
    LayerTestHarness.of(Multiply::new).inputShape(2, 3).inputShape(1, 3).inputShape(3).run();
    LayerTestHarness.of(Average::new).inputShape(3).inputShape(3).inputShape(3).run();
    LayerTestHarness.of(Maximum::new).inputShape(4).inputShape(4).epsilon(1e-3).run();
    LayerTestHarness.of(Minimum::new).inputShape(4).inputShape(4).epsilon(1e-3).run();
    LayerTestHarness.of(() -> new Dot(1)).inputShape(4).inputShape(4).expectOutputShape(1).run();
    LayerTestHarness.of(() -> new Dot(2, 1).normalize(true)).inputShape(3, 4).inputShape(4, 2)
        .expectOutputShape(3, 2).run();
  }

  @Test
  void dotShapesFollowBatchDot() {
    assertArrayEquals(new int[] {3, 5}, new Dot(2, 2).computeOutputShape(
        List.of(new int[] {3, 4}, new int[] {5, 4})));
    assertArrayEquals(new int[] {7}, new Dot(1).computeOutputShape(
        List.of(new int[] {4}, new int[] {4, 7})));
    try (Scope s = Backends.current().scope(false)) {
      Tensor a = Backends.ops().constant(new float[] {1, 2, 3, 4}, 2, 2);
      Tensor b = Backends.ops().constant(new float[] {5, 6, 7, 8}, 2, 2);
      assertArrayEquals(new float[] {17, 53}, new Dot(-1).apply(a, b).toFloatArray(), 0f);
    }
  }

  @Test
  void badInputsAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Subtract().apply(Input.of(3), Input.of(3), Input.of(3)));
    assertTrue(e.getMessage().contains("exactly 2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Dot(1).apply(Input.of(3), Input.of(4)));
    assertTrue(e.getMessage().contains("size 3") && e.getMessage().contains("size 4"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Maximum().apply(Input.of(3), Input.of(4)));
    assertTrue(e.getMessage().contains("Maximum") && e.getMessage().contains("broadcast"),
        e.getMessage());
  }
}
