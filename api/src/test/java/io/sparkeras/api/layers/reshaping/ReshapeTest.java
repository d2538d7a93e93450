package io.sparkeras.api.layers.reshaping;

import static io.sparkeras.api.layers.LayerTesting.range;
import static io.sparkeras.api.layers.LayerTesting.run;
import static io.sparkeras.api.layers.LayerTesting.shapeOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerTestHarness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReshapeTest {

  @Test
  void harness() {
    LayerTestHarness.of(() -> new Reshape(3, 4)).inputShape(12).expectOutputShape(3, 4).run();
    LayerTestHarness.of(() -> new Reshape(-1, 8)).inputShape(4, 6).expectOutputShape(3, 8).run();
    LayerTestHarness.of(() -> new Reshape(2, -1, 2)).inputShape(2, 3, 2)
        .expectOutputShape(2, 3, 2).run();
  }

  @Test
  void keepsRowMajorOrderPerSample() {
    float[] x = range(12);
    assertArrayEquals(x, run(new Reshape(3, 2), false, x, 2, 6), 0f);
    assertArrayEquals(new int[] {2, 3, 2}, shapeOf(new Reshape(3, -1), 2, 2, 3));
  }

  @Test
  void outputShapeWithUnknownInputs() {
    assertArrayEquals(new int[] {-1, 4}, new Reshape(-1, 4).computeOutputShape(new int[] {-1, 8}));
    assertArrayEquals(new int[] {2, 4}, new Reshape(2, 4).computeOutputShape(new int[] {-1, 8}));
  }

  @Test
  void configKeepsMinusOne() {
    Map<String, Object> cfg = new Reshape(-1, 8).getConfig();
    assertEquals(List.of(-1, 8), cfg.get("target_shape"));
    Reshape r = (Reshape) Layer.REGISTRY.create("Reshape", Map.of("target_shape", List.of(7, -1)));
    assertArrayEquals(new int[] {7, -1}, r.targetShape());
  }

  @Test
  void rejectsBadTargetsAndIncompatibleInputs() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Reshape(-1, -1));
    assertTrue(e.getMessage().contains("target_shape"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Reshape(0, 3));
    assertThrows(IllegalArgumentException.class, () -> new Reshape());
    Reshape r = new Reshape(5, 3);
    e = assertThrows(IllegalArgumentException.class, () -> r.build(new int[] {4, 4}));
    assertTrue(e.getMessage().contains(r.getName()) && e.getMessage().contains("16")
        && e.getMessage().contains("[5, 3]"), e.getMessage());
    Reshape s = new Reshape(-1, 5);
    e = assertThrows(IllegalArgumentException.class, () -> s.build(new int[] {12}));
    assertTrue(e.getMessage().contains("not a multiple of 5"), e.getMessage());
  }
}
