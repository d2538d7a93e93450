package io.sparkeras.api.layers.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerTestHarness;
import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.testing.KerasReference;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LSTMTest {

  @Test
  void harness() {
    LayerTestHarness.of(() -> new LSTM(3)).inputShape(4, 2).expectOutputShape(3).run();
    LayerTestHarness.of(() -> new LSTM(2).returnSequences(true).goBackwards(true))
        .inputShape(3, 3).expectOutputShape(3, 2).run();
    LayerTestHarness.of(() -> new LSTM(2).useBias(false).unitForgetBias(false)).inputShape(2, 3)
        .run();
  }

  @Test
  void weightsHaveKerasNamesShapesAndOrder() {
    LSTM l = new LSTM(5);
    l.build(new int[] {-1, 3});
    List<Variable> w = l.weights();
    assertEquals(3, w.size());
    assertEquals("kernel", w.get(0).name());
    assertArrayEquals(new int[] {3, 20}, w.get(0).shape());
    assertEquals("recurrent_kernel", w.get(1).name());
    assertArrayEquals(new int[] {5, 20}, w.get(1).shape());
    assertEquals("bias", w.get(2).name());
    assertArrayEquals(new int[] {20}, w.get(2).shape());
    float[] expected = new float[20];
    java.util.Arrays.fill(expected, 5, 10, 1f);
    assertArrayEquals(expected, w.get(2).numpy(), 0f, "unit_forget_bias: forget gate starts at 1");
    assertEquals(4 * 3 * 5 + 4 * 5 * 5 + 4 * 5, l.countParams());
  }

  @Test
  void matchesKeras() {
    for (String name : new String[] {"lstm_sequences", "lstm_backwards_no_bias",
        "lstm_return_state", "lstm_initial_state_return_state", "lstm_masked_sequences"}) {
      KerasReference.load(name).check();
    }
    KerasReference.load("lstm_initial_state_return_state").checkJsonRoundTrip();
  }

  @Test
  void readsTfKeras2Configs() {
    // time_major and implementation keys, no module, initial states as extra inputs
    KerasReference.load("lstm_sequences_tfkeras2").check();
    KerasReference.load("lstm_initial_state_return_state_tfkeras2").check();
  }

  @Test
  void oneStepByHand() {
    // 1 feature, 1 unit: gates i, f, c, o get kernel 0.1, 0.2, 0.3, 0.4, recurrent 0 (h0 = 0
    // anyway), bias 0, 0.5, 0, -0.5
    LSTM l = new LSTM(1);
    float[] x = {2f};
    float[] y = run(l, x, new int[] {1, 1, 1}, List.of(new float[] {0.1f, 0.2f, 0.3f, 0.4f},
        new float[] {0, 0, 0, 0}, new float[] {0, 0.5f, 0, -0.5f}));
    double i = RecurrentReference.sigmoid(0.2);
    double g = Math.tanh(0.6);
    double o = RecurrentReference.sigmoid(0.8 - 0.5);
    double c = i * g; // f * c0 = 0
    assertEquals(o * Math.tanh(c), y[0], 1e-6);
  }

  @Test
  void matchesKerasEquationsOverThreeSteps() {
    int batch = 2;
    int steps = 3;
    int features = 2;
    int units = 3;
    float[] k = RecurrentReference.values(features * 4 * units, 1, 0.8);
    float[] rk = RecurrentReference.values(units * 4 * units, 2, 0.8);
    float[] b = RecurrentReference.values(4 * units, 3, 0.5);
    float[] x = RecurrentReference.values(batch * steps * features, 4, 1.0);
    for (boolean backwards : new boolean[] {false, true}) {
      for (boolean sequences : new boolean[] {false, true}) {
        LSTM l = new LSTM(units).goBackwards(backwards).returnSequences(sequences);
        float[] y = run(l, x, new int[] {batch, steps, features}, List.of(k, rk, b));
        double[][][] ref = RecurrentReference.lstm(RecurrentReference.cube(x, batch, steps,
            features), RecurrentReference.matrix(k, features, 4 * units),
            RecurrentReference.matrix(rk, units, 4 * units), RecurrentReference.vector(b), units,
            backwards);
        assertArrayEquals(RecurrentReference.flatten(ref, sequences), y, 1e-5f,
            "backwards=" + backwards + " sequences=" + sequences);
      }
    }
  }

  @Test
  void constantWeightsMatchTheReference() {
    float[] k = new float[2 * 8];
    float[] rk = new float[2 * 8];
    float[] b = new float[8];
    java.util.Arrays.fill(k, 0.5f);
    java.util.Arrays.fill(rk, -0.25f);
    java.util.Arrays.fill(b, 0.1f);
    float[] x = {1, -1, 0.5f, 2, -0.3f, 0.7f};
    float[] y = run(new LSTM(2), x, new int[] {1, 3, 2}, List.of(k, rk, b));
    double[][][] ref = RecurrentReference.lstm(RecurrentReference.cube(x, 1, 3, 2),
        RecurrentReference.matrix(k, 2, 8), RecurrentReference.matrix(rk, 2, 8),
        RecurrentReference.vector(b), 2, false);
    assertArrayEquals(RecurrentReference.flatten(ref, false), y, 1e-6f);
  }

  @Test
  void unknownStepsInShapes() {
    LSTM l = new LSTM(4).returnSequences(true);
    assertArrayEquals(new int[] {-1, 4}, l.computeOutputShape(new int[] {-1, 3}));
    KerasTensor out = l.apply(Input.of(-1, 3));
    assertArrayEquals(new int[] {-1, 4}, out.shape());
    try (Scope s = Backends.current().scope(false)) {
      assertArrayEquals(new int[] {2, 7, 4},
          l.apply(Backends.ops().zeros(2, 7, 3)).shape());
    }
    assertArrayEquals(new int[] {4}, new LSTM(4).computeOutputShape(new int[] {-1, 3}));
  }

  @Test
  void rejectsWrongRankNamingLayerAndShape() {
    LSTM l = new LSTM(2);
    l.name("seq_lstm");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> l.build(new int[] {5}));
    assertTrue(e.getMessage().contains("seq_lstm") && e.getMessage().contains("(None, 5)")
        && e.getMessage().contains("steps, features"), e.getMessage());
  }

  @Test
  void rejectsUnsupportedSettingsByKey() {
    assertRejects("stateful", true);
    assertRejects("kernel_regularizer", "l2");
    assertRejects("time_major", true);
    assertRejects("dropout", -0.2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new LSTM(2).stateful(true));
    assertTrue(e.getMessage().contains("stateful") && e.getMessage().contains("not supported"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new LSTM(0));
    // supported since masks, states and dropout came: accepted and kept in the config
    Map<String, Object> c = new HashMap<>(new LSTM(2).getConfig());
    c.put("dropout", 0.2);
    c.put("recurrent_dropout", 0.1);
    c.put("return_state", true);
    c.put("time_major", false);
    Map<String, Object> back = Layer.REGISTRY.create("LSTM", c).getConfig();
    assertEquals(0.2, back.get("dropout"));
    assertEquals(0.1, back.get("recurrent_dropout"));
    assertEquals(true, back.get("return_state"));
  }

  @Test
  void configHasKerasKeysAndDefaults() {
    Map<String, Object> c = new LSTM(8).getConfig();
    assertEquals(8, c.get("units"));
    assertEquals("tanh", c.get("activation"));
    assertEquals("sigmoid", c.get("recurrent_activation"));
    assertEquals(true, c.get("use_bias"));
    assertEquals(true, c.get("unit_forget_bias"));
    assertEquals(false, c.get("return_sequences"));
    assertEquals(false, c.get("go_backwards"));
    assertEquals(0.0, c.get("dropout"));
    assertEquals("GlorotUniform", ((Map<?, ?>) c.get("kernel_initializer")).get("class_name"));
    assertEquals("Orthogonal", ((Map<?, ?>) c.get("recurrent_initializer")).get("class_name"));
    assertEquals("Zeros", ((Map<?, ?>) c.get("bias_initializer")).get("class_name"));
    for (String key : new String[] {"return_state", "stateful", "unroll", "zero_output_for_mask",
        "recurrent_dropout", "seed", "kernel_constraint", "activity_regularizer"}) {
      assertTrue(c.containsKey(key), key);
    }
    // a Keras-written config with only a few keys
    Map<String, Object> keras = new HashMap<>();
    keras.put("units", 3);
    keras.put("return_sequences", true);
    keras.put("use_cudnn", "auto");
    LSTM l = (LSTM) Layer.REGISTRY.create("LSTM", keras);
    assertEquals(3, l.units());
    assertTrue(l.isReturnSequences());
  }

  private static void assertRejects(String key, Object value) {
    Map<String, Object> c = new HashMap<>(new LSTM(2).getConfig());
    c.put(key, value);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Layer.REGISTRY.create("LSTM", c), key);
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }

  static float[] run(io.sparkeras.api.layers.Layer l, float[] x, int[] shape,
      List<float[]> weights) {
    try (Scope s = Backends.current().scope(false)) {
      l.apply(Backends.ops().constant(x, shape));
    }
    l.setWeights(weights);
    try (Scope s = Backends.current().scope(false)) {
      return l.apply(Backends.ops().constant(x, shape)).toFloatArray();
    }
  }
}
