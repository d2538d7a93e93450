package io.sparkeras.api.layers.pooling;

import static io.sparkeras.api.layers.LayerTesting.range;
import static io.sparkeras.api.layers.LayerTesting.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.layers.LayerTestHarness;
import org.junit.jupiter.api.Test;

class AveragePooling2DTest {

  @Test
  void harness() {
    LayerTestHarness.of(() -> new AveragePooling2D(2)).inputShape(4, 4, 2)
        .expectOutputShape(2, 2, 2).run();
    LayerTestHarness.of(() -> new AveragePooling2D(3).strides(2).padding("same"))
        .inputShape(5, 6, 2).expectOutputShape(3, 3, 2).run();
  }

  @Test
  void twoByTwoMeanOnFourByFour() {
    assertArrayEquals(new float[] {3.5f, 5.5f, 11.5f, 13.5f},
        run(new AveragePooling2D(2), false, range(16), 1, 4, 4, 1), 1e-6f);
  }

  @Test
  void samePaddingAveragesOnlyCellsInsideTheInput() {
    // [[1,2,3],[4,5,6],[7,8,9]], pool 2, stride 2: windows {1,2,4,5}, {3,6}, {7,8}, {9}
    assertArrayEquals(new float[] {3f, 4.5f, 7.5f, 9f},
        run(new AveragePooling2D(2).padding("same"), false, range(9), 1, 3, 3, 1), 1e-6f);
  }

  @Test
  void rejectsWrongRank() {
    AveragePooling2D p = new AveragePooling2D();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> p.computeOutputShape(new int[] {4, 4, 4, 1}));
    assertTrue(e.getMessage().contains(p.getName())
        && e.getMessage().contains("(None, height, width, channels)"), e.getMessage());
  }
}
