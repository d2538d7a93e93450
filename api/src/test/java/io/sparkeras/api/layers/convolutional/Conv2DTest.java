package io.sparkeras.api.layers.convolutional;

import static io.sparkeras.api.backend.Backends.ops;
import static io.sparkeras.api.layers.LayerTesting.filled;
import static io.sparkeras.api.layers.LayerTesting.range;
import static io.sparkeras.api.layers.LayerTesting.run;
import static io.sparkeras.api.layers.LayerTesting.shapeOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.initializers.Constant;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerTestHarness;
import io.sparkeras.api.layers.LayerTesting;
import io.sparkeras.api.testing.KerasReference;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Conv2DTest {

  @Test
  void harnessValid() {
    LayerTestHarness.of(() -> new Conv2D(3, 3)).inputShape(5, 5, 2).expectOutputShape(3, 3, 3)
        .run();
  }

  @Test
  void harnessSameStridedRectangular() {
    LayerTestHarness.of(() -> new Conv2D(4, new int[] {3, 2}).strides(2).padding("same")
        .activation("tanh")).inputShape(6, 5, 2).expectOutputShape(3, 3, 4).run();
  }

  /** Shapes whose gradients libtorch 2.10's oneDNN got wrong (the backend turns it off). */
  @Test
  void harnessOneChannelAndGroupedGradients() {
    LayerTestHarness.of(() -> new Conv2D(2, 2)).inputShape(3, 3, 1).run();
    LayerTestHarness.of(() -> new Conv2D(4, 2).groups(2)).inputShape(4, 4, 2).run();
  }

  @Test
  void harnessDilatedGrouped() {
    LayerTestHarness.of(() -> new Conv2D(4, 3).dilationRate(2).groups(2).padding("same")
        .useBias(false)).inputShape(7, 6, 4).expectOutputShape(7, 6, 4).run();
  }

  @Test
  void constantKernelSumsEachWindow() {
    Conv2D c = new Conv2D(1, 3).kernelInitializer(new Constant(1))
        .biasInitializer(new Constant(0.5));
    float[] y = run(c, false, range(16), 1, 4, 4, 1);
    // windows of [[1..4],[5..8],[9..12],[13..16]]
    assertArrayEquals(new float[] {54.5f, 63.5f, 90.5f, 99.5f}, y, 1e-4f);
    assertArrayEquals(new int[] {3, 3, 1, 1}, c.kernel().shape());
  }

  @Test
  void samePaddingPutsTheSmallerHalfFirstLikeKeras() {
    // odd input: 1 cell of padding on each side
    Conv2D odd = new Conv2D(1, 3).strides(2).padding("same").kernelInitializer(new Constant(1))
        .useBias(false);
    assertArrayEquals(new float[] {4, 6, 4, 6, 9, 6, 4, 6, 4},
        run(odd, false, filled(25, 1), 1, 5, 5, 1), 1e-5f);
    // even input: total padding 1, all of it after (TensorFlow's rule), so the first window is full
    Conv2D even = new Conv2D(1, 3).strides(2).padding("same").kernelInitializer(new Constant(1))
        .useBias(false);
    assertArrayEquals(new float[] {9, 6, 6, 4}, run(even, false, filled(16, 1), 1, 4, 4, 1), 1e-5f);
  }

  @Test
  void outputSizesMatchKerasFormulas() {
    for (int in : new int[] {5, 6, 7, 8}) {
      for (int s : new int[] {1, 2, 3}) {
        Conv2D same = new Conv2D(2, 3).strides(s).padding("same");
        int expectSame = (in + s - 1) / s;
        assertArrayEquals(new int[] {1, expectSame, expectSame, 2}, shapeOf(same, 1, in, in, 1),
            "same in=" + in + " s=" + s);
        assertArrayEquals(new int[] {expectSame, expectSame, 2},
            new Conv2D(2, 3).strides(s).padding("same").computeOutputShape(new int[] {in, in, 1}));
        Conv2D valid = new Conv2D(2, 3).strides(s);
        int expectValid = (in - 3) / s + 1;
        assertArrayEquals(new int[] {1, expectValid, expectValid, 2},
            shapeOf(valid, 1, in, in, 1), "valid in=" + in + " s=" + s);
      }
    }
    // dilation 2: effective kernel 5, valid output 7 - 5 + 1 = 3
    assertArrayEquals(new int[] {1, 3, 4, 1},
        shapeOf(new Conv2D(1, 3).dilationRate(2), 1, 7, 8, 1));
    assertArrayEquals(new int[] {3, 4, 1},
        new Conv2D(1, 3).dilationRate(2).computeOutputShape(new int[] {7, 8, 1}));
    // unknown spatial sizes stay unknown
    assertArrayEquals(new int[] {-1, -1, 8},
        new Conv2D(8, 3).computeOutputShape(new int[] {-1, -1, 3}));
  }

  @Test
  void groupsKeepChannelsApart() {
    Conv2D c = new Conv2D(2, 1).groups(2).useBias(false);
    float[] x = {1, 10, 2, 20, 3, 30, 4, 40}; // 1 x 2 x 2 x 2
    c.apply(io.sparkeras.api.backend.Backends.ops().zeros(1, 2, 2, 2));
    assertArrayEquals(new int[] {1, 1, 1, 2}, c.kernel().shape());
    c.setWeights(List.of(new float[] {2, 3}));
    assertArrayEquals(new float[] {2, 30, 4, 60, 6, 90, 8, 120}, run(c, false, x, 1, 2, 2, 2),
        1e-4f);
  }

  @Test
  void kernelShapeIsKerasLayout() {
    Conv2D c = new Conv2D(4, new int[] {3, 2}).groups(2);
    shapeOf(c, 1, 5, 5, 6);
    assertArrayEquals(new int[] {3, 2, 3, 4}, c.kernel().shape());
    assertArrayEquals(new int[] {4}, c.bias().shape());
    assertEquals(3 * 2 * 3 * 4 + 4, c.countParams());
    assertTrue(c.getName().matches("conv2d(_\\d+)?"), c.getName());
  }

  @Test
  void configUsesKerasKeysAndDefaults() {
    Map<String, Object> cfg = new Conv2D(32, 3).activation("relu").getConfig();
    assertEquals(32, cfg.get("filters"));
    assertEquals(List.of(3, 3), cfg.get("kernel_size"));
    assertEquals(List.of(1, 1), cfg.get("strides"));
    assertEquals("valid", cfg.get("padding"));
    assertEquals("channels_last", cfg.get("data_format"));
    assertEquals(List.of(1, 1), cfg.get("dilation_rate"));
    assertEquals(1, cfg.get("groups"));
    assertEquals("relu", cfg.get("activation"));
    assertEquals(true, cfg.get("use_bias"));
    // a Keras config with a scalar kernel_size and no optional keys
    Map<String, Object> keras = new HashMap<>();
    keras.put("name", "c");
    keras.put("filters", 8);
    keras.put("kernel_size", 5);
    keras.put("padding", "same");
    keras.put("strides", List.of(2, 1));
    Conv2D c = (Conv2D) Layer.REGISTRY.create("Conv2D", keras);
    assertArrayEquals(new int[] {5, 5}, c.kernelSize());
    assertArrayEquals(new int[] {3, 5, 8}, c.computeOutputShape(new int[] {6, 5, 1}));
  }

  @Test
  void channelsFirstComputesTheSameAsChannelsLastTransposed() {
    float[] x = LayerTesting.range(2 * 5 * 4 * 3);
    Conv2D last = new Conv2D(2, 3).strides(2).padding("same").groups(1);
    Conv2D first = new Conv2D(2, 3).strides(2).padding("same").dataFormat("channels_first");
    float[] yLast;
    float[] yFirst;
    try (Scope s = Backends.current().scope(false)) {
      Tensor xl = ops().constant(x, 2, 5, 4, 3);
      yLast = last.apply(xl).toFloatArray();
      first.apply(ops().transpose(xl, 0, 3, 1, 2));
      first.setWeights(last.getWeights());
      Tensor yf = first.apply(ops().transpose(xl, 0, 3, 1, 2));
      assertArrayEquals(new int[] {2, 2, 3, 2}, yf.shape());
      yFirst = ops().transpose(yf, 0, 2, 3, 1).toFloatArray();
    }
    assertArrayEquals(yLast, yFirst, 1e-4f);
    assertArrayEquals(new int[] {2, 3, 2}, first.computeOutputShape(new int[] {3, 5, 4}));
    assertArrayEquals(new int[] {3, 3, 3, 2}, first.kernel().shape());
  }

  @Test
  void rejectsAnUnknownDataFormatNamingTheKey() {
    Map<String, Object> keras = new HashMap<>();
    keras.put("filters", 8);
    keras.put("kernel_size", List.of(3, 3));
    keras.put("data_format", "channels_middle");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Layer.REGISTRY.create("Conv2D", keras));
    assertTrue(e.getMessage().contains("data_format") && e.getMessage().contains("channels_middle"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Conv2D(8, 3).dataFormat("NCHW"));
    assertTrue(e.getMessage().contains("data_format"), e.getMessage());
  }

  @Test
  void matchesKeras() {
    for (String name : new String[] {"conv2d_same_strided_rect", "conv2d_dilated",
        "conv2d_channels_first_groups"}) {
      KerasReference.load(name).check();
    }
  }

  @Test
  void rejectsRegularizers() {
    Map<String, Object> keras = new HashMap<>();
    keras.put("filters", 8);
    keras.put("kernel_size", 3);
    keras.put("kernel_regularizer", Map.of("class_name", "L2", "config", Map.of("l2", 0.01)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Layer.REGISTRY.create("Conv2D", keras));
    assertTrue(e.getMessage().contains("kernel_regularizer"), e.getMessage());
  }

  @Test
  void rejectsBadInputNamingLayerAndExpectedShape() {
    Conv2D c = new Conv2D(4, 3);
    c.name("my_conv");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> c.build(new int[] {5, 3}));
    assertTrue(e.getMessage().contains("my_conv")
        && e.getMessage().contains("(None, height, width, channels)")
        && e.getMessage().contains("(None, 5, 3)"), e.getMessage());
    Conv2D g = new Conv2D(4, 3).groups(2);
    g.name("grouped");
    e = assertThrows(IllegalArgumentException.class, () -> g.build(new int[] {5, 5, 3}));
    assertTrue(e.getMessage().contains("grouped") && e.getMessage().contains("groups=2"),
        e.getMessage());
    Conv2D big = new Conv2D(4, 5);
    big.name("big");
    e = assertThrows(IllegalArgumentException.class, () -> big.build(new int[] {3, 3, 1}));
    assertTrue(e.getMessage().contains("big"), e.getMessage());
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> new Conv2D(0, 3));
    assertThrows(IllegalArgumentException.class, () -> new Conv2D(4, 0));
    assertThrows(IllegalArgumentException.class, () -> new Conv2D(4, new int[] {3, 3, 3}));
    assertThrows(IllegalArgumentException.class, () -> new Conv2D(4, 3).padding("causal"));
    assertThrows(IllegalArgumentException.class, () -> new Conv2D(4, 3).groups(3));
    assertThrows(IllegalArgumentException.class, () -> new Conv2D(4, 3).strides(2).dilationRate(2));
  }
}
