package io.sparkeras.api.layers.rnn;

import static io.sparkeras.api.backend.Backends.ops;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.layers.CallArgs;
import io.sparkeras.api.layers.LayerTestHarness;
import io.sparkeras.api.testing.KerasReference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimpleRNNTest {

  @Test
  void harness() {
    LayerTestHarness.of(() -> new SimpleRNN(3)).inputShape(4, 2).expectOutputShape(3).run();
    LayerTestHarness.of(() -> new SimpleRNN(2).returnSequences(true).goBackwards(true)
        .activation("relu")).inputShape(3, 3).expectOutputShape(3, 2).run();
  }

  @Test
  void matchesKeras() {
    for (String name : new String[] {"simple_rnn_last", "simple_rnn_sequences_backwards",
        "simple_rnn_masked_backwards", "simple_rnn_last_tfkeras2"}) {
      KerasReference.load(name).check();
    }
  }

  @Test
  void configHasKerasKeys() {
    Map<String, Object> c = new SimpleRNN(4).getConfig();
    assertEquals(4, c.get("units"));
    assertFalse(c.containsKey("recurrent_activation") || c.containsKey("seed")
        || c.containsKey("cell"), c.toString());
    assertTrue(c.containsKey("activity_regularizer") && c.containsKey("zero_output_for_mask"));
    Map<String, Object> cell = new SimpleRNNCell(4).getConfig();
    assertTrue(cell.containsKey("seed") && !cell.containsKey("activity_regularizer"));
  }

  /** One input dropout mask per sequence: with identity weights every step shows the same mask. */
  @Test
  void dropoutDrawsOneMaskPerSequenceInTrainingOnly() {
    SimpleRNN r = new SimpleRNN(6).activation("linear").returnSequences(true).useBias(false)
        .dropout(0.5);
    float[] eye = new float[36];
    for (int i = 0; i < 6; i++) {
      eye[i * 7] = 1;
    }
    try (Scope s = Backends.current().scope(false)) {
      Tensor ones = ops().ones(3, 4, 6);
      r.apply(ones, false);
      r.setWeights(List.of(eye, new float[36]));
      assertArrayEquals(ones.toFloatArray(), r.apply(ones, false).toFloatArray(), 0f,
          "no dropout in inference");
      float[] y = r.apply(ones, true).toFloatArray();
      int dropped = 0;
      for (int b = 0; b < 3; b++) {
        for (int f = 0; f < 6; f++) {
          float first = y[b * 24 + f];
          assertTrue(first == 0f || first == 2f, "inverted dropout keeps 1 / (1 - 0.5)");
          dropped += first == 0f ? 1 : 0;
          for (int t = 1; t < 4; t++) {
            assertEquals(first, y[b * 24 + t * 6 + f], "step " + t + " reuses step 0's mask");
          }
        }
      }
      assertTrue(dropped > 0 && dropped < 18, "some but not all dropped: " + dropped);
    }
  }

  /** Recurrent dropout: h_t = (h_{t-1} * m) @ I with one mask m, so h_t = 2^t or 0 per unit. */
  @Test
  void recurrentDropoutReusesItsMaskToo() {
    SimpleRNN r = new SimpleRNN(8).activation("linear").returnSequences(true).useBias(false)
        .recurrentDropout(0.5);
    float[] eye = new float[64];
    for (int i = 0; i < 8; i++) {
      eye[i * 9] = 1;
    }
    try (Scope s = Backends.current().scope(false)) {
      Tensor x = ops().zeros(2, 3, 1);
      r.apply(x, false);
      r.setWeights(List.of(new float[8], eye));
      List<Tensor> out = r.applyAll(CallArgs.of(x).training(true)
          .arg("initial_state", List.of(ops().ones(2, 8))));
      float[] y = out.get(0).toFloatArray();
      for (int b = 0; b < 2; b++) {
        for (int u = 0; u < 8; u++) {
          float first = y[b * 24 + u];
          for (int t = 0; t < 3; t++) {
            float v = y[b * 24 + t * 8 + u];
            assertEquals(first == 0 ? 0 : (float) Math.pow(2, t + 1), v, 1e-5f);
          }
        }
      }
    }
  }
}
