package io.sparkeras.api.layers.convolutional;

import static io.sparkeras.api.layers.LayerTesting.range;
import static io.sparkeras.api.layers.LayerTesting.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.config.Config;
import io.sparkeras.api.initializers.Constant;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerTestHarness;
import io.sparkeras.api.testing.KerasReference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Conv1DTranspose, Conv2DTranspose and Conv3DTranspose (Keras's conv_transpose_test.py). */
class ConvTransposeTest {

  @Test
  void harness() {
    LayerTestHarness.of(() -> new Conv1DTranspose(3, 3).strides(2)).inputShape(4, 2)
        .expectOutputShape(9, 3).run();
    LayerTestHarness.of(() -> new Conv2DTranspose(2, 3).strides(2).padding("same"))
        .inputShape(3, 2, 2).expectOutputShape(6, 4, 2).run();
    LayerTestHarness.of(() -> new Conv2DTranspose(2, 2).outputPadding(1).strides(2)
        .dataFormat("channels_first")).inputShape(2, 3, 2).expectOutputShape(2, 7, 5).run();
    LayerTestHarness.of(() -> new Conv3DTranspose(2, 2).strides(2).padding("same"))
        .inputShape(2, 2, 1, 2).expectOutputShape(4, 4, 2, 2).run();
  }

  @Test
  void matchesKeras() {
    for (String name : new String[] {"conv1d_transpose_valid_strided", "conv1d_transpose_same",
        "conv1d_transpose_output_padding", "conv2d_transpose_same_strided",
        "conv2d_transpose_valid_strided_rect", "conv2d_transpose_dilated",
        "conv2d_transpose_channels_first", "conv2d_transpose_output_padding",
        "conv3d_transpose_same_strided", "conv3d_transpose_channels_first"}) {
      KerasReference.load(name).check();
    }
  }

  @Test
  void spreadsEachInputOverTheKernelLikeKeras() {
    // ones kernel of 2, stride 2: every input value is written twice
    Conv1DTranspose a = new Conv1DTranspose(1, 2).strides(2).kernelInitializer(new Constant(1))
        .useBias(false);
    assertArrayEquals(new float[] {1, 1, 2, 2, 3, 3}, run(a, false, range(3), 1, 3, 1), 1e-6f);
    // kernel 3, stride 2, "same": the full result [1, 1, 3, 2, 5, 3, 3] cut to in * stride = 6
    Conv1DTranspose b = new Conv1DTranspose(1, 3).strides(2).padding("same")
        .kernelInitializer(new Constant(1)).useBias(false);
    assertArrayEquals(new float[] {1, 1, 3, 2, 5, 3}, run(b, false, range(3), 1, 3, 1), 1e-6f);
    assertArrayEquals(new int[] {3, 1, 1}, b.kernel().shape());
  }

  @Test
  void outputSizesFollowKeras() {
    // valid: (in - 1) * s + max(dk, s); same: in * s; with output_padding (in - 1) * s + dk + op
    assertArrayEquals(new int[] {12, 4}, new Conv1DTranspose(4, 2).strides(3)
        .computeOutputShape(new int[] {4, 1}));
    assertArrayEquals(new int[] {12, 4}, new Conv1DTranspose(4, 5).strides(3).padding("same")
        .computeOutputShape(new int[] {4, 1}));
    assertArrayEquals(new int[] {12, 4}, new Conv1DTranspose(4, 3).strides(3).outputPadding(0)
        .computeOutputShape(new int[] {4, 1}));
    assertArrayEquals(new int[] {4, 11, 13}, new Conv2DTranspose(4, 3).strides(2)
        .dataFormat("channels_first").computeOutputShape(new int[] {2, 5, 6}));
    assertArrayEquals(new int[] {-1, 4}, new Conv1DTranspose(4, 3)
        .computeOutputShape(new int[] {-1, 2}));
  }

  @Test
  void configWritesOutputPaddingOnlyWhenSet() {
    Map<String, Object> plain = new Conv2DTranspose(3, 3).getConfig();
    assertTrue(!plain.containsKey("output_padding") && !plain.containsKey("groups"),
        plain.toString());
    Conv2DTranspose t = new Conv2DTranspose(3, 3).strides(2).outputPadding(1, 0);
    Map<String, Object> cfg = t.getConfig();
    assertEquals(List.of(1, 0), cfg.get("output_padding"));
    Conv2DTranspose back = Conv2DTranspose.fromConfig(new Config("t", cfg));
    assertArrayEquals(new int[] {1, 0}, back.outputPadding());
    assertEquals("Conv2DTranspose", Layer.REGISTRY.classNameOf(t));
    assertTrue(Layer.REGISTRY.contains("Convolution2DTranspose"));
    assertThrows(IllegalArgumentException.class, () -> new Conv2DTranspose(3, 3)
        .outputPadding(1, 2, 3));
    assertThrows(IllegalArgumentException.class, () -> new Conv1DTranspose(3, 3)
        .padding("causal"));
  }
}
