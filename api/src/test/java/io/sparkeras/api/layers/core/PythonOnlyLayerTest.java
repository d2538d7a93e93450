package io.sparkeras.api.layers.core;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.layers.Layer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PythonOnlyLayerTest {

  @Test
  void lambdaAndForeignModelsAreRefusedWithWhatToDo() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Layer.REGISTRY.create("Lambda", Map.of("name", "scale_by_two")));
    assertTrue(e.getMessage().contains("scale_by_two") && e.getMessage().contains("Python code")
        && e.getMessage().contains("Layer.REGISTRY.register(\"Lambda\""), e.getMessage());
    for (String name : new String[] {"TFSMLayer", "JaxLayer", "FlaxLayer", "TorchModuleWrapper"}) {
      e = assertThrows(IllegalArgumentException.class,
          () -> Layer.REGISTRY.create(name, Map.of("name", "m")));
      assertTrue(e.getMessage().contains(name) && e.getMessage().contains("another framework"),
          e.getMessage());
    }
  }
}
