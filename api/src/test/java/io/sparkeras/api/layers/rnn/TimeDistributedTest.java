package io.sparkeras.api.layers.rnn;

import static io.sparkeras.api.backend.Backends.ops;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.layers.LayerTestHarness;
import io.sparkeras.api.layers.convolutional.Conv2D;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.testing.KerasReference;
import org.junit.jupiter.api.Test;

class TimeDistributedTest {

  @Test
  void harness() {
    LayerTestHarness.of(() -> new TimeDistributed(new Dense(3).activation("tanh")))
        .inputShape(4, 2).expectOutputShape(4, 3).run();
    LayerTestHarness.of(() -> new TimeDistributed(new Conv2D(2, 2))).inputShape(2, 3, 3, 1)
        .expectOutputShape(2, 2, 2, 2).run();
  }

  @Test
  void matchesKeras() {
    for (String name : new String[] {"time_distributed_dense", "time_distributed_conv2d",
        "time_distributed_masked", "time_distributed_dense_tfkeras2"}) {
      KerasReference.load(name).check();
    }
    KerasReference.load("time_distributed_conv2d").checkJsonRoundTrip();
  }

  @Test
  void eachStepGoesThroughTheSameLayer() {
    Dense d = new Dense(2);
    TimeDistributed t = new TimeDistributed(d);
    try (Scope s = Backends.current().scope(false)) {
      Tensor x = ops().constant(new float[] {1, 2, 3, 4, 5, 6}, 1, 3, 2);
      float[] y = t.apply(x).toFloatArray();
      for (int step = 0; step < 3; step++) {
        float[] one = d.apply(ops().slice(x, 1, step, 1)).toFloatArray();
        assertArrayEquals(one, java.util.Arrays.copyOfRange(y, step * 2, step * 2 + 2), 1e-6f);
      }
    }
    assertEquals(2, t.weights().size());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new TimeDistributed(new Dense(2)).build(new int[] {3}));
    assertTrue(e.getMessage().contains("(None, steps, ...)"), e.getMessage());
  }
}
