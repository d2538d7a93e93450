package io.sparkeras.api.examples;

import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.layers.regularization.Dropout;
import io.sparkeras.api.layers.reshaping.Flatten;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.saving.Registry;
import java.util.Map;

/** The README's small CNN: Conv2D(32, 3, relu), MaxPooling2D(2), Flatten, Dense(128), Dropout, Dense(10). */
final class CnnFactory {
  private CnnFactory() {}

  static Model create() {
    Layer conv = Registry.LAYERS.create("Conv2D", Map.of("filters", 32, "kernel_size", 3,
        "activation", "relu"));
    Layer pool = Registry.LAYERS.create("MaxPooling2D", Map.of("pool_size", 2));
    return new Sequential(Input.of(28, 28, 1), conv, pool, new Flatten(),
        new Dense(128).activation("relu"), new Dropout(0.2),
        new Dense(10).activation("softmax"));
  }
}
