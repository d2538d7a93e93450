package io.sparkeras.api.layers.rnn;

import static io.sparkeras.api.backend.Backends.ops;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.layers.CallArgs;
import io.sparkeras.api.testing.KerasReference;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Masks in recurrent layers: used at masked steps, passed on along the graph as Keras does. */
class RecurrentMasksTest {

  @Test
  void matchesKeras() {
    for (String name : new String[] {"masked_explicit_stays", "masked_stack_flowing",
        "masked_pooling", "masked_dense_then_lstm"}) {
      KerasReference.load(name).check();
    }
    // a nested functional model: Keras numbers its calls from 1, in and out
    KerasReference.load("masked_stack_flowing").checkJsonRoundTrip();
  }

  /** At a masked step the state is kept and the output repeats it (zeros if asked). */
  @Test
  void maskedStepsKeepTheStateAndRepeatTheOutput() {
    SimpleRNN r = new SimpleRNN(1).activation("linear").useBias(false).returnSequences(true);
    try (Scope s = Backends.current().scope(false)) {
      Tensor x = ops().constant(new float[] {1, 10, 100, 1000}, 1, 4, 1);
      Tensor mask = ops().constant(new float[] {1, 0, 1, 0}, 1, 4);
      r.apply(x, false);
      r.setWeights(List.of(new float[] {1}, new float[] {1}));
      // h = x + h: 1, (masked: 1), 101, (masked: 101)
      assertArrayEquals(new float[] {1, 1, 101, 101},
          r.applyAll(CallArgs.of(x).mask(mask)).get(0).toFloatArray(), 1e-4f);
      r.zeroOutputForMask(true);
      assertArrayEquals(new float[] {1, 0, 101, 0},
          r.applyAll(CallArgs.of(x).mask(mask)).get(0).toFloatArray(), 1e-4f);
    }
  }
}
