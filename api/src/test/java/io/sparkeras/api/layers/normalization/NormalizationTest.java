package io.sparkeras.api.layers.normalization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.LayerTestHarness;
import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.testing.KerasReference;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GroupNormalization, UnitNormalization, RMSNormalization, SpectralNormalization (and
 * BatchNormalization, LayerNormalization with rms_scaling) against Keras, at inference and in
 * training.
 */
class NormalizationTest {

  @Test
  void inferenceMatchesKeras() {
    KerasReference.load("normalization").check();
  }

  /** One training call: batch statistics, moving averages, the power iteration, all as Keras. */
  @Test
  void trainingCallMatchesKeras() {
    KerasReference ref = KerasReference.load("normalization_training");
    Model m = ref.model();
    JsonNode extra = ref.extra();
    NDArray x = ref.inputs().get(0);
    try (Scope s = Backends.current().scope(false)) {
      List<Tensor> outs = m.callAll(List.of(Backends.ops().constant(x.toArray(), x.shape())),
          true);
      assertEquals(extra.get("outputs").size(), outs.size());
      for (int i = 0; i < outs.size(); i++) {
        ref.checkExtra("training output " + i, extra.get("outputs").get(i), arrayOf(outs.get(i)),
            1e-5);
      }
    }
    List<Variable> ws = m.weights();
    for (int i = 0; i < ws.size(); i++) {
      Variable v = ws.get(i);
      ref.checkExtra(v.path() + " after the call", extra.get("weights").get(i),
          NDArray.of(v.numpy(), v.shape()), 1e-5);
    }
  }

  private static NDArray arrayOf(Tensor t) {
    return NDArray.of(t.toFloatArray(), t.shape());
  }

  @Test
  void harness() {
    LayerTestHarness.of(() -> new GroupNormalization(2)).inputShape(3, 4).run();
    LayerTestHarness.of(() -> new GroupNormalization(-1).axis(1)).inputShape(2, 3).run();
    LayerTestHarness.of(UnitNormalization::new).inputShape(4).run();
    LayerTestHarness.of(() -> new UnitNormalization(1, 2)).inputShape(2, 3).run();
    LayerTestHarness.of(RMSNormalization::new).inputShape(2, 4).run();
    LayerTestHarness.of(() -> new LayerNormalization().rmsScaling(true)).inputShape(4).run();
    LayerTestHarness.of(() -> new SpectralNormalization(new Dense(3))).inputShape(4)
        .expectOutputShape(3).run();
  }

  @Test
  void badSettingsNameTheArgument() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new GroupNormalization(4).build(new int[] {6}));
    assertTrue(e.getMessage().contains("6 channels") && e.getMessage().contains("4"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new SpectralNormalization(new Dense(2)).powerIterations(0));
    assertTrue(e.getMessage().contains("power_iterations"), e.getMessage());
  }
}
