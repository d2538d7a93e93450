package io.sparkeras.api.layers.attention;

import static io.sparkeras.api.backend.Backends.ops;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.layers.CallArgs;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerTestHarness;
import io.sparkeras.api.testing.KerasReference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Attention and AdditiveAttention (Keras's attention_test.py, additive_attention_test.py). */
class AttentionTest {

  @Test
  void harness() {
    LayerTestHarness.of(() -> new Attention().useScale(true)).inputShape(3, 4).inputShape(5, 4)
        .expectOutputShape(3, 4).run();
    LayerTestHarness.of(() -> new Attention().scoreMode("concat")).inputShape(2, 3)
        .inputShape(4, 3).inputShape(4, 3).run();
    LayerTestHarness.of(AdditiveAttention::new).inputShape(3, 2).inputShape(2, 2)
        .expectOutputShape(3, 2).run();
  }

  @Test
  void matchesKeras() {
    for (String name : new String[] {"attention_dot", "attention_scaled_causal_scores",
        "attention_concat", "attention_masked", "attention_value_mask", "additive_attention",
        "additive_attention_masked_no_scale"}) {
      KerasReference.load(name).check();
    }
    KerasReference.load("attention_masked").checkJsonRoundTrip();
  }

  @Test
  void softmaxOfDotProductsByHand() {
    Attention a = new Attention();
    try (Scope s = Backends.current().scope(false)) {
      Tensor q = ops().constant(new float[] {1, 0}, 1, 1, 2);
      Tensor v = ops().constant(new float[] {2, 0, 0, 1}, 1, 2, 2);
      // scores q.v = (2, 0); weights softmax; output = weights @ v
      double w0 = Math.exp(2) / (Math.exp(2) + 1);
      List<Tensor> out = a.applyAll(CallArgs.of(q, v).arg("return_attention_scores", true));
      assertArrayEquals(new float[] {(float) w0, (float) (1 - w0)}, out.get(1).toFloatArray(),
          1e-6f);
      assertArrayEquals(new float[] {(float) (2 * w0), (float) (1 - w0)},
          out.get(0).toFloatArray(), 1e-6f);
      // masking the first value leaves the second alone; masking the query zeroes the output
      Tensor vm = ops().constant(new float[] {0, 1}, 1, 2);
      Tensor qm = ops().constant(new float[] {0}, 1, 1);
      assertArrayEquals(new float[] {0, 1}, a.applyAll(CallArgs.of(q, v)
          .masks(java.util.Arrays.asList(null, vm))).get(0).toFloatArray(), 1e-6f);
      assertArrayEquals(new float[] {0, 0}, a.applyAll(CallArgs.of(q, v)
          .masks(java.util.Arrays.asList(qm, vm))).get(0).toFloatArray(), 1e-6f);
    }
  }

  @Test
  void symbolicCallsWithArguments() {
    KerasTensor q = Input.of(3, 4);
    KerasTensor v = Input.of(5, 4);
    List<KerasTensor> out = new Attention().applyAll(List.of(q, v),
        Map.of("return_attention_scores", true, "use_causal_mask", true));
    assertArrayEquals(new int[] {3, 4}, out.get(0).shape());
    assertArrayEquals(new int[] {3, 5}, out.get(1).shape());
  }

  @Test
  void configsFollowKeras() {
    Map<String, Object> a = new Attention().getConfig();
    assertEquals(false, a.get("use_scale"));
    assertEquals("dot", a.get("score_mode"));
    Map<String, Object> add = new AdditiveAttention().getConfig();
    assertEquals(true, add.get("use_scale"));
    assertFalse(add.containsKey("score_mode"));
    AdditiveAttention back = (AdditiveAttention) Layer.REGISTRY.create("AdditiveAttention",
        Map.of("use_scale", false, "dropout", 0.1));
    assertFalse(back.isUseScale());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Attention().scoreMode("cosine"));
    assertTrue(e.getMessage().contains("score_mode") && e.getMessage().contains("cosine"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Attention().apply(Input.of(3, 4)));
    assertTrue(e.getMessage().contains("[query, value]"), e.getMessage());
  }
}
