package io.sparkeras.api.layers.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.layers.LayerTestHarness;
import io.sparkeras.api.testing.KerasReference;
import org.junit.jupiter.api.Test;

class EinsumDenseTest {

  @Test
  void matchesKeras() {
    KerasReference.load("einsum_dense").check();
  }

  @Test
  void harness() {
    LayerTestHarness.of(() -> new EinsumDense("abc,cd->abd", -1, 4).biasAxes("d"))
        .inputShape(3, 5).expectOutputShape(3, 4).run();
    LayerTestHarness.of(() -> new EinsumDense("abc,cde->abde", 3, 2, 2).biasAxes("de")
        .activation("tanh")).inputShape(3, 4).expectOutputShape(3, 2, 2).run();
    LayerTestHarness.of(() -> new EinsumDense("ab...,bc->ac...", 2).biasAxes("c"))
        .inputShape(3, 4).expectOutputShape(2, 4).run();
  }

  @Test
  void weightShapesFollowKeras() {
    EinsumDense d = new EinsumDense("...b,bc->...c", 7).biasAxes("c");
    d.build(new int[] {5, 6});
    assertArrayEquals(new int[] {6, 7}, d.kernel().shape());
    assertArrayEquals(new int[] {7}, d.bias().shape());
    EinsumDense r = new EinsumDense("ab...,bc->ac...", 4).biasAxes("c");
    r.build(new int[] {5, 6});
    assertArrayEquals(new int[] {4, 1}, r.bias().shape());
  }

  @Test
  void badEquationsAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new EinsumDense("ab->b", 3));
    assertTrue(e.getMessage().contains("ab->b"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new EinsumDense("ab,bc->ac", 3).biasAxes("z").build(new int[] {4}));
    assertTrue(e.getMessage().contains("bias_axes") && e.getMessage().contains("'z'"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new EinsumDense("ab,be->ac", 3).build(new int[] {4}));
    assertTrue(e.getMessage().contains("'e'"), e.getMessage());
  }
}
