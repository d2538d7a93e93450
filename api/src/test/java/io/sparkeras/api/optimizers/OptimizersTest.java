package io.sparkeras.api.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.callbacks.History;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.models.TestData;
import io.sparkeras.core.optim.schedules.ExponentialDecay;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class OptimizersTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static List<Supplier<Optimizer>> all() {
    return List.of(() -> new Adam(0.01), () -> new AdamW(0.01), () -> new SGD(0.1).momentum(0.9),
        () -> new SGD(0.1).momentum(0.9).nesterov(true), () -> new RMSprop(0.01),
        () -> new Adagrad(0.1), () -> new Adam(0.01).clipnorm(1.0),
        () -> new SGD(0.1).clipvalue(0.5), () -> new Adam(new ExponentialDecay(0.01, 10, 0.9,
            false)));
  }

  @Test
  void everyOptimizerTrainsAModel() {
    NDArray[] d = TestData.threeClasses(400, 6, 2);
    for (Supplier<Optimizer> s : all()) {
      Sparkeras.setRandomSeed(2);
      Sequential m = new Sequential(Input.of(6), new Dense(12).activation("relu"),
          new Dense(3).activation("softmax"));
      Optimizer opt = s.get();
      m.compile(opt, Losses.sparseCategoricalCrossentropy());
      History h = m.fit(d[0], d[1], FitOptions.epochs(4).batchSize(32).verbose(0));
      assertTrue(h.last("loss") < h.get("loss").get(0) * 0.8, opt.getConfig() + " " + h.history());
      assertEquals(4 * 13, opt.iterations());
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void configRoundTripsThroughRegistryAndJson() throws Exception {
    for (Supplier<Optimizer> s : all()) {
      Optimizer o = s.get();
      String json = JSON.writeValueAsString(Optimizer.REGISTRY.serialize(o));
      Optimizer back = Optimizer.REGISTRY.deserialize(JSON.readValue(json, Map.class));
      assertEquals(JSON.readTree(json),
          JSON.readTree(JSON.writeValueAsString(Optimizer.REGISTRY.serialize(back))));
    }
  }

  @Test
  void theRuleNameIsTheKerasNameWhateverTheOptimizersName() {
    for (Supplier<Optimizer> s : all()) {
      Optimizer o = s.get();
      assertEquals(o.ruleName(), Optimizer.REGISTRY.serialize(o).get("class_name").toString()
          .toLowerCase(java.util.Locale.ROOT), o.getClass().getName());
      Map<String, Object> renamed = new java.util.LinkedHashMap<>(o.getConfig());
      renamed.put("name", "my_optimizer");
      assertEquals(o.ruleName(), Optimizer.REGISTRY.create(o.ruleName(), renamed).ruleName());
    }
  }

  @Test
  void sgdStepMatchesTheHandComputedFormula() {
    Optimizer sgd = new SGD(0.1).momentum(0.9);
    FloatBuffer p = buffer(1f, -2f);
    FloatBuffer g = buffer(0.5f, 1f);
    sgd.build(2, List.of(new int[] {0, 2}));
    sgd.apply(p, g);
    sgd.apply(p, g);
    // m1 = -lr g; p1 = p0 + m1; m2 = 0.9 m1 - lr g; p2 = p1 + m2
    assertEquals(1f - 0.05f + (0.9f * -0.05f - 0.05f), p.get(0), 1e-6f);
    assertEquals(-2f - 0.1f + (0.9f * -0.1f - 0.1f), p.get(1), 1e-6f);
  }

  @Test
  void setLearningRateKeepsTheStateAndApplies() {
    Optimizer sgd = new SGD(0.1);
    sgd.build(1, List.of(new int[] {0, 1}));
    FloatBuffer p = buffer(1f);
    sgd.apply(p, buffer(1f));
    sgd.setLearningRate(0.01);
    assertEquals(0.01, sgd.getLearningRate(), 1e-9);
    sgd.apply(p, buffer(1f));
    assertEquals(1f - 0.1f - 0.01f, p.get(0), 1e-6f);
    assertEquals(2, sgd.iterations());
  }

  @Test
  void badHyperParametersNameTheKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Adam(-1));
    assertTrue(e.getMessage().contains("learning_rate"), e.getMessage());
    IllegalArgumentException beta = assertThrows(IllegalArgumentException.class,
        () -> new Adam(0.1).beta1(1.5).build(1, List.of(new int[] {0, 1})));
    assertTrue(beta.getMessage().contains("beta_1"), beta.getMessage());
  }

  static FloatBuffer buffer(float... v) {
    FloatBuffer b = ByteBuffer.allocateDirect(v.length * 4).order(ByteOrder.nativeOrder())
        .asFloatBuffer();
    b.put(0, v);
    return b;
  }
}
