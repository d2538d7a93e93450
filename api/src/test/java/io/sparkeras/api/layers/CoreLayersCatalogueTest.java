package io.sparkeras.api.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.activations.Activations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every {@code keras.layers} name of Keras 3.10's core, activation, pooling, reshaping, merging,
 * normalization and regularization groups (the layer names its source exports, aliases included)
 * is registered, and every {@code keras.activations} name; docs/layers.md lists them.
 */
class CoreLayersCatalogueTest {
  static final List<String> KERAS_NAMES = List.of(
      // keras/src/layers/core (Input is io.sparkeras.api.layers.Input)
      "InputLayer", "Dense", "EinsumDense", "Embedding", "Identity", "Masking",
      // keras/src/layers/activations
      "Activation", "ELU", "LeakyReLU", "PReLU", "ReLU", "Softmax",
      // keras/src/layers/pooling
      "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D",
      "AveragePooling3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D",
      "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D",
      "MaxPool1D", "MaxPool2D", "MaxPool3D", "AvgPool1D", "AvgPool2D", "AvgPool3D",
      "GlobalMaxPool1D", "GlobalMaxPool2D", "GlobalMaxPool3D", "GlobalAvgPool1D",
      "GlobalAvgPool2D", "GlobalAvgPool3D",
      // keras/src/layers/reshaping
      "Flatten", "Reshape", "Permute", "RepeatVector", "ZeroPadding1D", "ZeroPadding2D",
      "ZeroPadding3D", "UpSampling1D", "UpSampling2D", "UpSampling3D", "Cropping1D",
      "Cropping2D", "Cropping3D",
      // keras/src/layers/merging
      "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot",
      // keras/src/layers/normalization
      "BatchNormalization", "LayerNormalization", "GroupNormalization", "UnitNormalization",
      "RMSNormalization", "SpectralNormalization",
      // keras/src/layers/regularization
      "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise",
      "GaussianDropout", "AlphaDropout", "ActivityRegularization");

  /** keras.activations.ALL_OBJECTS_DICT's names (with swish and hard_swish). */
  static final List<String> ACTIVATIONS = List.of("relu", "leaky_relu", "relu6", "softmax",
      "celu", "elu", "selu", "softplus", "softsign", "squareplus", "soft_shrink", "sparse_plus",
      "silu", "gelu", "glu", "tanh", "tanh_shrink", "threshold", "sigmoid", "sparse_sigmoid",
      "exponential", "hard_sigmoid", "hard_silu", "hard_tanh", "hard_shrink", "linear", "mish",
      "log_softmax", "log_sigmoid", "sparsemax", "swish", "hard_swish");

  @Test
  void everyKerasNameIsRegistered() {
    List<String> missing = new ArrayList<>();
    for (String n : KERAS_NAMES) {
      if (!Layer.REGISTRY.contains(n)) {
        missing.add(n);
      }
    }
    assertTrue(missing.isEmpty(), "not registered: " + missing);
    assertEquals(71, KERAS_NAMES.size());
  }

  @Test
  void everyKerasActivationNameResolves() {
    for (String a : ACTIVATIONS) {
      if (a.equals("threshold")) {
        // needs two more arguments: Activations.threshold(x, threshold, defaultValue)
        assertThrows(IllegalArgumentException.class, () -> Activations.get(a));
      } else {
        assertTrue(Activations.get(a) != null, a);
      }
    }
    assertEquals(32, ACTIVATIONS.size());
  }

  @Test
  void pythonOnlyLayersAreRefusedNotUnknown() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Layer.REGISTRY.create("Lambda", Map.of()));
    assertTrue(e.getMessage().contains("Python code"), e.getMessage());
  }
}
