package io.sparkeras.api.layers.reshaping;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerTestHarness;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlattenTest {

  @Test
  void harness() {
    LayerTestHarness.of(Flatten::new).inputShape(2, 3, 4).expectOutputShape(24).run();
  }

  @Test
  void keepsRowMajorChannelsLastOrder() {
    float[] x = {1, 2, 3, 4, 5, 6, 7, 8};
    try (Scope s = Backends.current().scope(false)) {
      float[] y = new Flatten().apply(Backends.ops().constant(x, 2, 2, 2)).toFloatArray();
      assertArrayEquals(x, y);
    }
  }

  @Test
  void unknownDataFormatIsRejectedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Layer.REGISTRY.create("Flatten", Map.of("data_format", "channels_middle")));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("data_format"),
        e.getMessage());
  }

  @Test
  void channelsFirstMovesTheChannelsLastFirst() {
    // [1, 2 channels, 2 steps]: channels-last order is (s0 c0, s0 c1, s1 c0, s1 c1)
    float[] x = {1, 2, 3, 4};
    try (Scope s = Backends.current().scope(false)) {
      float[] y = new Flatten().dataFormat("channels_first")
          .apply(Backends.ops().constant(x, 1, 2, 2)).toFloatArray();
      assertArrayEquals(new float[] {1, 3, 2, 4}, y);
    }
  }
}
