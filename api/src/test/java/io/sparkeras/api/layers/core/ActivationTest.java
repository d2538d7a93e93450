package io.sparkeras.api.layers.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.layers.LayerTestHarness;
import org.junit.jupiter.api.Test;

class ActivationTest {

  @Test
  void harnessForEveryActivation() {
    for (String a : new String[] {"linear", "relu", "sigmoid", "tanh", "softmax", "gelu", "silu",
        "softplus"}) {
      // relu has a kink at 0: a smaller step keeps finite differences off it
      LayerTestHarness.of(() -> new Activation(a)).inputShape(5).expectOutputShape(5)
          .epsilon(a.equals("relu") ? 1e-3 : 1e-2).run();
    }
  }

  @Test
  void valuesMatchTheFormulas() {
    float[] x = {-2f, -0.5f, 0.5f, 2f};
    try (Scope s = Backends.current().scope(false)) {
      float[] relu = new Activation("relu").apply(Backends.ops().constant(x, 1, 4)).toFloatArray();
      assertArrayEquals(new float[] {0, 0, 0.5f, 2f}, relu, 1e-7f);
      float[] gelu = new Activation("gelu").apply(Backends.ops().constant(x, 1, 4)).toFloatArray();
      for (int i = 0; i < 4; i++) {
        double v = x[i];
        double expected = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI)
            * (v + 0.044715 * v * v * v)));
        assertTrue(Math.abs(gelu[i] - expected) < 1e-6, "gelu(" + v + ")");
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
  void unknownActivationNamesTheChoices() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Activation("relu6x"));
    assertTrue(e.getMessage().contains("relu6x") && e.getMessage().contains("sigmoid"),
        e.getMessage());
  }
}
