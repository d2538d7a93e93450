package io.sparkeras.api.constraints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.optimizers.SGD;
import io.sparkeras.api.testing.KerasReference;
import java.nio.FloatBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConstraintsTest {

  /** One real Keras SGD step with given gradients: the update, then every constraint. */
  @Test
  void optimizerStepMatchesKeras() {
    KerasReference ref = KerasReference.load("constraints_step");
    Model m = ref.model();
    m.compile(new SGD(0.1), Losses.mse());
    JsonNode extra = ref.extra();
    FloatBuffer g = m.parameterBlock().gradients();
    int at = 0;
    for (JsonNode grad : extra.get("gradients")) {
      float[] v = KerasReference.floats(grad.get("values"));
      g.put(at, v);
      at += v.length;
    }
    m.applyGradients();
    List<Variable> ws = m.weights();
    double worst = 0;
    for (int i = 0; i < ws.size(); i++) {
      float[] keras = KerasReference.floats(extra.get("after").get(i).get("values"));
      float[] ours = ws.get(i).numpy();
      for (int k = 0; k < keras.length; k++) {
        double err = Math.abs(ours[k] - keras[k]) / Math.max(1, Math.abs(keras[k]));
        if (err > 1e-5) {
          fail(ws.get(i).path() + "[" + k + "]: Keras " + keras[k] + ", ours " + ours[k]);
        }
        worst = Math.max(worst, err);
      }
    }
    ref.record(worst);
  }

  @Test
  void constraintsRoundTripAndNameTheirRanges() {
    for (Constraint c : List.of(new MaxNorm(3.0, 1), new MaxNorm(2.0, 0, 1, 2),
        new MinMaxNorm(0.1, 0.9, 0.5, 0), new UnitNorm(-1), new NonNeg())) {
      assertEquals(c, Constraint.get(Constraint.REGISTRY.serialize(c)));
    }
    assertEquals(new MaxNorm(), Constraint.get("max_norm"));
    assertEquals(new NonNeg(), Constraint.get("NonNeg"));
    Sequential m = new Sequential(Input.of(3), new Dense(4).kernelConstraint(new MaxNorm(1.0, 0))
        .biasConstraint(new NonNeg()), new Dense(2));
    var ranges = m.constraintRanges();
    assertEquals(2, ranges.size());
    assertEquals("0:3x4:MaxNorm:max_value=1,axis=0", ranges.get(0).toString());
    assertEquals("12:4:NonNeg", ranges.get(1).toString());
  }

  @Test
  void anAxisOutsideTheWeightIsRejectedAtBuild() {
    Dense d = new Dense(4).kernelConstraint(new UnitNorm(2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Sequential(Input.of(3), d));
    assertTrue(e.getMessage().contains("kernel") && e.getMessage().contains("axis"),
        e.getMessage());
  }
}
