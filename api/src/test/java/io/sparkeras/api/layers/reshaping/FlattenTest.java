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
  void channelsFirstIsRejectedByName() {
    assertThrows(IllegalArgumentException.class, () -> Layer.REGISTRY.create("Flatten",
        Map.of("data_format", "channels_first")));
  }
}
