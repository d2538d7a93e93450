package io.sparkeras.api.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerNamingTest {

  @Test
  void defaultNamesFollowKerasSnakeCase() {
    assertEquals("dense", Naming.snakeCase("Dense"));
    assertEquals("conv2d", Naming.snakeCase("Conv2D"));
    assertEquals("max_pooling2d", Naming.snakeCase("MaxPooling2D"));
    assertEquals("global_average_pooling1d", Naming.snakeCase("GlobalAveragePooling1D"));
    assertEquals("batch_normalization", Naming.snakeCase("BatchNormalization"));
    assertEquals("conv2d_transpose", Naming.snakeCase("Conv2DTranspose"));
    assertEquals("re_lu", Naming.snakeCase("ReLU"));
    assertEquals("lstm", Naming.snakeCase("LSTM"));
  }

  @Test
  void aBuiltLayerKeepsItsNameAModelMayChangeIt() {
    Dense dense = new Dense(2);
    Model model = new Sequential(Input.of(3), dense);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> dense.name("renamed"));
    assertTrue(e.getMessage().contains("is built: set its name before use"), e.getMessage());
    List<String> before = model.weights().stream().map(Variable::path).toList();
    model.name("classifier");
    assertEquals("classifier", model.getName());
    assertEquals(before, model.weights().stream().map(Variable::path).toList(),
        "the weights belong to the layers and keep their paths");
  }
}
