package io.sparkeras.api.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fashion-MNIST (Debian's package, installed by bin/setup / bin/test) loads like
 * {@code keras.datasets.fashion_mnist}. A short training run on it: the examples module's
 * FashionMnistExampleTest.
 */
class FashionMnistTest {
  static FashionMnist.Data data;

  @BeforeAll
  static void load() throws Exception {
    data = FashionMnist.load();
  }

  @Test
  void loadsLikeKerasDatasets() {
    assertArrayEquals(new int[] {60000, 28, 28, 1}, data.xTrain().shape());
    assertArrayEquals(new int[] {10000}, data.yTest().shape());
    float max = 0;
    for (float v : data.xTrain().toArray()) {
      max = Math.max(max, v);
    }
    assertEquals(1f, max, 1e-6f);
    int[] counts = new int[10];
    for (float y : data.yTrain().toArray()) {
      counts[(int) y]++;
    }
    for (int c : counts) {
      assertEquals(6000, c, "balanced classes");
    }
  }
}
