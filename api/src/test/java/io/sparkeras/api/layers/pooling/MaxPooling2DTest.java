package io.sparkeras.api.layers.pooling;

import static io.sparkeras.api.layers.LayerTesting.range;
import static io.sparkeras.api.layers.LayerTesting.run;
import static io.sparkeras.api.layers.LayerTesting.shapeOf;
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

class MaxPooling2DTest {

  @Test
  void harness() {
    // small finite-difference steps: random inputs have no ties, but a near-tie within eps
    // could flip the max
    LayerTestHarness.of(() -> new MaxPooling2D(2)).inputShape(4, 4, 3).expectOutputShape(2, 2, 3)
        .epsilon(1e-3).run();
    LayerTestHarness.of(() -> new MaxPooling2D(new int[] {3, 2}).strides(2, 1).padding("same"))
        .inputShape(5, 5, 2).expectOutputShape(3, 5, 2).epsilon(1e-3).run();
  }

  @Test
  void twoByTwoMaxOnFourByFour() {
    assertArrayEquals(new float[] {6, 8, 14, 16},
        run(new MaxPooling2D(2), false, range(16), 1, 4, 4, 1), 0f);
  }

  @Test
  void samePaddingNeverPicksThePadding() {
    float[] x = range(9);
    for (int i = 0; i < x.length; i++) {
      x[i] = -x[i];
    }
    // 3x3 input, pool 2, stride 2, "same": one padded row and column at the end
    assertArrayEquals(new float[] {-1, -3, -7, -9},
        run(new MaxPooling2D(2).padding("same"), false, x, 1, 3, 3, 1), 0f);
  }

  @Test
  void outputSizes() {
    for (int in : new int[] {5, 6, 7}) {
      int same = (in + 1) / 2;
      int valid = (in - 3) / 2 + 1;
      assertArrayEquals(new int[] {1, same, same, 1},
          shapeOf(new MaxPooling2D(3).strides(2).padding("same"), 1, in, in, 1));
      assertArrayEquals(new int[] {1, valid, valid, 1},
          shapeOf(new MaxPooling2D(3).strides(2), 1, in, in, 1));
      assertArrayEquals(new int[] {valid, valid, 4},
          new MaxPooling2D(3).strides(2).computeOutputShape(new int[] {in, in, 4}));
    }
  }

  @Test
  void configDefaultsStridesToPoolSize() {
    Map<String, Object> cfg = new MaxPooling2D(3).getConfig();
    assertEquals(List.of(3, 3), cfg.get("pool_size"));
    assertEquals(List.of(3, 3), cfg.get("strides"));
    assertEquals("valid", cfg.get("padding"));
    assertEquals("channels_last", cfg.get("data_format"));
    Map<String, Object> keras = new HashMap<>();
    keras.put("pool_size", List.of(2, 2));
    keras.put("strides", null);
    keras.put("padding", "same");
    MaxPooling2D p = (MaxPooling2D) Layer.REGISTRY.create("MaxPooling2D", keras);
    assertArrayEquals(new int[] {2, 2}, p.strides());
    assertTrue(p.getName().matches("max_pooling2d(_\\d+)?"), p.getName());
  }

  @Test
  void rejectsUnknownDataFormatAndWrongRank() {
    Map<String, Object> keras = new HashMap<>();
    keras.put("pool_size", List.of(2, 2));
    keras.put("data_format", "channels_middle");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Layer.REGISTRY.create("MaxPooling2D", keras));
    assertTrue(e.getMessage().contains("data_format"), e.getMessage());
    MaxPooling2D p = new MaxPooling2D();
    p.name("pool");
    e = assertThrows(IllegalArgumentException.class, () -> p.build(new int[] {8, 8}));
    assertTrue(e.getMessage().contains("pool") && e.getMessage().contains("MaxPooling2D")
        && e.getMessage().contains("(None, height, width, channels)"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new MaxPooling2D(0));
    assertThrows(IllegalArgumentException.class, () -> new MaxPooling2D(2).padding("full"));
  }
}
