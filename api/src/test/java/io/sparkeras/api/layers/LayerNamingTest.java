package io.sparkeras.api.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LayerNamingTest {

  @Test
  void defaultNamesFollowKerasSnakeCase() {
    assertEquals("dense", Layer.snakeCase("Dense"));
    assertEquals("conv2d", Layer.snakeCase("Conv2D"));
    assertEquals("max_pooling2d", Layer.snakeCase("MaxPooling2D"));
    assertEquals("global_average_pooling1d", Layer.snakeCase("GlobalAveragePooling1D"));
    assertEquals("batch_normalization", Layer.snakeCase("BatchNormalization"));
    assertEquals("conv2d_transpose", Layer.snakeCase("Conv2DTranspose"));
    assertEquals("re_lu", Layer.snakeCase("ReLU"));
    assertEquals("lstm", Layer.snakeCase("LSTM"));
  }
}
