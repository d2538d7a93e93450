package io.sparkeras.api.layers.attention;

import static io.sparkeras.api.backend.Backends.ops;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.layers.CallArgs;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerTestHarness;
import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.testing.KerasReference;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupQueryAttentionTest {

  @Test
  void harness() {
    LayerTestHarness.of(() -> new GroupQueryAttention(2, 4, 2)).inputShape(3, 5).inputShape(4, 5)
        .expectOutputShape(3, 5).run();
    LayerTestHarness.of(() -> new GroupQueryAttention(3, 2, 1).useBias(false)).inputShape(2, 4)
        .inputShape(3, 4).inputShape(3, 2).run();
  }

  @Test
  void matchesKeras() {
    for (String name : new String[] {"gqa_basic", "gqa_key_causal", "gqa_masked"}) {
      KerasReference.load(name).check();
    }
    KerasReference.load("gqa_key_causal").checkJsonRoundTrip();
  }

  @Test
  void weightsHaveKerasShapesAndOrder() {
    GroupQueryAttention g = new GroupQueryAttention(3, 4, 2);
    g.build(List.of(new int[] {5, 8}, new int[] {6, 8}, new int[] {6, 7}));
    int[][] expected = {{8, 4, 3}, {4, 3}, {7, 2, 3}, {2, 3}, {8, 2, 3}, {2, 3}, {4, 3, 8}, {8}};
    List<Variable> w = g.weights();
    assertEquals(expected.length, w.size());
    for (int i = 0; i < expected.length; i++) {
      assertArrayEquals(expected[i], w.get(i).shape(), w.get(i).path());
    }
    assertEquals("query/kernel", w.get(0).path());
    assertEquals("attention_output/bias", w.get(7).path());
  }

  @Test
  void oneKeyValueHeadServesEveryQueryHead() {
    // with one key/value head the query heads' scores all use the same keys
    GroupQueryAttention g = new GroupQueryAttention(2, 3, 1);
    try (Scope s = Backends.current().scope(false)) {
      Tensor x = ops().constant(new float[] {1, -1, 0.5f, 2, 0, 1}, 1, 3, 2);
      List<Tensor> out = g.applyAll(CallArgs.of(x, x).arg("return_attention_scores", true));
      assertArrayEquals(new int[] {1, 3, 3, 3}, out.get(1).shape());
      float[] p = out.get(1).toFloatArray();
      for (int row = 0; row < 9; row++) {
        float sum = p[row * 3] + p[row * 3 + 1] + p[row * 3 + 2];
        assertEquals(1f, sum, 1e-5f);
      }
    }
  }

  @Test
  void rejectsBadArgumentsNamingThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new GroupQueryAttention(2, 3, 2));
    assertTrue(e.getMessage().contains("divisible"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new GroupQueryAttention(0, 2, 1));
    assertTrue(e.getMessage().contains("head_dim"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new GroupQueryAttention(2, 2, 1)
        .build(List.of(new int[] {3, 4}, new int[] {3, 5})));
    assertTrue(e.getMessage().contains("same features"), e.getMessage());
    assertEquals("GroupQueryAttention",
        Layer.REGISTRY.classNameOf(new GroupQueryAttention(2, 2, 1)));
    assertTrue(Layer.REGISTRY.contains("GroupedQueryAttention"));
  }
}
