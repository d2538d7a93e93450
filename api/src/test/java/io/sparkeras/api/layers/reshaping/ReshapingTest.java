package io.sparkeras.api.layers.reshaping;

import static io.sparkeras.api.layers.LayerTesting.range;
import static io.sparkeras.api.layers.LayerTesting.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.layers.LayerTestHarness;
import io.sparkeras.api.testing.KerasReference;
import org.junit.jupiter.api.Test;

/**
 * Permute, RepeatVector, ZeroPadding1D/2D/3D, Cropping1D/2D/3D, UpSampling1D/2D/3D (and Flatten
 * and Reshape) against Keras, both data formats; the harness; known values.
 */
class ReshapingTest {

  @Test
  void matchesKeras() {
    KerasReference.load("reshaping_1d").check();
    KerasReference.load("reshaping_2d").check();
    KerasReference.load("reshaping_3d").check();
  }

  @Test
  void harness() {
    LayerTestHarness.of(() -> new Permute(2, 1)).inputShape(3, 4).expectOutputShape(4, 3).run();
    LayerTestHarness.of(() -> new RepeatVector(3)).inputShape(4).expectOutputShape(3, 4).run();
    LayerTestHarness.of(() -> new ZeroPadding1D(1, 2)).inputShape(3, 2).expectOutputShape(6, 2)
        .run();
    LayerTestHarness.of(() -> new ZeroPadding2D(new int[][] {{1, 0}, {0, 2}})
        .dataFormat("channels_first")).inputShape(2, 3, 3).expectOutputShape(2, 4, 5).run();
    LayerTestHarness.of(() -> new ZeroPadding3D(1)).inputShape(2, 2, 2, 1)
        .expectOutputShape(4, 4, 4, 1).run();
    LayerTestHarness.of(() -> new Cropping1D(1, 0)).inputShape(4, 2).expectOutputShape(3, 2)
        .run();
    LayerTestHarness.of(() -> new Cropping2D(1, 0)).inputShape(4, 3, 2)
        .expectOutputShape(2, 3, 2).run();
    LayerTestHarness.of(() -> new Cropping3D(new int[][] {{1, 0}, {0, 1}, {1, 1}})
        .dataFormat("channels_first")).inputShape(2, 3, 3, 3).expectOutputShape(2, 2, 2, 1).run();
    LayerTestHarness.of(() -> new UpSampling1D(2)).inputShape(3, 2).expectOutputShape(6, 2).run();
    LayerTestHarness.of(() -> new UpSampling2D(2, 3).interpolation("bilinear")).inputShape(2, 2,
        1).expectOutputShape(4, 6, 1).run();
    LayerTestHarness.of(() -> new UpSampling3D(1, 2, 1).dataFormat("channels_first"))
        .inputShape(1, 2, 2, 2).expectOutputShape(1, 2, 4, 2).run();
    LayerTestHarness.of(() -> new Flatten().dataFormat("channels_first")).inputShape(2, 3, 2)
        .expectOutputShape(12).run();
  }

  @Test
  void knownValues() {
    assertArrayEquals(new float[] {0, 1, 2, 3, 0, 0},
        run(new ZeroPadding1D(1, 2), false, range(3), 1, 3, 1), 0f);
    assertArrayEquals(new float[] {2, 3}, run(new Cropping1D(1, 1), false, range(4), 1, 4, 1), 0f);
    assertArrayEquals(new float[] {1, 1, 2, 2}, run(new UpSampling1D(), false, range(2), 1, 2, 1),
        0f);
    assertArrayEquals(new float[] {1, 2, 1, 2}, run(new RepeatVector(2), false, range(2), 1, 2),
        0f);
  }

  @Test
  void badSettingsNameTheArgument() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Permute(1, 3));
    assertTrue(e.getMessage().contains("dims"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ZeroPadding2D(1, 2, 3));
    assertTrue(e.getMessage().contains("padding"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Cropping2D(2).computeOutputShape(new int[] {4, 4, 1}));
    assertTrue(e.getMessage().contains("leaves nothing"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new UpSampling2D().interpolation("bicubic"));
    assertTrue(e.getMessage().contains("interpolation") && e.getMessage().contains("bicubic"),
        e.getMessage());
  }
}
