package io.sparkeras.api.layers.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerTestHarness;
import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.testing.KerasReference;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GRUTest {

  @Test
  void harness() {
    LayerTestHarness.of(() -> new GRU(3)).inputShape(4, 2).expectOutputShape(3).run();
    LayerTestHarness.of(() -> new GRU(2).returnSequences(true).goBackwards(true))
        .inputShape(3, 3).expectOutputShape(3, 2).run();
    LayerTestHarness.of(() -> new GRU(2).resetAfter(false)).inputShape(3, 2).run();
    LayerTestHarness.of(() -> new GRU(2).useBias(false)).inputShape(2, 2).run();
  }

  @Test
  void weightsHaveKerasNamesShapesAndOrder() {
    GRU g = new GRU(4);
    g.build(new int[] {-1, 3});
    List<Variable> w = g.weights();
    assertEquals(List.of("kernel", "recurrent_kernel", "bias"),
        w.stream().map(Variable::name).toList());
    assertArrayEquals(new int[] {3, 12}, w.get(0).shape());
    assertArrayEquals(new int[] {4, 12}, w.get(1).shape());
    assertArrayEquals(new int[] {2, 12}, w.get(2).shape(), "reset_after bias is [2, 3 * units]");
    GRU before = new GRU(4).resetAfter(false);
    before.build(new int[] {-1, 3});
    assertArrayEquals(new int[] {12}, before.bias().shape());
  }

  @Test
  void matchesKeras() {
    for (String name : new String[] {"gru_reset_after", "gru_reset_before_sequences_backwards",
        "gru_initial_state", "gru_masked_last", "gru_reset_before_sequences_backwards_tfkeras2"}) {
      KerasReference.load(name).check();
    }
    KerasReference.load("gru_initial_state").checkJsonRoundTrip();
  }

  @Test
  void oneStepByHand() {
    // 1 feature, 1 unit, x = 1, h0 = 0: input side z, r, h = 0.2, -0.1, 0.5 (kernel) + 0.1, 0, 0.3
    // (bias row 0); recurrent side = bias row 1 only = 0.05, 0.4, -0.2
    GRU g = new GRU(1);
    float[] y = LSTMTest.run(g, new float[] {1f}, new int[] {1, 1, 1}, List.of(
        new float[] {0.2f, -0.1f, 0.5f}, new float[] {0.7f, 0.7f, 0.7f},
        new float[] {0.1f, 0f, 0.3f, 0.05f, 0.4f, -0.2f}));
    double z = RecurrentReference.sigmoid(0.3 + 0.05);
    double r = RecurrentReference.sigmoid(-0.1 + 0.4);
    double hh = Math.tanh(0.8 + r * -0.2);
    assertEquals((1 - z) * hh, y[0], 1e-6);
  }

  @Test
  void matchesKerasEquationsOverThreeSteps() {
    int batch = 2;
    int steps = 3;
    int features = 2;
    int units = 3;
    float[] k = RecurrentReference.values(features * 3 * units, 11, 0.8);
    float[] rk = RecurrentReference.values(units * 3 * units, 12, 0.8);
    float[] b2 = RecurrentReference.values(2 * 3 * units, 13, 0.5);
    float[] x = RecurrentReference.values(batch * steps * features, 14, 1.0);
    double[][][] xs = RecurrentReference.cube(x, batch, steps, features);
    double[][] km = RecurrentReference.matrix(k, features, 3 * units);
    double[][] rkm = RecurrentReference.matrix(rk, units, 3 * units);
    for (boolean resetAfter : new boolean[] {true, false}) {
      for (boolean backwards : new boolean[] {false, true}) {
        for (boolean sequences : new boolean[] {false, true}) {
          GRU g = new GRU(units).resetAfter(resetAfter).goBackwards(backwards)
              .returnSequences(sequences);
          float[] b = resetAfter ? b2 : java.util.Arrays.copyOf(b2, 3 * units);
          float[] y = LSTMTest.run(g, x, new int[] {batch, steps, features}, List.of(k, rk, b));
          double[][] bm = RecurrentReference.matrix(b, resetAfter ? 2 : 1, 3 * units);
          double[][][] ref = RecurrentReference.gru(xs, km, rkm, bm, units, resetAfter, backwards);
          assertArrayEquals(RecurrentReference.flatten(ref, sequences), y, 1e-5f,
              "reset_after=" + resetAfter + " backwards=" + backwards + " sequences=" + sequences);
        }
      }
    }
  }

  @Test
  void constantWeightsMatchTheReference() {
    float[] k = new float[2 * 6];
    float[] rk = new float[2 * 6];
    float[] b = new float[2 * 6];
    java.util.Arrays.fill(k, 0.3f);
    java.util.Arrays.fill(rk, 0.6f);
    java.util.Arrays.fill(b, -0.2f);
    float[] x = {1, -1, 0.5f, 2, -0.3f, 0.7f};
    float[] y = LSTMTest.run(new GRU(2), x, new int[] {1, 3, 2}, List.of(k, rk, b));
    double[][][] ref = RecurrentReference.gru(RecurrentReference.cube(x, 1, 3, 2),
        RecurrentReference.matrix(k, 2, 6), RecurrentReference.matrix(rk, 2, 6),
        RecurrentReference.matrix(b, 2, 6), 2, true, false);
    assertArrayEquals(RecurrentReference.flatten(ref, false), y, 1e-6f);
  }

  @Test
  void configHasKerasKeysAndRejectsUnsupported() {
    Map<String, Object> c = new GRU(5).getConfig();
    assertEquals(true, c.get("reset_after"));
    assertEquals(5, c.get("units"));
    assertTrue(!c.containsKey("unit_forget_bias"));
    Map<String, Object> bad = new HashMap<>(c);
    bad.put("recurrent_dropout", 1.5);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Layer.REGISTRY.create("GRU", bad));
    assertTrue(e.getMessage().contains("recurrent_dropout") && e.getMessage().contains("GRU")
        && e.getMessage().contains("1.5"), e.getMessage());
    Map<String, Object> good = new HashMap<>(c);
    good.put("recurrent_dropout", 0.3);
    assertEquals(0.3, Layer.REGISTRY.create("GRU", good).getConfig().get("recurrent_dropout"));
    Map<String, Object> keras = new HashMap<>();
    keras.put("units", 2);
    keras.put("reset_after", false);
    assertTrue(!((GRU) Layer.REGISTRY.create("GRU", keras)).isResetAfter());
  }

  @Test
  void rejectsWrongRank() {
    GRU g = new GRU(2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> g.computeOutputShape(new int[] {2, 3, 4}));
    assertTrue(e.getMessage().contains("GRU") && e.getMessage().contains("(None, 2, 3, 4)"),
        e.getMessage());
  }
}
