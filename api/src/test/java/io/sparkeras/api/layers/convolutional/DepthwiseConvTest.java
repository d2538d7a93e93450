package io.sparkeras.api.layers.convolutional;

import static io.sparkeras.api.layers.LayerTesting.range;
import static io.sparkeras.api.layers.LayerTesting.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkeras.api.initializers.Constant;
import io.sparkeras.api.layers.LayerTestHarness;
import io.sparkeras.api.testing.KerasReference;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DepthwiseConv1D and DepthwiseConv2D (Keras's depthwise_conv_test.py). */
class DepthwiseConvTest {

  @Test
  void harness() {
    LayerTestHarness.of(() -> new DepthwiseConv1D(3).depthMultiplier(2)).inputShape(5, 2)
        .expectOutputShape(3, 4).run();
    LayerTestHarness.of(() -> new DepthwiseConv2D(2).strides(2).padding("same")
        .dataFormat("channels_first")).inputShape(3, 4, 3).expectOutputShape(3, 2, 2).run();
  }

  @Test
  void matchesKeras() {
    for (String name : new String[] {"depthwise_conv1d_multiplier",
        "depthwise_conv1d_same_strided_channels_first", "depthwise_conv2d_same_multiplier",
        "depthwise_conv2d_dilated", "depthwise_conv2d_channels_first_strided"}) {
      KerasReference.load(name).check();
    }
  }

  @Test
  void channelsStayApartWithMultiplierOrder() {
    // 2 channels, multiplier 2, kernel 1: output channel c * 2 + m = x_c * k[c][m]
    DepthwiseConv1D d = new DepthwiseConv1D(1).depthMultiplier(2).useBias(false);
    run(d, false, range(2), 1, 1, 2);
    d.setWeights(java.util.List.of(new float[] {1, 10, 100, 1000}));
    assertArrayEquals(new float[] {1, 10, 200, 2000}, run(d, false, range(2), 1, 1, 2), 1e-4f);
    assertArrayEquals(new int[] {1, 2, 2}, d.depthwiseKernel().shape());
    assertArrayEquals(new int[] {4}, d.bias() == null ? new int[] {4} : d.bias().shape());
  }

  @Test
  void configUsesKerasKeys() {
    Map<String, Object> cfg = new DepthwiseConv2D(3).depthMultiplier(2).getConfig();
    assertEquals(2, cfg.get("depth_multiplier"));
    assertEquals("GlorotUniform", ((Map<?, ?>) cfg.get("depthwise_initializer"))
        .get("class_name"));
    assertEquals(null, cfg.get("depthwise_regularizer"));
    assertEquals(false, cfg.containsKey("kernel_initializer"));
    new DepthwiseConv2D(3).depthwiseInitializer(new Constant(1));
    assertThrows(IllegalArgumentException.class, () -> new DepthwiseConv2D(3).depthMultiplier(0));
    assertThrows(IllegalArgumentException.class, () -> new DepthwiseConv1D(3).padding("causal"));
  }
}
