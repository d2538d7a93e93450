package io.sparkeras.api.regularizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.initializers.Constant;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.LayerTestHarness;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.layers.regularization.ActivityRegularization;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.optimizers.SGD;
import io.sparkeras.api.testing.KerasReference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegularizersTest {

  /** Keras's training loss: mse + model.losses (activity regularizers, then weight ones). */
  @Test
  void trainingLossMatchesKeras() {
    KerasReference ref = KerasReference.load("regularizers_loss");
    Model m = ref.model();
    m.compile(new SGD(0.1), Losses.mse());
    JsonNode extra = ref.extra();
    NDArray y = NDArray.of(KerasReference.floats(extra.get("y").get("values")), 4, 3);
    double loss = m.evaluate(ref.inputs(), List.of(y), 4).get("loss");
    double keras = extra.get("total").asDouble();
    double err = Math.abs(loss - keras) / Math.max(1, Math.abs(keras));
    assertTrue(err < 1e-5, "loss " + loss + ", Keras " + keras);
    ref.record(err);
    ref.check();
  }

  @Test
  void penaltiesFollowTheirFormulas() {
    float[] w = {1, -2, 3, -4};
    try (Scope s = Backends.current().scope(false)) {
      var t = Backends.ops().constant(w, 2, 2);
      assertEquals(0.01 * 10, new L1().call(t).item(), 1e-6);
      assertEquals(0.5 * 30, new L2(0.5).call(t).item(), 1e-5);
      assertEquals(0.1 * 10 + 0.2 * 30, new L1L2(0.1, 0.2).call(t).item(), 1e-5);
      // rows (1, -2) and (3, -4): |cos| = 11 / (sqrt(5) * 5), one pair
      assertEquals(0.01 * 0.5 * 2 * 11 / (Math.sqrt(5) * 5), new OrthogonalRegularizer()
          .call(t).item(), 1e-7);
    }
  }

  @Test
  void theGradientIncludesTheWeightPenalty() {
    // loss = mean((x W)^2) with x = 0 is 0: the whole gradient is the L2 term, 2 * l2 * W
    Sequential m = new Sequential(Input.of(2), new Dense(2).useBias(false)
        .kernelInitializer(new Constant(0.5)).kernelRegularizer(new L2(0.1)));
    m.compile(new SGD(1.0), Losses.mse());
    m.computeGradients(io.sparkeras.api.data.Batch.of(NDArray.of(new float[2], 1, 2),
        NDArray.of(new float[2], 1, 2)));
    float[] g = new float[4];
    m.parameterBlock().gradients().get(0, g);
    assertArrayEquals(new float[] {0.1f, 0.1f, 0.1f, 0.1f}, g, 1e-7f);
  }

  @Test
  void namesAndConfigsRoundTrip() {
    assertEquals(new L2(0.01), Regularizer.get("l2"));
    assertEquals(new L1(0.01), Regularizer.get("L1"));
    assertEquals(new L1L2(0, 0), Regularizer.get("l1l2"));
    assertEquals(new OrthogonalRegularizer(), Regularizer.get("orthogonal_regularizer"));
    for (Regularizer r : List.of(new L1(0.3), new L2(0.2), new L1L2(0.1, 0.4),
        new OrthogonalRegularizer(0.5, "columns"))) {
      assertEquals(r, Regularizer.get(Regularizer.REGISTRY.serialize(r)));
    }
    assertEquals(new L2(0.25), Regularizer.get(Map.of("class_name", "L2",
        "config", Map.of("l2", 0.25))));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new L2(-1));
    assertTrue(e.getMessage().contains("l2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Regularizer.get("l3"));
    assertTrue(e.getMessage().contains("'l3'") && e.getMessage().contains("L1L2"),
        e.getMessage());
  }

  @Test
  void activityRegularizationLayer() {
    LayerTestHarness.of(() -> new ActivityRegularization(0.1, 0.2)).inputShape(3).run();
    LayerTestHarness.of(() -> new Dense(3).activityRegularizer(new L1(0.1))
        .kernelRegularizer(new L2(0.2))).inputShape(4).run();
  }
}
