package io.sparkeras.api.layers.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.activations.Activations;
import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.layers.LayerTestHarness;
import io.sparkeras.api.testing.KerasReference;
import org.junit.jupiter.api.Test;

class ActivationTest {

  @Test
  void harnessForEveryActivation() {
    for (String a : Activations.names()) {
      // the piecewise functions have kinks: a smaller step keeps finite differences off them
      LayerTestHarness.of(() -> new Activation(a)).inputShape(6)
          .expectOutputShape(a.equals("glu") ? 3 : 6).epsilon(1e-3).run();
    }
  }

  @Test
  void valuesMatchTheFormulas() {
    float[] x = {-2f, -0.5f, 0.5f, 2f};
    try (Scope s = Backends.current().scope(false)) {
      float[] relu = new Activation("relu").apply(Backends.ops().constant(x, 1, 4)).toFloatArray();
      assertArrayEquals(new float[] {0, 0, 0.5f, 2f}, relu, 1e-7f);
      // Keras 3's activations.gelu defaults to the exact GELU, x * Phi(x) (approximate=False)
      float[] gelu = new Activation("gelu").apply(Backends.ops().constant(x, 1, 4)).toFloatArray();
      double[] phi = {0.022750131948179, 0.308537538725987, 0.691462461274013, 0.977249868051821};
      for (int i = 0; i < 4; i++) {
        double v = x[i];
        assertTrue(Math.abs(gelu[i] - v * phi[i]) < 1e-6, "gelu(" + v + ")");
      }
      float[] silu = new Activation("silu").apply(Backends.ops().constant(x, 1, 4)).toFloatArray();
      for (int i = 0; i < 4; i++) {
        assertTrue(Math.abs(silu[i] - x[i] / (1 + Math.exp(-x[i]))) < 1e-6, "silu");
      }
      float[] sm = new Activation("softmax").apply(Backends.ops().constant(new float[] {1, 2, 3},
          1, 3)).toFloatArray();
      double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
      assertArrayEquals(new float[] {(float) (Math.exp(1) / z), (float) (Math.exp(2) / z),
          (float) (Math.exp(3) / z)}, sm, 1e-6f);
    }
  }

  @Test
  void everyKerasActivationMatchesKeras() {
    KerasReference.load("activations_by_name").check();
    KerasReference.load("dense_gelu").check();
  }

  @Test
  void thresholdByNameExplainsItsArguments() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Activation("threshold"));
    assertTrue(e.getMessage().contains("default_value"), e.getMessage());
  }

  @Test
  void unknownActivationNamesTheChoices() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Activation("relu6x"));
    assertTrue(e.getMessage().contains("relu6x") && e.getMessage().contains("sigmoid"),
        e.getMessage());
  }
}
