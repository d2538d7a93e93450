package io.sparkeras.api.layers.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.CallArgs;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerTestHarness;
import io.sparkeras.api.layers.pooling.GlobalAveragePooling1D;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.testing.KerasReference;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddingTest {

  @Test
  void harness() {
    LayerTestHarness.of(() -> new Embedding(10, 4)).inputShape(5).integerInputs(10)
        .expectOutputShape(5, 4).run();
    LayerTestHarness.of(() -> new Embedding(7, 3)).inputShape(2, 3).integerInputs(7)
        .expectOutputShape(2, 3, 3).run();
  }

  @Test
  void looksUpRowsOfTheTable() {
    Embedding e = new Embedding(3, 2);
    try (Scope s = Backends.current().scope(false)) {
      e.apply(Backends.ops().constant(new float[] {0}, 1, 1));
    }
    e.setWeights(List.of(new float[] {0, 1, 10, 11, 20, 21}));
    try (Scope s = Backends.current().scope(false)) {
      float[] y = e.apply(Backends.ops().constant(new float[] {2, 0, 1, 2}, 2, 2)).toFloatArray();
      assertArrayEquals(new float[] {20, 21, 0, 1, 10, 11, 20, 21}, y, 0f);
    }
    assertArrayEquals(new int[] {3, 2}, e.embeddings().shape());
    assertEquals("embeddings", e.weights().get(0).name());
  }

  @Test
  void defaultInitializerIsKerasUniform() {
    Embedding e = new Embedding(50, 8);
    @SuppressWarnings("unchecked")
    Map<String, Object> init = (Map<String, Object>) e.getConfig().get("embeddings_initializer");
    assertEquals("RandomUniform", init.get("class_name"));
    @SuppressWarnings("unchecked")
    Map<String, Object> cfg = (Map<String, Object>) init.get("config");
    assertEquals(-0.05, cfg.get("minval"));
    assertEquals(0.05, cfg.get("maxval"));
    e.build(new int[] {3});
    for (float v : e.embeddings().numpy()) {
      assertTrue(v >= -0.05f && v < 0.05f, "value " + v);
    }
  }

  @Test
  void maskZeroMasksIndexZeroAndMatchesKeras() {
    KerasReference ref = KerasReference.load("embedding_mask_zero");
    KerasTensor in = Input.of(6);
    Embedding emb = new Embedding(10, 4).maskZero(true);
    KerasTensor h = emb.apply(in);
    // the mask flows from the Embedding to the pooling inside the graph
    Model m = new Model(List.of(in), List.of(h, new GlobalAveragePooling1D().apply(h)));
    emb.embeddings().assign(ref.weights().get(0));
    List<NDArray> out = m.predictAll(ref.inputs(), 3);
    ref.checkOutput(0, out.get(0), 1e-5);
    ref.checkOutput(1, out.get(1), 1e-5);
    try (Scope s = Backends.current().scope(false)) {
      NDArray ids = ref.inputs().get(0);
      CallArgs args = CallArgs.of(Backends.ops().constant(ids.toArray(), ids.shape()));
      Tensor mask = emb.computeMask(args, emb.applyAll(args)).get(0);
      ref.checkOutput(2, NDArray.of(mask.toFloatArray(), mask.shape()), 0);
    }
    Map<String, Object> cfg = new HashMap<>(emb.getConfig());
    assertEquals(true, cfg.get("mask_zero"));
    assertTrue(((Embedding) Layer.REGISTRY.create("Embedding", cfg)).supportsMasking());
  }

  @Test
  void anIntInputFromKerasMatches() {
    KerasReference.load("embedding_int_input").check();
  }

  @Test
  void rejectsLoraByName() {
    Map<String, Object> cfg = new HashMap<>(new Embedding(10, 4).getConfig());
    cfg.put("lora_rank", 4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Layer.REGISTRY.create("Embedding", cfg));
    assertTrue(e.getMessage().contains("lora_rank"), e.getMessage());
  }

  @Test
  void rejectsBadSizes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Embedding(0, 4));
    assertTrue(e.getMessage().contains("input_dim") && e.getMessage().contains("0"),
        e.getMessage());
    IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
        () -> new Embedding(5, -1));
    assertTrue(e2.getMessage().contains("output_dim"), e2.getMessage());
  }
}
