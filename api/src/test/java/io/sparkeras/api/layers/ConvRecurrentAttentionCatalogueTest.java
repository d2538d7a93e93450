package io.sparkeras.api.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every {@code keras.layers} name of Keras 3.10's convolution, recurrent and attention groups
 * (the names its source exports, aliases included) is registered; docs/layers.md lists them.
 */
class ConvRecurrentAttentionCatalogueTest {
  static final List<String> KERAS_NAMES = List.of(
      // keras/src/layers/convolutional
      "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose",
      "Convolution1D", "Convolution2D", "Convolution3D", "Convolution1DTranspose",
      "Convolution2DTranspose", "Convolution3DTranspose", "DepthwiseConv1D", "DepthwiseConv2D",
      "SeparableConv1D", "SeparableConv2D", "SeparableConvolution1D", "SeparableConvolution2D",
      // keras/src/layers/rnn
      "RNN", "SimpleRNN", "SimpleRNNCell", "LSTM", "LSTMCell", "GRU", "GRUCell",
      "StackedRNNCells", "Bidirectional", "TimeDistributed", "ConvLSTM1D", "ConvLSTM2D",
      "ConvLSTM3D",
      // keras/src/layers/attention
      "Attention", "AdditiveAttention", "MultiHeadAttention", "GroupQueryAttention");

  @Test
  void everyKerasNameIsRegistered() {
    List<String> missing = new ArrayList<>();
    for (String n : KERAS_NAMES) {
      if (!Layer.REGISTRY.contains(n)) {
        missing.add(n);
      }
    }
    assertTrue(missing.isEmpty(), "not registered: " + missing);
    assertEquals(35, KERAS_NAMES.size());
  }
}
