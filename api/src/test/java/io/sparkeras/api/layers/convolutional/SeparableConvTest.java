package io.sparkeras.api.layers.convolutional;

import static io.sparkeras.api.layers.LayerTesting.filled;
import static io.sparkeras.api.layers.LayerTesting.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkeras.api.initializers.Constant;
import io.sparkeras.api.layers.LayerTestHarness;
import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.testing.KerasReference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SeparableConv1D and SeparableConv2D (Keras's separable_conv_test.py). */
class SeparableConvTest {

  @Test
  void harness() {
    LayerTestHarness.of(() -> new SeparableConv1D(3, 2).depthMultiplier(2)).inputShape(4, 2)
        .expectOutputShape(3, 3).run();
    LayerTestHarness.of(() -> new SeparableConv2D(2, 3).padding("same").strides(2)
        .dataFormat("channels_first")).inputShape(2, 4, 3).expectOutputShape(2, 2, 2).run();
  }

  @Test
  void matchesKeras() {
    for (String name : new String[] {"separable_conv1d_multiplier",
        "separable_conv1d_same_channels_first", "separable_conv2d_same_strided",
        "separable_conv2d_dilated", "separable_conv2d_channels_first"}) {
      KerasReference.load(name).check();
    }
  }

  @Test
  void weightsInKerasOrderAndShapes() {
    SeparableConv2D s = new SeparableConv2D(5, 3).depthMultiplier(2)
        .depthwiseInitializer(new Constant(1)).pointwiseInitializer(new Constant(1));
    assertArrayEquals(new float[] {9 * 2 * 2}, java.util.Arrays.copyOf(
        run(s, false, filled(3 * 3 * 2, 1), 1, 3, 3, 2), 1), 1e-5f);
    List<Variable> w = s.weights();
    assertEquals(List.of("depthwise_kernel", "pointwise_kernel", "bias"),
        w.stream().map(Variable::name).toList());
    assertArrayEquals(new int[] {3, 3, 2, 2}, w.get(0).shape());
    assertArrayEquals(new int[] {1, 1, 4, 5}, w.get(1).shape());
    assertArrayEquals(new int[] {5}, w.get(2).shape());
  }

  @Test
  void configHasKerasKeysInOrder() {
    Map<String, Object> cfg = new SeparableConv1D(4, 3).getConfig();
    List<String> keys = List.copyOf(cfg.keySet());
    assertEquals(List.of("name", "trainable", "dtype", "depth_multiplier", "filters",
        "kernel_size", "strides", "padding", "data_format", "dilation_rate", "activation",
        "use_bias", "depthwise_initializer", "pointwise_initializer", "bias_initializer",
        "depthwise_regularizer", "pointwise_regularizer", "bias_regularizer",
        "activity_regularizer", "depthwise_constraint", "pointwise_constraint",
        "bias_constraint"), keys);
  }
}
