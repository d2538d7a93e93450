package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.layers.Layer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The preprocessing layers of Keras 3.10 this project supports (its issue's list: the feature
 * and text layers, Rescaling, Resizing, CenterCrop and the augmentation layers the models use)
 * are registered under their Keras names; docs/layers.md and docs/preprocessing.md list them.
 */
class PreprocessingCatalogueTest {
  static final List<String> KERAS_NAMES = List.of("Normalization", "Discretization",
      "CategoryEncoding", "Hashing", "HashedCrossing", "StringLookup", "IntegerLookup",
      "TextVectorization", "Rescaling", "Resizing", "CenterCrop", "RandomFlip", "RandomRotation",
      "RandomZoom", "RandomTranslation", "RandomCrop", "RandomContrast", "RandomBrightness");

  @Test
  void everyNameIsRegisteredAsAPreprocessingLayer() {
    List<String> missing = new ArrayList<>();
    for (String n : KERAS_NAMES) {
      if (!Layer.REGISTRY.contains(n)) {
        missing.add(n);
      }
    }
    assertTrue(missing.isEmpty(), "not registered: " + missing);
    assertEquals(18, KERAS_NAMES.size());
  }
}
