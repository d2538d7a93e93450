package io.sparkeras.api.layers.convolutional;

import static io.sparkeras.api.layers.LayerTesting.filled;
import static io.sparkeras.api.layers.LayerTesting.run;
import static io.sparkeras.api.layers.LayerTesting.shapeOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.initializers.Constant;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerTestHarness;
import io.sparkeras.api.testing.KerasReference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Conv3DTest {

  @Test
  void harness() {
    LayerTestHarness.of(() -> new Conv3D(2, 2)).inputShape(3, 3, 3, 2)
        .expectOutputShape(2, 2, 2, 2).run();
    LayerTestHarness.of(() -> new Conv3D(2, new int[] {1, 2, 2}).strides(2).padding("same")
        .dataFormat("channels_first").activation("tanh")).inputShape(2, 3, 4, 3)
        .expectOutputShape(2, 2, 2, 2).run();
  }

  @Test
  void matchesKeras() {
    KerasReference.load("conv3d_valid").check();
    KerasReference.load("conv3d_channels_first_same_strided").check();
  }

  @Test
  void constantKernelSumsEachCube() {
    Conv3D c = new Conv3D(1, 2).kernelInitializer(new Constant(1)).useBias(false);
    assertArrayEquals(new float[] {8}, run(c, false, filled(8, 1), 1, 2, 2, 2, 1), 1e-6f);
    assertArrayEquals(new int[] {2, 2, 2, 1, 1}, c.kernel().shape());
    assertArrayEquals(new int[] {1, 3, 2, 2, 4}, shapeOf(new Conv3D(4, 3).padding("same")
        .strides(new int[] {1, 2, 2}), 1, 3, 4, 3, 1));
  }

  @Test
  void configUsesKerasKeys() {
    Map<String, Object> cfg = new Conv3D(4, 3).getConfig();
    assertEquals(List.of(3, 3, 3), cfg.get("kernel_size"));
    assertEquals(List.of(1, 1, 1), cfg.get("dilation_rate"));
    assertEquals("Conv3D", Layer.REGISTRY.classNameOf(new Conv3D(1, 1)));
    assertTrue(Layer.REGISTRY.contains("Convolution3D"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Conv3D(2, 3).build(new int[] {4, 4, 2}));
    assertTrue(e.getMessage().contains("(None, depth, height, width, channels)"), e.getMessage());
  }
}
