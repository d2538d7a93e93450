package io.sparkeras.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.activations.Activations;
import io.sparkeras.api.layers.BackendParity;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.activations.ELU;
import io.sparkeras.api.layers.activations.LeakyReLU;
import io.sparkeras.api.layers.activations.PReLU;
import io.sparkeras.api.layers.activations.ReLU;
import io.sparkeras.api.layers.activations.Softmax;
import io.sparkeras.api.layers.attention.AdditiveAttention;
import io.sparkeras.api.layers.attention.Attention;
import io.sparkeras.api.layers.attention.GroupQueryAttention;
import io.sparkeras.api.layers.attention.MultiHeadAttention;
import io.sparkeras.api.layers.convolutional.Conv1D;
import io.sparkeras.api.layers.convolutional.Conv1DTranspose;
import io.sparkeras.api.layers.convolutional.Conv2D;
import io.sparkeras.api.layers.convolutional.Conv2DTranspose;
import io.sparkeras.api.layers.convolutional.Conv3D;
import io.sparkeras.api.layers.convolutional.Conv3DTranspose;
import io.sparkeras.api.layers.convolutional.DepthwiseConv1D;
import io.sparkeras.api.layers.convolutional.DepthwiseConv2D;
import io.sparkeras.api.layers.convolutional.SeparableConv1D;
import io.sparkeras.api.layers.convolutional.SeparableConv2D;
import io.sparkeras.api.layers.core.Activation;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.layers.core.EinsumDense;
import io.sparkeras.api.layers.core.Embedding;
import io.sparkeras.api.layers.core.Identity;
import io.sparkeras.api.layers.core.Masking;
import io.sparkeras.api.layers.merging.Add;
import io.sparkeras.api.layers.merging.Average;
import io.sparkeras.api.layers.merging.Concatenate;
import io.sparkeras.api.layers.merging.Dot;
import io.sparkeras.api.layers.merging.Maximum;
import io.sparkeras.api.layers.merging.Minimum;
import io.sparkeras.api.layers.merging.Multiply;
import io.sparkeras.api.layers.merging.Subtract;
import io.sparkeras.api.layers.normalization.BatchNormalization;
import io.sparkeras.api.layers.normalization.GroupNormalization;
import io.sparkeras.api.layers.normalization.LayerNormalization;
import io.sparkeras.api.layers.normalization.RMSNormalization;
import io.sparkeras.api.layers.normalization.SpectralNormalization;
import io.sparkeras.api.layers.normalization.UnitNormalization;
import io.sparkeras.api.layers.pooling.AveragePooling1D;
import io.sparkeras.api.layers.pooling.AveragePooling2D;
import io.sparkeras.api.layers.pooling.AveragePooling3D;
import io.sparkeras.api.layers.pooling.GlobalAveragePooling1D;
import io.sparkeras.api.layers.pooling.GlobalAveragePooling2D;
import io.sparkeras.api.layers.pooling.GlobalAveragePooling3D;
import io.sparkeras.api.layers.pooling.GlobalMaxPooling1D;
import io.sparkeras.api.layers.pooling.GlobalMaxPooling2D;
import io.sparkeras.api.layers.pooling.GlobalMaxPooling3D;
import io.sparkeras.api.layers.pooling.MaxPooling1D;
import io.sparkeras.api.layers.pooling.MaxPooling2D;
import io.sparkeras.api.layers.pooling.MaxPooling3D;
import io.sparkeras.api.layers.regularization.ActivityRegularization;
import io.sparkeras.api.layers.regularization.AlphaDropout;
import io.sparkeras.api.layers.regularization.Dropout;
import io.sparkeras.api.layers.regularization.GaussianDropout;
import io.sparkeras.api.layers.regularization.GaussianNoise;
import io.sparkeras.api.layers.regularization.SpatialDropout1D;
import io.sparkeras.api.layers.regularization.SpatialDropout2D;
import io.sparkeras.api.layers.regularization.SpatialDropout3D;
import io.sparkeras.api.layers.reshaping.Cropping1D;
import io.sparkeras.api.layers.reshaping.Cropping2D;
import io.sparkeras.api.layers.reshaping.Cropping3D;
import io.sparkeras.api.layers.reshaping.Flatten;
import io.sparkeras.api.layers.reshaping.Permute;
import io.sparkeras.api.layers.reshaping.RepeatVector;
import io.sparkeras.api.layers.reshaping.Reshape;
import io.sparkeras.api.layers.reshaping.UpSampling1D;
import io.sparkeras.api.layers.reshaping.UpSampling2D;
import io.sparkeras.api.layers.reshaping.UpSampling3D;
import io.sparkeras.api.layers.reshaping.ZeroPadding1D;
import io.sparkeras.api.layers.reshaping.ZeroPadding2D;
import io.sparkeras.api.layers.reshaping.ZeroPadding3D;
import io.sparkeras.api.layers.rnn.Bidirectional;
import io.sparkeras.api.layers.rnn.ConvLSTM1D;
import io.sparkeras.api.layers.rnn.ConvLSTM2D;
import io.sparkeras.api.layers.rnn.ConvLSTM3D;
import io.sparkeras.api.layers.rnn.GRU;
import io.sparkeras.api.layers.rnn.GRUCell;
import io.sparkeras.api.layers.rnn.LSTM;
import io.sparkeras.api.layers.rnn.LSTMCell;
import io.sparkeras.api.layers.rnn.RNN;
import io.sparkeras.api.layers.rnn.SimpleRNN;
import io.sparkeras.api.layers.rnn.SimpleRNNCell;
import io.sparkeras.api.layers.rnn.StackedRNNCells;
import io.sparkeras.api.layers.rnn.TimeDistributed;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every layer registered in {@link Layer#REGISTRY} computes the same outputs and the same
 * gradients (inputs and trainable weights) on the tensorflow backend as on torch, through the
 * shared {@link BackendParity} check with torch's weights copied over. A layer registered without
 * a case here fails {@link #everyRegisteredLayerHasACase}: a new layer gets its parity case when
 * it is added.
 *
 * <p>Not here, and why: the preprocessing layers run on the host in Java before the network
 * ({@code PreprocessingLayer}: no backend operation, the same code on every backend);
 * {@code InputLayer} computes nothing; the Python-only names refuse to load on any backend. The
 * random layers (dropouts, noise) are compared in inference mode, where Keras makes them the
 * identity: the backends' random streams differ by design, as Keras's backends' do.
 */
class LayerCatalogueParityTest {

  /** Keras's preprocessing layers: host-side Java ({@code PreprocessingLayer#encode}). */
  static final Set<String> HOST_SIDE = Set.of("Normalization", "Discretization",
      "CategoryEncoding", "Hashing", "HashedCrossing", "StringLookup", "IntegerLookup",
      "TextVectorization", "Rescaling", "Resizing", "CenterCrop", "RandomFlip", "RandomRotation",
      "RandomZoom", "RandomTranslation", "RandomCrop", "RandomContrast", "RandomBrightness");

  /** Names that compute nothing, or that no backend runs. */
  static final Set<String> NOT_COMPUTING = Set.of("InputLayer", "Lambda", "TFSMLayer", "JaxLayer",
      "FlaxLayer", "TorchModuleWrapper");

  private static BackendParity parity() {
    return BackendParity.between("torch", "tensorflow");
  }

  private static List<int[]> shapes(int[]... s) {
    return List.of(s);
  }

  /** The parity checks, by registered Keras class name. */
  static Map<String, Runnable> cases() {
    Map<String, Runnable> c = new LinkedHashMap<>();
    core(c);
    convolutional(c);
    pooling(c);
    reshaping(c);
    merging(c);
    normalization(c);
    regularization(c);
    recurrent(c);
    attention(c);
    return c;
  }

  private static void core(Map<String, Runnable> c) {
    c.put("Dense", () -> {
      parity().check(() -> new Dense(5), 3, 4);
      parity().check(() -> new Dense(3).activation("tanh"), 4);
    });
    c.put("Activation", () -> {
      List<String> differ = new ArrayList<>();
      for (String a : Activations.names()) {
        if (!a.equals("threshold")) { // needs arguments; Activations.threshold(x, t, v)
          try {
            parity().check(() -> new Activation(a), 2, 6); // glu halves an even axis
          } catch (AssertionError e) {
            differ.add(a + ": " + e.getMessage());
          }
        }
      }
      assertTrue(differ.isEmpty(), "activations that differ: " + differ);
    });
    c.put("EinsumDense", () -> {
      // einsum is lowered to products and sums (TensorFlow's Einsum has no C++ gradient)
      parity().check(() -> new EinsumDense("abc,cd->abd", -1, 4).biasAxes("d"), 3, 5);
      parity().check(() -> new EinsumDense("abc,cde->abde", 3, 2, 2).biasAxes("de"), 3, 4);
      parity().check(() -> new EinsumDense("ab...,bc->ac...", 2).biasAxes("c"), 3, 4);
      parity().check(() -> new EinsumDense("...b,bc->...c", 4), 2, 3);
      parity().check(() -> new EinsumDense("abc,cd->ad", 4), 3, 5);
    });
    c.put("Embedding", () -> parity().integerInputs(10).check(() -> new Embedding(10, 4), 5));
    c.put("Identity", () -> parity().check(Identity::new, 4));
    c.put("Masking", () -> parity().check(() -> new Masking(0.5), 3, 2));
    c.put("ReLU", () -> parity().check(ReLU::new, 6));
    c.put("LeakyReLU", () -> parity().check(() -> new LeakyReLU(0.2), 6));
    c.put("PReLU", () -> parity().check(PReLU::new, 3, 2));
    c.put("ELU", () -> parity().check(() -> new ELU(0.5), 6));
    c.put("Softmax", () -> {
      parity().check(() -> new Softmax(1), 3, 4);
      parity().check(Softmax::new, 5);
    });
  }

  private static void convolutional(Map<String, Runnable> c) {
    c.put("Conv1D", () -> parity().check(() -> new Conv1D(3, 3).dilationRate(2), 9, 2));
    c.put("Conv2D", () -> {
      parity().check(() -> new Conv2D(3, 3).padding("same"), 5, 5, 2);
      parity().check(() -> new Conv2D(4, 2).strides(2, 2).groups(2), 6, 6, 2);
    });
    c.put("Conv3D", () -> parity().check(() -> new Conv3D(2, 2), 3, 3, 3, 1));
    c.put("Conv1DTranspose", () -> parity().check(() -> new Conv1DTranspose(2, 3), 4, 2));
    c.put("Conv2DTranspose", () -> {
      parity().check(() -> new Conv2DTranspose(2, 3).strides(2, 2), 3, 3, 2);
      parity().check(() -> new Conv2DTranspose(2, 3).padding("same"), 3, 3, 2);
    });
    c.put("Conv3DTranspose", () -> parity().check(() -> new Conv3DTranspose(2, 2), 2, 2, 2, 1));
    c.put("DepthwiseConv1D", () -> parity().check(() -> new DepthwiseConv1D(3), 6, 2));
    c.put("DepthwiseConv2D", () -> parity().check(() -> new DepthwiseConv2D(3), 5, 5, 2));
    c.put("SeparableConv1D", () -> parity().check(() -> new SeparableConv1D(3, 3), 6, 2));
    c.put("SeparableConv2D", () -> parity().check(() -> new SeparableConv2D(3, 3), 5, 5, 2));
  }

  private static void pooling(Map<String, Runnable> c) {
    c.put("MaxPooling1D", () -> parity().check(() -> new MaxPooling1D(2), 6, 2));
    c.put("MaxPooling2D", () -> parity().check(() -> new MaxPooling2D(2), 4, 4, 3));
    c.put("MaxPooling3D", () -> parity().check(() -> new MaxPooling3D(2, 2, 2), 4, 4, 4, 1));
    c.put("AveragePooling1D", () -> parity().check(() -> new AveragePooling1D(2), 6, 2));
    c.put("AveragePooling2D", () ->
        parity().check(() -> new AveragePooling2D(3).strides(2, 2).padding("same"), 5, 5, 2));
    c.put("AveragePooling3D", () ->
        parity().check(() -> new AveragePooling3D(2, 2, 2), 4, 4, 4, 1));
    c.put("GlobalAveragePooling1D", () -> parity().check(GlobalAveragePooling1D::new, 5, 3));
    c.put("GlobalAveragePooling2D", () -> parity().check(GlobalAveragePooling2D::new, 4, 4, 2));
    c.put("GlobalAveragePooling3D", () ->
        parity().check(GlobalAveragePooling3D::new, 3, 3, 3, 2));
    c.put("GlobalMaxPooling1D", () -> parity().check(GlobalMaxPooling1D::new, 5, 3));
    c.put("GlobalMaxPooling2D", () -> parity().check(GlobalMaxPooling2D::new, 4, 4, 2));
    c.put("GlobalMaxPooling3D", () -> parity().check(GlobalMaxPooling3D::new, 3, 3, 3, 2));
  }

  private static void reshaping(Map<String, Runnable> c) {
    c.put("Flatten", () -> parity().check(Flatten::new, 2, 3));
    c.put("Reshape", () -> parity().check(() -> new Reshape(3, 2), 2, 3));
    c.put("Permute", () -> parity().check(() -> new Permute(2, 1), 2, 3));
    c.put("RepeatVector", () -> parity().check(() -> new RepeatVector(3), 4));
    c.put("ZeroPadding1D", () -> parity().check(() -> new ZeroPadding1D(1), 4, 2));
    c.put("ZeroPadding2D", () -> parity().check(() -> new ZeroPadding2D(1), 3, 3, 2));
    c.put("ZeroPadding3D", () -> parity().check(() -> new ZeroPadding3D(1), 2, 2, 2, 1));
    c.put("Cropping1D", () -> parity().check(() -> new Cropping1D(1), 5, 2));
    c.put("Cropping2D", () -> parity().check(() -> new Cropping2D(1), 5, 5, 1));
    c.put("Cropping3D", () -> parity().check(() -> new Cropping3D(1), 4, 4, 4, 1));
    c.put("UpSampling1D", () -> parity().check(() -> new UpSampling1D(2), 3, 2));
    c.put("UpSampling2D", () -> parity().check(() -> new UpSampling2D(2, 2), 2, 3, 1));
    c.put("UpSampling3D", () -> parity().check(() -> new UpSampling3D(2, 2, 2), 2, 2, 2, 1));
  }

  private static void merging(Map<String, Runnable> c) {
    List<int[]> two = shapes(new int[] {4}, new int[] {4});
    c.put("Add", () -> parity().checkAll(Add::new, two));
    c.put("Subtract", () -> parity().checkAll(Subtract::new, two));
    c.put("Multiply", () -> parity().checkAll(Multiply::new, two));
    c.put("Average", () -> parity().checkAll(Average::new, two));
    c.put("Maximum", () -> parity().checkAll(Maximum::new, two));
    c.put("Minimum", () -> parity().checkAll(Minimum::new, two));
    c.put("Concatenate", () ->
        parity().checkAll(Concatenate::new, shapes(new int[] {2, 3}, new int[] {2, 4})));
    c.put("Dot", () -> {
      parity().checkAll(() -> new Dot(1), two);
      parity().checkAll(() -> new Dot(2, 2), shapes(new int[] {3, 4}, new int[] {5, 4}));
    });
  }

  private static void normalization(Map<String, Runnable> c) {
    c.put("BatchNormalization", () -> {
      parity().training(true).check(BatchNormalization::new, 4);
      parity().training(false).check(BatchNormalization::new, 4);
    });
    c.put("LayerNormalization", () -> parity().check(LayerNormalization::new, 5));
    c.put("GroupNormalization", () -> parity().check(() -> new GroupNormalization(2), 3, 4));
    c.put("UnitNormalization", () -> parity().check(UnitNormalization::new, 5));
    c.put("RMSNormalization", () -> parity().check(RMSNormalization::new, 5));
    c.put("SpectralNormalization", () ->
        parity().check(() -> new SpectralNormalization(new Dense(3)), 4));
  }

  /** Inference mode: the identity in Keras; training-mode noise is each backend's own stream. */
  private static void regularization(Map<String, Runnable> c) {
    c.put("Dropout", () -> parity().check(() -> new Dropout(0.5), 4));
    c.put("SpatialDropout1D", () -> parity().check(() -> new SpatialDropout1D(0.5), 4, 3));
    c.put("SpatialDropout2D", () -> parity().check(() -> new SpatialDropout2D(0.5), 3, 3, 2));
    c.put("SpatialDropout3D", () ->
        parity().check(() -> new SpatialDropout3D(0.5), 2, 2, 2, 2));
    c.put("GaussianNoise", () -> parity().check(() -> new GaussianNoise(0.1), 4));
    c.put("GaussianDropout", () -> parity().check(() -> new GaussianDropout(0.3), 4));
    c.put("AlphaDropout", () -> parity().check(() -> new AlphaDropout(0.3), 4));
    c.put("ActivityRegularization", () ->
        parity().check(() -> new ActivityRegularization(0.01, 0.01), 4));
  }

  private static void recurrent(Map<String, Runnable> c) {
    c.put("LSTM", () -> parity().check(() -> new LSTM(3), 4, 2));
    c.put("GRU", () -> parity().check(() -> new GRU(3).returnSequences(true), 4, 2));
    c.put("SimpleRNN", () -> parity().check(() -> new SimpleRNN(3), 4, 2));
    c.put("RNN", () -> parity().check(() -> new RNN(new SimpleRNNCell(3)), 4, 2));
    c.put("SimpleRNNCell", () ->
        parity().check(() -> new RNN(new SimpleRNNCell(3)).returnSequences(true), 3, 2));
    c.put("LSTMCell", () -> parity().check(() -> new RNN(new LSTMCell(3)), 4, 2));
    c.put("GRUCell", () -> parity().check(() -> new RNN(new GRUCell(3)), 4, 2));
    c.put("StackedRNNCells", () -> parity().check(() -> new RNN(new StackedRNNCells(
        List.of(new SimpleRNNCell(3), new LSTMCell(2)))), 4, 2));
    c.put("Bidirectional", () -> parity().check(() -> new Bidirectional(new LSTM(3)), 4, 2));
    c.put("TimeDistributed", () ->
        parity().check(() -> new TimeDistributed(new Dense(3)), 4, 2));
    c.put("ConvLSTM1D", () -> parity().check(() -> new ConvLSTM1D(2, 3), 3, 5, 2));
    c.put("ConvLSTM2D", () -> parity().check(() -> new ConvLSTM2D(2, 3), 2, 4, 4, 1));
    c.put("ConvLSTM3D", () -> parity().check(() -> new ConvLSTM3D(2, 2), 2, 3, 3, 3, 1));
  }

  private static void attention(Map<String, Runnable> c) {
    List<int[]> queryValue = shapes(new int[] {3, 4}, new int[] {5, 4});
    c.put("Attention", () -> parity().checkAll(Attention::new, queryValue));
    c.put("AdditiveAttention", () -> parity().checkAll(AdditiveAttention::new, queryValue));
    c.put("MultiHeadAttention", () -> parity().checkAll(() -> new MultiHeadAttention(2, 3),
        shapes(new int[] {4, 5}, new int[] {6, 5})));
    c.put("GroupQueryAttention", () -> parity().checkAll(() -> new GroupQueryAttention(2, 4, 2),
        shapes(new int[] {3, 5}, new int[] {4, 5})));
  }

  @Test
  void everyRegisteredLayerHasACase() {
    Set<String> covered = cases().keySet();
    List<String> missing = new ArrayList<>();
    for (String name : Layer.REGISTRY.names()) {
      if (!covered.contains(name) && !HOST_SIDE.contains(name) && !NOT_COMPUTING.contains(name)) {
        missing.add(name);
      }
    }
    assertTrue(missing.isEmpty(), "registered layers without a parity case: " + missing);
    Set<String> stale = new TreeSet<>(covered);
    stale.addAll(HOST_SIDE);
    stale.removeAll(Layer.REGISTRY.names());
    assertTrue(stale.isEmpty(), "cases for names no longer registered: " + stale);
    assertEquals(Layer.REGISTRY.names().size(),
        covered.size() + HOST_SIDE.size() + NOT_COMPUTING.size());
  }

  @TestFactory
  Stream<DynamicTest> everyLayerMatchesTorch() {
    return cases().entrySet().stream()
        .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> e.getValue().run()));
  }
}
