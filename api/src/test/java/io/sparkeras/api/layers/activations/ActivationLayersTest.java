package io.sparkeras.api.layers.activations;

import static io.sparkeras.api.layers.LayerTesting.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.initializers.Constant;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.LayerTestHarness;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.testing.KerasReference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ReLU, LeakyReLU, PReLU, ELU and Softmax: the harness, known values, Keras's numbers. */
class ActivationLayersTest {

  @Test
  void harness() {
    LayerTestHarness.of(ReLU::new).inputShape(5).epsilon(1e-3).run();
    LayerTestHarness.of(() -> new ReLU().maxValue(0.6).negativeSlope(0.1).threshold(0.2))
        .inputShape(4, 3).epsilon(1e-3).run();
    LayerTestHarness.of(() -> new LeakyReLU(0.05)).inputShape(5).epsilon(1e-3).run();
    LayerTestHarness.of(() -> new ELU(0.5)).inputShape(5).epsilon(1e-3).run();
    LayerTestHarness.of(() -> new PReLU().alphaInitializer(new Constant(0.25))).inputShape(3, 2)
        .epsilon(1e-3).run();
    LayerTestHarness.of(() -> new PReLU().sharedAxes(1)).inputShape(3, 2).epsilon(1e-3).run();
    LayerTestHarness.of(Softmax::new).inputShape(4).run();
    LayerTestHarness.of(() -> new Softmax(1, 2)).inputShape(3, 4).run();
    LayerTestHarness.of(() -> new Softmax(1)).inputShape(3, 4).expectOutputShape(3, 4).run();
  }

  @Test
  void reluOptionsOnKnownValues() {
    float[] x = {-10, -5, 0, 5, 10};
    // Keras's docstring examples
    assertArrayEquals(new float[] {0, 0, 0, 5, 10}, run(new ReLU(), false, x, 1, 5), 0f);
    assertArrayEquals(new float[] {-5, -2.5f, 0, 5, 10},
        run(new ReLU().negativeSlope(0.5), false, x, 1, 5), 0f);
    assertArrayEquals(new float[] {0, 0, 0, 5, 5}, run(new ReLU().maxValue(5.0), false, x, 1, 5),
        0f);
    assertArrayEquals(new float[] {0, 0, 0, 0, 10}, run(new ReLU().threshold(5), false, x, 1, 5),
        0f);
  }

  @Test
  void matchesKeras() {
    KerasReference.load("activation_layers").check();
  }

  @Test
  void softmaxMaskMatchesKeras() {
    // Keras's file passes the mask as the call's mask= argument
    KerasReference ref = KerasReference.load("softmax_mask");
    ref.check();
    KerasTensor x = Input.of(4, 8);
    KerasTensor mask = Input.of(4, 8);
    Model m = new Model(List.of(x, mask),
        new Softmax().applyAll(List.of(x), Map.of("mask", mask)));
    ref.check(m, 1e-5);
  }

  @Test
  void aStepMaskFromAnEmbeddingZeroesWholeSteps() {
    KerasTensor ids = Input.of(3);
    Model m = new Model(ids, new Softmax().apply(
        new io.sparkeras.api.layers.core.Embedding(5, 2).maskZero(true).apply(ids)));
    float[] y = m.predict(io.sparkeras.api.data.NDArray.of(new float[] {1, 0, 2}, 1, 3))
        .toArray();
    assertArrayEquals(new float[] {0, 0}, java.util.Arrays.copyOfRange(y, 2, 4), 0f);
    assertEquals(1.0, y[0] + y[1], 1e-6);
  }

  @Test
  void badSettingsNameTheArgument() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ReLU().maxValue(-1.0));
    assertTrue(e.getMessage().contains("max_value"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new LeakyReLU(-0.1));
    assertTrue(e.getMessage().contains("negative_slope"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new PReLU().sharedAxes(0));
    assertTrue(e.getMessage().contains("shared_axes"), e.getMessage());
  }
}
