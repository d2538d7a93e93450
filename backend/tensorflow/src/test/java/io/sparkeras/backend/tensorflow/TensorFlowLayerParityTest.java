package io.sparkeras.backend.tensorflow;

import io.sparkeras.api.layers.BackendParity;
import io.sparkeras.api.layers.activations.ELU;
import io.sparkeras.api.layers.activations.Softmax;
import io.sparkeras.api.layers.attention.MultiHeadAttention;
import io.sparkeras.api.layers.convolutional.Conv1D;
import io.sparkeras.api.layers.convolutional.Conv2D;
import io.sparkeras.api.layers.convolutional.Conv2DTranspose;
import io.sparkeras.api.layers.convolutional.Conv3D;
import io.sparkeras.api.layers.convolutional.DepthwiseConv2D;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.layers.core.EinsumDense;
import io.sparkeras.api.layers.core.Embedding;
import io.sparkeras.api.layers.merging.Dot;
import io.sparkeras.api.layers.normalization.BatchNormalization;
import io.sparkeras.api.layers.normalization.LayerNormalization;
import io.sparkeras.api.layers.pooling.AveragePooling2D;
import io.sparkeras.api.layers.pooling.GlobalAveragePooling1D;
import io.sparkeras.api.layers.pooling.MaxPooling1D;
import io.sparkeras.api.layers.pooling.MaxPooling2D;
import io.sparkeras.api.layers.reshaping.Flatten;
import io.sparkeras.api.layers.reshaping.UpSampling2D;
import io.sparkeras.api.layers.rnn.GRU;
import io.sparkeras.api.layers.rnn.LSTM;
import io.sparkeras.api.layers.rnn.SimpleRNN;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every layer here computes the same outputs and gradients on the tensorflow backend as on torch
 * (the shared {@link BackendParity} check, torch's weights copied over).
 */
class TensorFlowLayerParityTest {
  private static final BackendParity PARITY = BackendParity.between("torch", "tensorflow");

  @Test
  void denseAndActivations() {
    for (String a : new String[] {"linear", "relu", "sigmoid", "tanh", "softmax", "gelu", "silu",
        "softplus", "elu", "selu", "log_softmax", "swish", "leaky_relu", "hard_sigmoid"}) {
      PARITY.check(() -> new Dense(3).activation(a), 4);
    }
    PARITY.check(() -> new Dense(5), 3, 4);
    PARITY.check(() -> new ELU(0.5), 6);
    PARITY.check(() -> new Softmax(1), 3, 4);
  }

  @Test
  void convolutionsAndPooling() {
    PARITY.check(() -> new Conv2D(3, 3).padding("same"), 5, 5, 2);
    PARITY.check(() -> new Conv2D(4, 2).strides(2, 2).groups(2), 6, 6, 2);
    PARITY.check(() -> new Conv1D(3, 3).dilationRate(2), 9, 2);
    PARITY.check(() -> new Conv3D(2, 2), 3, 3, 3, 1);
    PARITY.check(() -> new DepthwiseConv2D(3), 5, 5, 2);
    PARITY.check(() -> new MaxPooling2D(2), 4, 4, 3);
    PARITY.check(() -> new AveragePooling2D(3).strides(2, 2).padding("same"), 5, 5, 2);
    PARITY.check(() -> new MaxPooling1D(2), 6, 2);
    PARITY.check(() -> new GlobalAveragePooling1D(), 5, 3);
    PARITY.check(() -> new Flatten(), 2, 3);
    PARITY.check(() -> new UpSampling2D(2, 2), 2, 3, 1);
  }

  @Test
  void transposedConvolution() {
    PARITY.check(() -> new Conv2DTranspose(2, 3).strides(2, 2), 3, 3, 2);
    PARITY.check(() -> new Conv2DTranspose(2, 3).padding("same"), 3, 3, 2);
  }

  @Test
  void recurrent() {
    PARITY.check(() -> new LSTM(3), 4, 2);
    PARITY.check(() -> new GRU(3).returnSequences(true), 4, 2);
    PARITY.check(() -> new SimpleRNN(3), 4, 2);
  }

  /**
   * einsum lowered to products and sums (TensorFlow's Einsum has no C++ gradient): EinsumDense's
   * equations (ellipses, two output axes, a label summed in the input only), Dot, attention.
   */
  @Test
  void einsumLayers() {
    PARITY.check(() -> new EinsumDense("abc,cd->abd", -1, 4).biasAxes("d"), 3, 5);
    PARITY.check(() -> new EinsumDense("abc,cde->abde", 3, 2, 2).biasAxes("de"), 3, 4);
    PARITY.check(() -> new EinsumDense("ab...,bc->ac...", 2).biasAxes("c"), 3, 4);
    PARITY.check(() -> new EinsumDense("...b,bc->...c", 4), 2, 3);
    PARITY.check(() -> new EinsumDense("abc,cd->ad", 4), 3, 5);
    PARITY.checkAll(() -> new Dot(1), List.of(new int[] {4}, new int[] {4}));
    PARITY.checkAll(() -> new Dot(2, 2), List.of(new int[] {3, 4}, new int[] {5, 4}));
    PARITY.checkAll(() -> new MultiHeadAttention(2, 3),
        List.of(new int[] {4, 5}, new int[] {6, 5}));
  }

  @Test
  void normalizationAndEmbedding() {
    PARITY.check(() -> new LayerNormalization(), 5);
    PARITY.training(true).check(() -> new BatchNormalization(), 4);
    PARITY.training(false).check(() -> new BatchNormalization(), 4);
    BackendParity.between("torch", "tensorflow").integerInputs(10)
        .check(() -> new Embedding(10, 4), 5);
  }
}
