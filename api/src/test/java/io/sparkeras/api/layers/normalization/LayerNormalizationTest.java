package io.sparkeras.api.layers.normalization;

import static io.sparkeras.api.layers.LayerTesting.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerTestHarness;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LayerNormalizationTest {

  @Test
  void harness() {
    LayerTestHarness.of(LayerNormalization::new).inputShape(5).run();
    LayerTestHarness.of(() -> new LayerNormalization().axis(new int[] {-2, -1})).inputShape(3, 4)
        .run();
    LayerTestHarness.of(() -> new LayerNormalization().axis(1).center(false)).inputShape(3, 2)
        .training(true).run();
  }

  @Test
  void normalisesEachSampleOverTheLastAxis() {
    // two samples: {1, 2, 3, 4} (mean 2.5, variance 1.25) and {10, 10, 10, 10} (variance 0)
    float[] y = run(new LayerNormalization(), false,
        new float[] {1, 2, 3, 4, 10, 10, 10, 10}, 2, 4);
    float s = (float) Math.sqrt(1.25 + 1e-3);
    assertArrayEquals(new float[] {-1.5f / s, -0.5f / s, 0.5f / s, 1.5f / s, 0, 0, 0, 0}, y,
        1e-5f);
  }

  @Test
  void appliesGammaAndBetaOverSeveralAxes() {
    LayerNormalization ln = new LayerNormalization().axis(new int[] {1, 2});
    run(ln, false, new float[4], 1, 2, 2);
    assertArrayEquals(new int[] {2, 2}, ln.gamma().shape());
    ln.setWeights(List.of(new float[] {1, 2, 3, 4}, new float[] {0, 0, 0, 10}));
    float[] y = run(ln, false, new float[] {1, 2, 3, 4}, 1, 2, 2);
    float s = (float) Math.sqrt(1.25 + 1e-3);
    assertArrayEquals(new float[] {-1.5f / s, 2 * -0.5f / s, 3 * 0.5f / s, 4 * 1.5f / s + 10}, y,
        1e-5f);
  }

  @Test
  void configUsesKerasKeys() {
    Map<String, Object> cfg = new LayerNormalization().getConfig();
    assertEquals(-1, cfg.get("axis"));
    assertEquals(0.001, cfg.get("epsilon"));
    assertEquals(false, cfg.get("rms_scaling"));
    assertEquals(true, cfg.get("center"));
    assertEquals(List.of(1, 2), new LayerNormalization().axis(new int[] {1, 2}).getConfig()
        .get("axis"));
    // Keras writes axis as a list once built
    Map<String, Object> keras = new HashMap<>();
    keras.put("axis", List.of(-1));
    keras.put("epsilon", 1e-6);
    LayerNormalization l = (LayerNormalization) Layer.REGISTRY.create("LayerNormalization", keras);
    assertEquals(List.of(-1), l.getConfig().get("axis"));
  }

  @Test
  void rejectsBadAxisAndBadKeys() {
    LayerNormalization ln = new LayerNormalization().axis(2);
    ln.name("ln");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ln.build(new int[] {4}));
    assertTrue(e.getMessage().contains("'ln'") && e.getMessage().contains("LayerNormalization")
        && e.getMessage().contains("(None, 4)"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new LayerNormalization().axis(new int[] {1, 1}).build(new int[] {3, 3}));
    Map<String, Object> rms = new HashMap<>();
    rms.put("rms_scaling", "yes");
    e = assertThrows(IllegalArgumentException.class,
        () -> Layer.REGISTRY.create("LayerNormalization", rms));
    assertTrue(e.getMessage().contains("rms_scaling"), e.getMessage());
  }
}
