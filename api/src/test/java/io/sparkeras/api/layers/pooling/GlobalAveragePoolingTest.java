package io.sparkeras.api.layers.pooling;

import static io.sparkeras.api.layers.LayerTesting.run;
import static io.sparkeras.api.layers.LayerTesting.shapeOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerTestHarness;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GlobalAveragePoolingTest {

  @Test
  void harness1D() {
    LayerTestHarness.of(GlobalAveragePooling1D::new).inputShape(5, 3).expectOutputShape(3).run();
    LayerTestHarness.of(() -> new GlobalAveragePooling1D().keepdims(true)).inputShape(4, 2)
        .expectOutputShape(1, 2).run();
  }

  @Test
  void harness2D() {
    LayerTestHarness.of(GlobalAveragePooling2D::new).inputShape(3, 4, 2).expectOutputShape(2)
        .run();
    LayerTestHarness.of(() -> new GlobalAveragePooling2D().keepdims(true)).inputShape(3, 3, 2)
        .expectOutputShape(1, 1, 2).run();
  }

  @Test
  void meanPerChannel() {
    float[] x = {1, 10, 2, 20, 3, 30, 4, 40}; // 1 x 2 x 2 x 2
    assertArrayEquals(new float[] {2.5f, 25f}, run(new GlobalAveragePooling2D(), false, x,
        1, 2, 2, 2), 1e-5f);
    assertArrayEquals(new float[] {2.5f, 25f}, run(new GlobalAveragePooling1D(), false, x,
        1, 4, 2), 1e-5f);
    assertArrayEquals(new int[] {1, 1, 1, 2}, shapeOf(new GlobalAveragePooling2D().keepdims(true),
        1, 2, 2, 2));
  }

  @Test
  void configAndErrors() {
    Map<String, Object> cfg = new GlobalAveragePooling2D().getConfig();
    assertEquals("channels_last", cfg.get("data_format"));
    assertEquals(false, cfg.get("keepdims"));
    Map<String, Object> keras = new HashMap<>();
    keras.put("data_format", "channels_middle");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Layer.REGISTRY.create("GlobalAveragePooling1D", keras));
    assertTrue(e.getMessage().contains("data_format"), e.getMessage());
    GlobalAveragePooling2D g = new GlobalAveragePooling2D();
    e = assertThrows(IllegalArgumentException.class, () -> g.build(new int[] {4, 3}));
    assertTrue(e.getMessage().contains(g.getName())
        && e.getMessage().contains("(None, height, width, channels)"), e.getMessage());
  }
}
