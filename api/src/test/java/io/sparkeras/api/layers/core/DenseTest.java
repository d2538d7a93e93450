package io.sparkeras.api.layers.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.initializers.Constant;
import io.sparkeras.api.layers.LayerTestHarness;
import io.sparkeras.api.testing.KerasReference;
import org.junit.jupiter.api.Test;

class DenseTest {

  @Test
  void harness() {
    LayerTestHarness.of(() -> new Dense(3)).inputShape(4).expectOutputShape(3).run();
    LayerTestHarness.of(() -> new Dense(5).activation("tanh")).inputShape(3).run();
    LayerTestHarness.of(() -> new Dense(2).useBias(false).activation("sigmoid")).inputShape(3, 4)
        .expectOutputShape(3, 2).run();
  }

  @Test
  void matchesKeras() {
    KerasReference.load("dense_tanh").check();
    KerasReference.load("dense_rank3_nobias").check();
  }

  @Test
  void computesXTimesKernelPlusBias() {
    Dense d = new Dense(2).kernelInitializer(new Constant(0.5)).biasInitializer(new Constant(1));
    try (Scope s = Backends.current().scope(false)) {
      float[] y = d.apply(Backends.ops().constant(new float[] {1, 2, 3}, 1, 3)).toFloatArray();
      assertArrayEquals(new float[] {4f, 4f}, y, 1e-6f);
    }
    assertEquals(3 * 2 + 2, d.countParams());
    assertArrayEquals(new int[] {3, 2}, d.kernel().shape());
  }

  @Test
  void rejectsBadUnitsWithTheNumber() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dense(0));
    assertTrue(e.getMessage().contains("units") && e.getMessage().contains("0"), e.getMessage());
  }
}
