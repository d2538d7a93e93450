package io.sparkeras.api.layers.convolutional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.normalization.BatchNormalization;
import io.sparkeras.api.layers.pooling.GlobalAveragePooling2D;
import io.sparkeras.api.layers.pooling.MaxPooling2D;
import io.sparkeras.api.layers.reshaping.Flatten;
import io.sparkeras.api.layers.reshaping.Reshape;
import org.junit.jupiter.api.Test;

/** The layers chained symbolically (functional API), as in a small image model. */
class ConvNetShapesTest {

  @Test
  void mnistStyleStack() {
    KerasTensor x = Input.of(784);
    x = new Reshape(28, 28, 1).apply(x);
    x = new Conv2D(32, 3).activation("relu").apply(x);
    assertArrayEquals(new int[] {26, 26, 32}, x.shape());
    x = new MaxPooling2D(2).apply(x);
    assertArrayEquals(new int[] {13, 13, 32}, x.shape());
    x = new Conv2D(64, 3).strides(2).padding("same").apply(x);
    x = new BatchNormalization().apply(x);
    assertArrayEquals(new int[] {7, 7, 64}, x.shape());
    assertArrayEquals(new int[] {7 * 7 * 64}, new Flatten().apply(x).shape());
    assertArrayEquals(new int[] {64}, new GlobalAveragePooling2D().apply(x).shape());
  }

  @Test
  void unknownSpatialSizes() {
    KerasTensor x = Input.of(-1, -1, 3);
    x = new Conv2D(8, 3).padding("same").apply(x);
    x = new MaxPooling2D(2).apply(x);
    assertArrayEquals(new int[] {-1, -1, 8}, x.shape());
    assertArrayEquals(new int[] {8}, new GlobalAveragePooling2D().apply(x).shape());
  }

  @Test
  void symbolicWrongRankNamesLayerAndShape() {
    KerasTensor seq = Input.of(10, 4);
    Conv2D c = new Conv2D(8, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.apply(seq));
    assertTrue(e.getMessage().contains(c.getName()) && e.getMessage().contains("(None, 10, 4)")
        && e.getMessage().contains("(None, height, width, channels)"), e.getMessage());
  }
}
