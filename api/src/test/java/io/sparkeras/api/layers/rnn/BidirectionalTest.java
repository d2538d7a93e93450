package io.sparkeras.api.layers.rnn;

import static io.sparkeras.api.backend.Backends.ops;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerTestHarness;
import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.testing.KerasReference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BidirectionalTest {

  @Test
  void harness() {
    LayerTestHarness.of(() -> new Bidirectional(new LSTM(2).returnSequences(true)))
        .inputShape(3, 2).expectOutputShape(3, 4).run();
    LayerTestHarness.of(() -> new Bidirectional(new GRU(2), "ave")).inputShape(3, 2)
        .expectOutputShape(2).run();
  }

  @Test
  void matchesKerasForEveryMergeMode() {
    for (String mode : new String[] {"concat", "sum", "mul", "ave", "none"}) {
      KerasReference.load("bidirectional_" + mode).check();
    }
    for (String name : new String[] {"bidirectional_masked_flowing", "bidirectional_gru_last",
        "bidirectional_backward_layer", "bidirectional_states"}) {
      KerasReference.load(name).check();
    }
    KerasReference.load("bidirectional_none").checkJsonRoundTrip();
    KerasReference.load("bidirectional_backward_layer").checkJsonRoundTrip();
  }

  @Test
  void readsTfKeras2ConfigWithAnInnerLayerWithoutModule() {
    KerasReference.load("bidirectional_gru_last_tfkeras2").check();
  }

  @Test
  void copiesTheLayerIntoForwardAndBackward() {
    LSTM l = new LSTM(3).returnSequences(true);
    l.name("enc");
    Bidirectional b = new Bidirectional(l, null);
    assertEquals("forward_enc", b.forwardLayer().getName());
    assertEquals("backward_enc", b.backwardLayer().getName());
    assertTrue(b.backwardLayer().isGoBackwards() && !b.forwardLayer().isGoBackwards());
    assertTrue(b.forwardLayer().isZeroOutputForMask(), "Keras forces zero_output_for_mask");
    List<KerasTensor> out = b.applyAll(List.of(Input.of(4, 2)), Map.of());
    assertEquals(2, out.size(), "merge_mode null: two outputs");
    List<Variable> w = b.weights();
    assertEquals(6, w.size());
    assertTrue(w.get(0) == b.forwardLayer().weights().get(0)
        && w.get(3) == b.backwardLayer().weights().get(0), "forward weights first");
    Map<String, Object> c = b.getConfig();
    assertNull(c.get("merge_mode"));
    assertEquals("LSTM", ((Map<?, ?>) c.get("backward_layer")).get("class_name"));
  }

  @Test
  void sumIsForwardPlusFlippedBackward() {
    Bidirectional b = new Bidirectional(new SimpleRNN(2).returnSequences(true), "sum");
    try (Scope s = Backends.current().scope(false)) {
      Tensor x = ops().ones(1, 3, 2);
      float[] y = b.apply(x).toFloatArray();
      float[] f = b.forwardLayer().apply(x).toFloatArray();
      float[] r = ops().flip(b.backwardLayer().apply(x), 1).toFloatArray();
      for (int i = 0; i < y.length; i++) {
        assertEquals(f[i] + r[i], y[i], 1e-6f);
      }
    }
  }

  @Test
  void rejectsBadSettingsNamingThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Bidirectional(new LSTM(2), "max"));
    assertTrue(e.getMessage().contains("merge_mode") && e.getMessage().contains("max"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Bidirectional(new LSTM(2), "sum", new LSTM(2)));
    assertTrue(e.getMessage().contains("go_backwards"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Bidirectional(new LSTM(2), "sum",
        new LSTM(2).goBackwards(true).returnSequences(true)));
    assertTrue(e.getMessage().contains("return_sequences"), e.getMessage());
    Map<String, Object> c = new java.util.HashMap<>(new Bidirectional(new GRU(2)).getConfig());
    c.put("layer", Layer.REGISTRY.serialize(new io.sparkeras.api.layers.core.Dense(2)));
    e = assertThrows(IllegalArgumentException.class,
        () -> Layer.REGISTRY.create("Bidirectional", c));
    assertTrue(e.getMessage().contains("'layer'") && e.getMessage().contains("Dense"),
        e.getMessage());
  }
}
