package io.sparkeras.api.layers.regularization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.layers.LayerTestHarness;
import org.junit.jupiter.api.Test;

class DropoutTest {

  @Test
  void harness() {
    LayerTestHarness.of(() -> new Dropout(0.3)).inputShape(4, 3).expectOutputShape(4, 3).run();
  }

  @Test
  void identityAtInferenceScaledMaskInTraining() {
    float[] ones = new float[10_000];
    java.util.Arrays.fill(ones, 1f);
    Dropout d = new Dropout(0.25);
    try (Scope s = Backends.current().scope(false)) {
      float[] inference = d.apply(Backends.ops().constant(ones, 100, 100), false).toFloatArray();
      assertArrayEquals(ones, inference);
      float[] train = d.apply(Backends.ops().constant(ones, 100, 100), true).toFloatArray();
      int zeros = 0;
      for (float v : train) {
        if (v == 0f) {
          zeros++;
        } else {
          assertEquals(1f / 0.75f, v, 1e-6f, "kept values are scaled by 1/(1-rate)");
        }
      }
      assertTrue(zeros > 2200 && zeros < 2800, "about a quarter dropped: " + zeros);
    }
  }

  @Test
  void rateOutOfRangeIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Dropout(1.0));
    assertTrue(e.getMessage().contains("[0, 1)"), e.getMessage());
  }
}
