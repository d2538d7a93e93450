package io.sparkeras.api.layers.pooling;

import static io.sparkeras.api.layers.LayerTesting.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.layers.LayerTestHarness;
import org.junit.jupiter.api.Test;

class MaxPooling1DTest {

  @Test
  void harness() {
    LayerTestHarness.of(() -> new MaxPooling1D()).inputShape(6, 2).expectOutputShape(3, 2)
        .epsilon(1e-3).run();
    LayerTestHarness.of(() -> new MaxPooling1D(3).strides(2).padding("same")).inputShape(7, 3)
        .expectOutputShape(4, 3).epsilon(1e-3).run();
  }

  @Test
  void knownValues() {
    float[] x = {1, 3, 2, 5, 4};
    assertArrayEquals(new float[] {3, 5}, run(new MaxPooling1D(2), false, x, 1, 5, 1), 0f);
    assertArrayEquals(new float[] {3, 3, 5, 5},
        run(new MaxPooling1D(2).strides(1), false, x, 1, 5, 1), 0f);
    assertArrayEquals(new float[] {3, 5, 4},
        run(new MaxPooling1D(2).padding("same"), false, x, 1, 5, 1), 0f);
  }

  @Test
  void rejectsWrongRank() {
    MaxPooling1D p = new MaxPooling1D();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> p.build(new int[] {4, 4, 1}));
    assertTrue(e.getMessage().contains(p.getName())
        && e.getMessage().contains("(None, steps, channels)"), e.getMessage());
  }
}
