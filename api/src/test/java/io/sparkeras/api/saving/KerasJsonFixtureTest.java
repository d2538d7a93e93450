package io.sparkeras.api.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.callbacks.History;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.models.TestData;
import io.sparkeras.api.optimizers.Adam;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keras-format JSON written by hand from Keras 3's and tf.keras 2's schemas loads and trains. */
class KerasJsonFixtureTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static String fixture(String name) throws IOException {
    try (InputStream in = KerasJsonFixtureTest.class.getResourceAsStream("/keras/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void keras3SequentialLoadsTrainsAndWritesTheSameSchema() throws IOException {
    Sparkeras.setRandomSeed(5);
    String json = fixture("sequential_mlp.json");
    Model m = Model.fromJson(json);
    assertTrue(m instanceof Sequential);
    assertEquals("sequential", m.getName());
    assertEquals(List.of("hidden", "dropout", "out"),
        m.layers().stream().map(l -> l.getName()).toList());
    assertEquals(6 * 16 + 16 + 16 * 3 + 3, m.countParams());
    // what we write is the same document (key order aside)
    assertEquals(JSON.readTree(json), JSON.readTree(m.toJson()));
    m.compile(new Adam(0.01), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
    NDArray[] d = TestData.threeClasses(600, 6, 4);
    History h = m.fit(d[0], d[1], FitOptions.epochs(5).batchSize(32).verbose(0));
    assertTrue(h.last("accuracy") > 0.85, h.history().toString());
  }

  @Test
  void keras3FunctionalWithTwoOutputsLoadsAndTrains() throws IOException {
    Sparkeras.setRandomSeed(6);
    Model m = Model.fromJson(fixture("functional_two_heads.json"));
    assertEquals("two_heads", m.getName());
    assertEquals(2, m.outputs().size());
    m.compile(new Adam(0.01), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
    NDArray[] d = TestData.threeClasses(600, 6, 5);
    History h = m.fit(List.of(d[0]), List.of(d[1], d[1]), FitOptions.epochs(5).batchSize(32)
        .verbose(0));
    assertTrue(h.last("head_a_accuracy") > 0.8 && h.last("head_b_accuracy") > 0.8,
        h.history().toString());
    // round trip through our writer keeps the graph
    Model again = Model.fromJson(m.toJson());
    assertEquals(JSON.readTree(m.toJson()), JSON.readTree(again.toJson()));
    again.setFlatWeights(m.getFlatWeights());
    List<NDArray> p1 = m.predictAll(List.of(d[0]), 64);
    List<NDArray> p2 = again.predictAll(List.of(d[0]), 64);
    assertArrayEquals(p1.get(1).toArray(), p2.get(1).toArray(), 1e-6f);
  }

  @Test
  void tfKeras2SequentialWithBatchInputShapeLoads() throws IOException {
    Model m = Model.fromJson(fixture("tf_keras2_sequential.json"));
    assertArrayEquals(new int[] {6}, m.inputShapes().get(0));
    assertEquals(6 * 8 + 8 + 8 * 3 + 3, m.countParams());
  }
}
