package io.sparkeras.api.layers.pooling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.layers.LayerTestHarness;
import io.sparkeras.api.testing.KerasReference;
import org.junit.jupiter.api.Test;

/**
 * Every pooling layer against Keras (1D, 2D, 3D; valid and same; both data formats), and the
 * harness for the layers without a test class of their own.
 */
class PoolingTest {

  @Test
  void matchesKeras() {
    for (String rank : new String[] {"1d", "2d", "3d"}) {
      KerasReference.load("pooling_" + rank).check();
      KerasReference.load("pooling_" + rank + "_cf").check();
    }
  }

  @Test
  void harness() {
    // small finite-difference steps keep near-ties of the max from flipping
    LayerTestHarness.of(() -> new AveragePooling1D(3).strides(2).padding("same"))
        .inputShape(7, 2).expectOutputShape(4, 2).run();
    LayerTestHarness.of(() -> new MaxPooling3D(2, 2, 1).dataFormat("channels_first"))
        .inputShape(2, 4, 4, 3).expectOutputShape(2, 2, 2, 3).epsilon(1e-3).run();
    LayerTestHarness.of(() -> new AveragePooling3D(2).padding("same")).inputShape(3, 3, 3, 2)
        .expectOutputShape(2, 2, 2, 2).run();
    LayerTestHarness.of(GlobalMaxPooling1D::new).inputShape(5, 3).expectOutputShape(3)
        .epsilon(1e-3).run();
    LayerTestHarness.of(() -> new GlobalMaxPooling2D().keepdims(true).dataFormat(
        "channels_first")).inputShape(3, 4, 4).expectOutputShape(3, 1, 1).epsilon(1e-3).run();
    LayerTestHarness.of(() -> new GlobalMaxPooling3D()).inputShape(2, 2, 2, 3)
        .expectOutputShape(3).epsilon(1e-3).run();
    LayerTestHarness.of(() -> new GlobalAveragePooling3D().keepdims(true)).inputShape(2, 2, 2, 3)
        .expectOutputShape(1, 1, 1, 3).run();
  }

  @Test
  void channelsFirstShapes() {
    assertArrayEquals(new int[] {4, 5},
        new MaxPooling1D(2).dataFormat("channels_first").computeOutputShape(new int[] {4, 10}));
    assertArrayEquals(new int[] {3, 2, 2, 3}, new AveragePooling3D(2).dataFormat(
        "channels_first").computeOutputShape(new int[] {3, 4, 5, 6}));
  }

  @Test
  void badDataFormatNamesTheKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new MaxPooling2D().dataFormat("nhwc"));
    assertTrue(e.getMessage().contains("data_format") && e.getMessage().contains("nhwc"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new MaxPooling3D().computeOutputShape(new int[] {4, 4, 3}));
    assertTrue(e.getMessage().contains("depth, height, width"), e.getMessage());
  }
}
