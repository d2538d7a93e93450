package io.sparkeras.api.layers.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.CallArgs;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.LayerTestHarness;
import io.sparkeras.api.layers.pooling.GlobalAveragePooling1D;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.testing.KerasReference;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Masking and Identity. */
class MaskingTest {

  @Test
  void matchesKeras() {
    KerasReference.load("identity_masking").check();
  }

  /** Keras's masked mean after Masking, with the mask flowing through the graph here. */
  @Test
  void theMaskReachesThePoolingAsInKeras() {
    KerasReference ref = KerasReference.load("masking_pooling");
    KerasTensor in = Input.of(5, 4);
    Masking masking = new Masking();
    Model m = new Model(in, new GlobalAveragePooling1D().apply(masking.apply(in)));
    ref.checkOutput(0, m.predict(ref.inputs().get(0)), 1e-5);
    try (Scope s = Backends.current().scope(false)) {
      NDArray x = ref.inputs().get(0);
      CallArgs args = CallArgs.of(Backends.ops().constant(x.toArray(), x.shape()));
      Tensor mask = masking.computeMask(args, masking.applyAll(args)).get(0);
      ref.checkOutput(1, NDArray.of(mask.toFloatArray(), mask.shape()), 0);
    }
  }

  @Test
  void harness() {
    LayerTestHarness.of(Identity::new).inputShape(3, 2).expectOutputShape(3, 2).run();
    LayerTestHarness.of(() -> new Masking(0.5)).inputShape(3, 2).expectOutputShape(3, 2).run();
  }

  @Test
  void zeroesTheMaskedSteps() {
    float[] x = {0, 0, 1, 2, -1, -1};
    try (Scope s = Backends.current().scope(false)) {
      float[] y = new Masking(-1).apply(Backends.ops().constant(x, 1, 3, 2)).toFloatArray();
      assertArrayEquals(new float[] {0, 0, 1, 2, 0, 0}, y, 0f);
    }
  }
}
