package io.sparkeras.api.models;

import static io.sparkeras.api.backend.Backends.ops;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.callbacks.History;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.initializers.Ones;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerTestHarness;
import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.optimizers.Adam;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionalAndSubclassTest {

  /** A custom multi-input layer written against backend-neutral ops: a weighted sum. */
  public static final class WeightedSum extends Layer {
    private Variable alpha;

    public WeightedSum() {}

    WeightedSum(Config c) {
      super(c);
    }

    @Override
    public void build(List<int[]> shapes) {
      alpha = addWeight("alpha", new int[] {shapes.size()}, new Ones(), true);
    }

    @Override
    public Tensor call(List<Tensor> xs, boolean training) {
      Tensor out = null;
      for (int i = 0; i < xs.size(); i++) {
        Tensor term = ops().multiply(xs.get(i), ops().slice(alpha.value(), 0, i, 1));
        out = out == null ? term : ops().add(out, term);
      }
      return out;
    }

    @Override
    public int[] computeOutputShape(List<int[]> shapes) {
      return shapes.get(0).clone();
    }
  }

  static {
    Layer.REGISTRY.register("WeightedSum", "Tests", WeightedSum.class, WeightedSum::new);
  }

  @Test
  void customLayerPassesTheHarness() {
    LayerTestHarness.of(WeightedSum::new).inputShape(3).inputShape(3).run();
  }

  @Test
  void multiInputSharedLayerMultiOutput() {
    Sparkeras.setRandomSeed(21);
    KerasTensor a = Input.named("a", 6);
    KerasTensor b = Input.named("b", 6);
    Dense shared = new Dense(8).activation("tanh");
    shared.name("shared");
    KerasTensor merged = new WeightedSum().apply(shared.apply(a), shared.apply(b));
    KerasTensor out1 = new Dense(3).activation("softmax").name("first").apply(merged);
    KerasTensor out2 = new Dense(3).activation("softmax").name("second").apply(merged);
    Model m = new Model(List.of(a, b), List.of(out1, out2));
    assertEquals(2, shared.inboundNodes().size(), "the shared layer is called twice");
    // shared weights counted once
    assertEquals(6 * 8 + 8 + 2 + 2 * (8 * 3 + 3), m.countParams());
    m.compile(new Adam(0.02), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
    NDArray[] d = TestData.threeClasses(600, 6, 9);
    History h = m.fit(List.of(d[0], d[0]), List.of(d[1], d[1]), FitOptions.epochs(6)
        .batchSize(32).verbose(0));
    assertTrue(h.last("first_accuracy") > 0.8, h.history().toString());
    Map<String, Double> e = m.evaluate(List.of(d[0], d[0]), List.of(d[1], d[1]), 64);
    assertTrue(e.containsKey("second_accuracy") && e.containsKey("loss"), e.toString());

    // the JSON round trip keeps the shared layer shared and the custom layer
    Model again = Model.fromJson(m.toJson());
    assertEquals(m.countParams(), again.countParams());
    again.setFlatWeights(m.getFlatWeights());
    List<NDArray> p1 = m.predictAll(List.of(d[0], d[0]), 50);
    List<NDArray> p2 = again.predictAll(List.of(d[0], d[0]), 50);
    assertArrayEquals(p1.get(0).toArray(), p2.get(0).toArray(), 1e-6f);
  }

  /** A subclassed model: layers are fields, call is Java. */
  static final class Residual extends Model {
    final Dense in = new Dense(8).activation("relu");
    final Dense hidden = new Dense(8).activation("relu");
    final Dense out = new Dense(3).activation("softmax");

    @Override
    public Tensor call(Tensor x, boolean training) {
      Tensor h = in.apply(x);
      return out.apply(ops().add(h, hidden.apply(h)));
    }
  }

  @Test
  void subclassedModelTrainsAndTracksItsLayers() {
    Sparkeras.setRandomSeed(4);
    Residual m = new Residual();
    m.compile(new Adam(0.02), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
    NDArray[] d = TestData.threeClasses(600, 6, 10);
    History h = m.fit(d[0], d[1], FitOptions.epochs(6).batchSize(32).verbose(0));
    assertEquals(3, m.layers().size());
    assertSame(m.in, m.layers().get(0));
    assertEquals(6 * 8 + 8 + 8 * 8 + 8 + 8 * 3 + 3, m.countParams());
    assertTrue(h.last("accuracy") > 0.8, h.history().toString());
    assertArrayEquals(new int[] {600, 3}, m.predict(d[0]).shape());
  }
}
