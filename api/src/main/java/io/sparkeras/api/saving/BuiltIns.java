package io.sparkeras.api.saving;

import io.sparkeras.api.config.Registrations;
import io.sparkeras.api.config.Registry;
import io.sparkeras.api.initializers.Constant;
import io.sparkeras.api.initializers.GlorotNormal;
import io.sparkeras.api.initializers.GlorotUniform;
import io.sparkeras.api.initializers.HeNormal;
import io.sparkeras.api.initializers.HeUniform;
import io.sparkeras.api.initializers.Initializer;
import io.sparkeras.api.initializers.Ones;
import io.sparkeras.api.initializers.Orthogonal;
import io.sparkeras.api.initializers.RandomNormal;
import io.sparkeras.api.initializers.RandomUniform;
import io.sparkeras.api.initializers.VarianceScaling;
import io.sparkeras.api.initializers.Zeros;
import io.sparkeras.api.layers.InputLayer;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.core.Activation;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.layers.regularization.Dropout;
import io.sparkeras.api.layers.reshaping.Flatten;
import io.sparkeras.api.losses.Loss;
import io.sparkeras.api.losses.SparseCategoricalCrossentropy;
import io.sparkeras.api.metrics.Metric;
import io.sparkeras.api.metrics.SparseCategoricalAccuracy;
import io.sparkeras.api.optimizers.Adam;
import io.sparkeras.api.optimizers.Optimizer;

/**
 * Registers every built-in layer, initializer, loss, metric, optimizer, regularizer and constraint
 * under its Keras names; found by {@link Registry} through
 * {@code META-INF/services/io.sparkeras.api.config.Registrations} and run once, before the first
 * lookup.
 */
public final class BuiltIns implements Registrations {
  /** For {@link java.util.ServiceLoader}. */
  public BuiltIns() {}

  @Override
  public void register() {
    layers();
    initializers();
    losses();
    metrics();
    optimizers();
    regularizersAndConstraints();
  }

  private static void layers() {
    Registry<Layer> r = Layer.REGISTRY;
    r.registerBuiltIn("InputLayer", InputLayer.class, InputLayer::fromConfig);
    r.registerBuiltIn("Dense", Dense.class, Dense::fromConfig);
    r.registerBuiltIn("Activation", Activation.class, Activation::fromConfig);
    r.registerBuiltIn("Dropout", Dropout.class, Dropout::fromConfig);
    r.registerBuiltIn("Flatten", Flatten.class, Flatten::fromConfig);
    io.sparkeras.api.layers.preprocessing.PreprocessingLayers.register(r);

    // convolution, pooling, reshaping, normalization
    r.registerBuiltIn("Conv1D", io.sparkeras.api.layers.convolutional.Conv1D.class,
        io.sparkeras.api.layers.convolutional.Conv1D::fromConfig, "Convolution1D");
    r.registerBuiltIn("Conv2D", io.sparkeras.api.layers.convolutional.Conv2D.class,
        io.sparkeras.api.layers.convolutional.Conv2D::fromConfig, "Convolution2D");
    r.registerBuiltIn("MaxPooling1D", io.sparkeras.api.layers.pooling.MaxPooling1D.class,
        io.sparkeras.api.layers.pooling.MaxPooling1D::fromConfig, "MaxPool1D");
    r.registerBuiltIn("MaxPooling2D", io.sparkeras.api.layers.pooling.MaxPooling2D.class,
        io.sparkeras.api.layers.pooling.MaxPooling2D::fromConfig, "MaxPool2D");
    r.registerBuiltIn("AveragePooling2D", io.sparkeras.api.layers.pooling.AveragePooling2D.class,
        io.sparkeras.api.layers.pooling.AveragePooling2D::fromConfig, "AvgPool2D");
    r.registerBuiltIn("GlobalAveragePooling1D",
        io.sparkeras.api.layers.pooling.GlobalAveragePooling1D.class,
        io.sparkeras.api.layers.pooling.GlobalAveragePooling1D::fromConfig, "GlobalAvgPool1D");
    r.registerBuiltIn("GlobalAveragePooling2D",
        io.sparkeras.api.layers.pooling.GlobalAveragePooling2D.class,
        io.sparkeras.api.layers.pooling.GlobalAveragePooling2D::fromConfig, "GlobalAvgPool2D");
    r.registerBuiltIn("Reshape", io.sparkeras.api.layers.reshaping.Reshape.class,
        io.sparkeras.api.layers.reshaping.Reshape::fromConfig);
    r.registerBuiltIn("BatchNormalization",
        io.sparkeras.api.layers.normalization.BatchNormalization.class,
        io.sparkeras.api.layers.normalization.BatchNormalization::fromConfig);
    r.registerBuiltIn("LayerNormalization",
        io.sparkeras.api.layers.normalization.LayerNormalization.class,
        io.sparkeras.api.layers.normalization.LayerNormalization::fromConfig);

    // embedding, recurrent, attention, merging
    r.registerBuiltIn("Embedding", io.sparkeras.api.layers.core.Embedding.class,
        io.sparkeras.api.layers.core.Embedding::fromConfig);
    r.registerBuiltIn("LSTM", io.sparkeras.api.layers.rnn.LSTM.class,
        io.sparkeras.api.layers.rnn.LSTM::fromConfig);
    r.registerBuiltIn("GRU", io.sparkeras.api.layers.rnn.GRU.class,
        io.sparkeras.api.layers.rnn.GRU::fromConfig);
    r.registerBuiltIn("MultiHeadAttention",
        io.sparkeras.api.layers.attention.MultiHeadAttention.class,
        io.sparkeras.api.layers.attention.MultiHeadAttention::fromConfig);
    r.registerBuiltIn("Concatenate", io.sparkeras.api.layers.merging.Concatenate.class,
        io.sparkeras.api.layers.merging.Concatenate::fromConfig);
    r.registerBuiltIn("Add", io.sparkeras.api.layers.merging.Add.class,
        io.sparkeras.api.layers.merging.Add::fromConfig);
    coreLayers(r);
    convolutionRecurrentAttention(r);
  }

  /** Convolution, recurrent and attention layers beyond the first ones above. */
  private static void convolutionRecurrentAttention(Registry<io.sparkeras.api.layers.Layer> r) {
    r.registerBuiltIn("Conv3D", io.sparkeras.api.layers.convolutional.Conv3D.class,
        io.sparkeras.api.layers.convolutional.Conv3D::fromConfig, "Convolution3D");
    r.registerBuiltIn("Conv1DTranspose",
        io.sparkeras.api.layers.convolutional.Conv1DTranspose.class,
        io.sparkeras.api.layers.convolutional.Conv1DTranspose::fromConfig,
        "Convolution1DTranspose");
    r.registerBuiltIn("Conv2DTranspose",
        io.sparkeras.api.layers.convolutional.Conv2DTranspose.class,
        io.sparkeras.api.layers.convolutional.Conv2DTranspose::fromConfig,
        "Convolution2DTranspose");
    r.registerBuiltIn("Conv3DTranspose",
        io.sparkeras.api.layers.convolutional.Conv3DTranspose.class,
        io.sparkeras.api.layers.convolutional.Conv3DTranspose::fromConfig,
        "Convolution3DTranspose");
    r.registerBuiltIn("DepthwiseConv1D",
        io.sparkeras.api.layers.convolutional.DepthwiseConv1D.class,
        io.sparkeras.api.layers.convolutional.DepthwiseConv1D::fromConfig);
    r.registerBuiltIn("DepthwiseConv2D",
        io.sparkeras.api.layers.convolutional.DepthwiseConv2D.class,
        io.sparkeras.api.layers.convolutional.DepthwiseConv2D::fromConfig);
    r.registerBuiltIn("SeparableConv1D",
        io.sparkeras.api.layers.convolutional.SeparableConv1D.class,
        io.sparkeras.api.layers.convolutional.SeparableConv1D::fromConfig,
        "SeparableConvolution1D");
    r.registerBuiltIn("SeparableConv2D",
        io.sparkeras.api.layers.convolutional.SeparableConv2D.class,
        io.sparkeras.api.layers.convolutional.SeparableConv2D::fromConfig,
        "SeparableConvolution2D");
    recurrentAndAttention(r);
  }

  private static void recurrentAndAttention(Registry<io.sparkeras.api.layers.Layer> r) {
    r.registerBuiltIn("RNN", io.sparkeras.api.layers.rnn.RNN.class,
        io.sparkeras.api.layers.rnn.RNN::fromConfig);
    r.registerBuiltIn("SimpleRNN", io.sparkeras.api.layers.rnn.SimpleRNN.class,
        io.sparkeras.api.layers.rnn.SimpleRNN::fromConfig);
    r.registerBuiltIn("SimpleRNNCell", io.sparkeras.api.layers.rnn.SimpleRNNCell.class,
        io.sparkeras.api.layers.rnn.SimpleRNNCell::fromConfig);
    r.registerBuiltIn("LSTMCell", io.sparkeras.api.layers.rnn.LSTMCell.class,
        io.sparkeras.api.layers.rnn.LSTMCell::fromConfig);
    r.registerBuiltIn("GRUCell", io.sparkeras.api.layers.rnn.GRUCell.class,
        io.sparkeras.api.layers.rnn.GRUCell::fromConfig);
    r.registerBuiltIn("StackedRNNCells", io.sparkeras.api.layers.rnn.StackedRNNCells.class,
        io.sparkeras.api.layers.rnn.StackedRNNCells::fromConfig);
    r.registerBuiltIn("Bidirectional", io.sparkeras.api.layers.rnn.Bidirectional.class,
        io.sparkeras.api.layers.rnn.Bidirectional::fromConfig);
    r.registerBuiltIn("TimeDistributed", io.sparkeras.api.layers.rnn.TimeDistributed.class,
        io.sparkeras.api.layers.rnn.TimeDistributed::fromConfig);
    r.registerBuiltIn("ConvLSTM1D", io.sparkeras.api.layers.rnn.ConvLSTM1D.class,
        io.sparkeras.api.layers.rnn.ConvLSTM1D::fromConfig);
    r.registerBuiltIn("ConvLSTM2D", io.sparkeras.api.layers.rnn.ConvLSTM2D.class,
        io.sparkeras.api.layers.rnn.ConvLSTM2D::fromConfig);
    r.registerBuiltIn("ConvLSTM3D", io.sparkeras.api.layers.rnn.ConvLSTM3D.class,
        io.sparkeras.api.layers.rnn.ConvLSTM3D::fromConfig);
    r.registerBuiltIn("Attention", io.sparkeras.api.layers.attention.Attention.class,
        io.sparkeras.api.layers.attention.Attention::fromConfig);
    r.registerBuiltIn("AdditiveAttention",
        io.sparkeras.api.layers.attention.AdditiveAttention.class,
        io.sparkeras.api.layers.attention.AdditiveAttention::fromConfig);
    // Keras's Python class is GroupedQueryAttention; its configs say GroupQueryAttention
    r.registerBuiltIn("GroupQueryAttention",
        io.sparkeras.api.layers.attention.GroupQueryAttention.class,
        io.sparkeras.api.layers.attention.GroupQueryAttention::fromConfig, "GroupedQueryAttention");

  }

  private static void initializers() {
    Registry<Initializer> r = Initializer.REGISTRY;
    r.registerBuiltIn("GlorotUniform", GlorotUniform.class, GlorotUniform::fromConfig,
        "glorot_uniform");
    r.registerBuiltIn("GlorotNormal", GlorotNormal.class, GlorotNormal::fromConfig, "glorot_normal");
    r.registerBuiltIn("HeNormal", HeNormal.class, HeNormal::fromConfig, "he_normal");
    r.registerBuiltIn("HeUniform", HeUniform.class, HeUniform::fromConfig, "he_uniform");
    r.registerBuiltIn("VarianceScaling", VarianceScaling.class, VarianceScaling::fromConfig,
        "variance_scaling");
    r.registerBuiltIn("Zeros", Zeros.class, Zeros::fromConfig, "zeros", "zero");
    r.registerBuiltIn("Ones", Ones.class, Ones::fromConfig, "ones", "one");
    r.registerBuiltIn("Constant", Constant.class, Constant::fromConfig, "constant");
    r.registerBuiltIn("RandomNormal", RandomNormal.class, RandomNormal::fromConfig, "random_normal",
        "normal");
    r.registerBuiltIn("RandomUniform", RandomUniform.class, RandomUniform::fromConfig,
        "random_uniform", "uniform");
    r.registerBuiltIn("Orthogonal", Orthogonal.class, Orthogonal::fromConfig, "orthogonal",
        "OrthogonalInitializer");
    r.registerBuiltIn("TruncatedNormal", io.sparkeras.api.initializers.TruncatedNormal.class,
        io.sparkeras.api.initializers.TruncatedNormal::fromConfig, "truncated_normal");
    r.registerBuiltIn("LecunNormal", io.sparkeras.api.initializers.LecunNormal.class,
        io.sparkeras.api.initializers.LecunNormal::fromConfig, "lecun_normal");
    r.registerBuiltIn("LecunUniform", io.sparkeras.api.initializers.LecunUniform.class,
        io.sparkeras.api.initializers.LecunUniform::fromConfig, "lecun_uniform");
    r.registerBuiltIn("Identity", io.sparkeras.api.initializers.Identity.class,
        io.sparkeras.api.initializers.Identity::fromConfig, "identity", "IdentityInitializer");
  }

  private static void losses() {
    Registry<Loss> r = Loss.REGISTRY;
    r.registerBuiltIn("SparseCategoricalCrossentropy", SparseCategoricalCrossentropy.class,
        SparseCategoricalCrossentropy::fromConfig, "sparse_categorical_crossentropy");

    // regression and classification losses
    r.registerBuiltIn("MeanSquaredError", io.sparkeras.api.losses.MeanSquaredError.class,
        io.sparkeras.api.losses.MeanSquaredError::fromConfig, "mean_squared_error", "mse");
    r.registerBuiltIn("MeanAbsoluteError", io.sparkeras.api.losses.MeanAbsoluteError.class,
        io.sparkeras.api.losses.MeanAbsoluteError::fromConfig, "mean_absolute_error", "mae");
    r.registerBuiltIn("Huber", io.sparkeras.api.losses.Huber.class,
        io.sparkeras.api.losses.Huber::fromConfig, "huber", "huber_loss");
    r.registerBuiltIn("BinaryCrossentropy", io.sparkeras.api.losses.BinaryCrossentropy.class,
        io.sparkeras.api.losses.BinaryCrossentropy::fromConfig, "binary_crossentropy");
    r.registerBuiltIn("CategoricalCrossentropy",
        io.sparkeras.api.losses.CategoricalCrossentropy.class,
        io.sparkeras.api.losses.CategoricalCrossentropy::fromConfig, "categorical_crossentropy");

  }

  private static void metrics() {
    Registry<Metric> r = Metric.REGISTRY;
    r.registerBuiltIn("SparseCategoricalAccuracy", SparseCategoricalAccuracy.class,
        SparseCategoricalAccuracy::fromConfig, "sparse_categorical_accuracy");

    // accuracy, AUC, precision, recall, regression metrics
    r.registerBuiltIn("Accuracy", io.sparkeras.api.metrics.Accuracy.class,
        io.sparkeras.api.metrics.Accuracy::fromConfig);
    r.registerBuiltIn("BinaryAccuracy", io.sparkeras.api.metrics.BinaryAccuracy.class,
        io.sparkeras.api.metrics.BinaryAccuracy::fromConfig, "binary_accuracy");
    r.registerBuiltIn("CategoricalAccuracy", io.sparkeras.api.metrics.CategoricalAccuracy.class,
        io.sparkeras.api.metrics.CategoricalAccuracy::fromConfig, "categorical_accuracy");
    r.registerBuiltIn("AUC", io.sparkeras.api.metrics.AUC.class,
        io.sparkeras.api.metrics.AUC::fromConfig, "auc");
    r.registerBuiltIn("Precision", io.sparkeras.api.metrics.Precision.class,
        io.sparkeras.api.metrics.Precision::fromConfig, "precision");
    r.registerBuiltIn("Recall", io.sparkeras.api.metrics.Recall.class,
        io.sparkeras.api.metrics.Recall::fromConfig, "recall");
    r.registerBuiltIn("MeanSquaredError", io.sparkeras.api.metrics.MeanSquaredError.class,
        io.sparkeras.api.metrics.MeanSquaredError::fromConfig, "mean_squared_error", "mse");
    r.registerBuiltIn("MeanAbsoluteError", io.sparkeras.api.metrics.MeanAbsoluteError.class,
        io.sparkeras.api.metrics.MeanAbsoluteError::fromConfig, "mean_absolute_error", "mae");

  }

  private static void optimizers() {
    Registry<Optimizer> r = Optimizer.REGISTRY;
    r.registerBuiltIn("Adam", Adam.class, Adam::fromConfig, "adam");

    r.registerBuiltIn("AdamW", io.sparkeras.api.optimizers.AdamW.class,
        io.sparkeras.api.optimizers.AdamW::fromConfig, "adamw");
    r.registerBuiltIn("SGD", io.sparkeras.api.optimizers.SGD.class,
        io.sparkeras.api.optimizers.SGD::fromConfig, "sgd");
    r.registerBuiltIn("RMSprop", io.sparkeras.api.optimizers.RMSprop.class,
        io.sparkeras.api.optimizers.RMSprop::fromConfig, "rmsprop");
    r.registerBuiltIn("Adagrad", io.sparkeras.api.optimizers.Adagrad.class,
        io.sparkeras.api.optimizers.Adagrad::fromConfig, "adagrad");

  }

  private static void regularizersAndConstraints() {
    Registry<io.sparkeras.api.regularizers.Regularizer> r = io.sparkeras.api.regularizers.Regularizer.REGISTRY;
    r.registerBuiltIn("L1", io.sparkeras.api.regularizers.L1.class,
        io.sparkeras.api.regularizers.L1::fromConfig);
    r.registerBuiltIn("L2", io.sparkeras.api.regularizers.L2.class,
        io.sparkeras.api.regularizers.L2::fromConfig);
    r.registerBuiltIn("L1L2", io.sparkeras.api.regularizers.L1L2.class,
        io.sparkeras.api.regularizers.L1L2::fromConfig);
    r.registerBuiltIn("OrthogonalRegularizer",
        io.sparkeras.api.regularizers.OrthogonalRegularizer.class,
        io.sparkeras.api.regularizers.OrthogonalRegularizer::fromConfig);
    Registry<io.sparkeras.api.constraints.Constraint> c = io.sparkeras.api.constraints.Constraint.REGISTRY;
    c.registerBuiltIn("MaxNorm", io.sparkeras.api.constraints.MaxNorm.class,
        io.sparkeras.api.constraints.MaxNorm::fromConfig);
    c.registerBuiltIn("MinMaxNorm", io.sparkeras.api.constraints.MinMaxNorm.class,
        io.sparkeras.api.constraints.MinMaxNorm::fromConfig);
    c.registerBuiltIn("NonNeg", io.sparkeras.api.constraints.NonNeg.class,
        io.sparkeras.api.constraints.NonNeg::fromConfig);
    c.registerBuiltIn("UnitNorm", io.sparkeras.api.constraints.UnitNorm.class,
        io.sparkeras.api.constraints.UnitNorm::fromConfig);
  }

  /** Core, activation, pooling, reshaping, merging, normalization and regularization layers. */
  private static void coreLayers(Registry<io.sparkeras.api.layers.Layer> r) {
    // core
    r.registerBuiltIn("EinsumDense", io.sparkeras.api.layers.core.EinsumDense.class,
        io.sparkeras.api.layers.core.EinsumDense::fromConfig);
    r.registerBuiltIn("Identity", io.sparkeras.api.layers.core.Identity.class,
        io.sparkeras.api.layers.core.Identity::fromConfig);
    r.registerBuiltIn("Masking", io.sparkeras.api.layers.core.Masking.class,
        io.sparkeras.api.layers.core.Masking::fromConfig);
    for (String python : new String[] {"Lambda", "TFSMLayer", "JaxLayer", "FlaxLayer",
        "TorchModuleWrapper"}) {
      if (!r.contains(python)) { // a custom layer registered under the name wins
        r.registerBuiltIn(python, io.sparkeras.api.layers.core.PythonOnlyLayer.class,
            io.sparkeras.api.layers.core.PythonOnlyLayer.refusal(python));
      }
    }
    // activations
    r.registerBuiltIn("ReLU", io.sparkeras.api.layers.activations.ReLU.class,
        io.sparkeras.api.layers.activations.ReLU::fromConfig);
    r.registerBuiltIn("LeakyReLU", io.sparkeras.api.layers.activations.LeakyReLU.class,
        io.sparkeras.api.layers.activations.LeakyReLU::fromConfig);
    r.registerBuiltIn("PReLU", io.sparkeras.api.layers.activations.PReLU.class,
        io.sparkeras.api.layers.activations.PReLU::fromConfig);
    r.registerBuiltIn("ELU", io.sparkeras.api.layers.activations.ELU.class,
        io.sparkeras.api.layers.activations.ELU::fromConfig);
    r.registerBuiltIn("Softmax", io.sparkeras.api.layers.activations.Softmax.class,
        io.sparkeras.api.layers.activations.Softmax::fromConfig);
    // pooling
    r.registerBuiltIn("AveragePooling1D", io.sparkeras.api.layers.pooling.AveragePooling1D.class,
        io.sparkeras.api.layers.pooling.AveragePooling1D::fromConfig, "AvgPool1D");
    r.registerBuiltIn("AveragePooling3D", io.sparkeras.api.layers.pooling.AveragePooling3D.class,
        io.sparkeras.api.layers.pooling.AveragePooling3D::fromConfig, "AvgPool3D");
    r.registerBuiltIn("MaxPooling3D", io.sparkeras.api.layers.pooling.MaxPooling3D.class,
        io.sparkeras.api.layers.pooling.MaxPooling3D::fromConfig, "MaxPool3D");
    r.registerBuiltIn("GlobalAveragePooling3D",
        io.sparkeras.api.layers.pooling.GlobalAveragePooling3D.class,
        io.sparkeras.api.layers.pooling.GlobalAveragePooling3D::fromConfig, "GlobalAvgPool3D");
    r.registerBuiltIn("GlobalMaxPooling1D",
        io.sparkeras.api.layers.pooling.GlobalMaxPooling1D.class,
        io.sparkeras.api.layers.pooling.GlobalMaxPooling1D::fromConfig, "GlobalMaxPool1D");
    r.registerBuiltIn("GlobalMaxPooling2D",
        io.sparkeras.api.layers.pooling.GlobalMaxPooling2D.class,
        io.sparkeras.api.layers.pooling.GlobalMaxPooling2D::fromConfig, "GlobalMaxPool2D");
    r.registerBuiltIn("GlobalMaxPooling3D",
        io.sparkeras.api.layers.pooling.GlobalMaxPooling3D.class,
        io.sparkeras.api.layers.pooling.GlobalMaxPooling3D::fromConfig, "GlobalMaxPool3D");
    // reshaping
    r.registerBuiltIn("Permute", io.sparkeras.api.layers.reshaping.Permute.class,
        io.sparkeras.api.layers.reshaping.Permute::fromConfig);
    r.registerBuiltIn("RepeatVector", io.sparkeras.api.layers.reshaping.RepeatVector.class,
        io.sparkeras.api.layers.reshaping.RepeatVector::fromConfig);
    r.registerBuiltIn("ZeroPadding1D", io.sparkeras.api.layers.reshaping.ZeroPadding1D.class,
        io.sparkeras.api.layers.reshaping.ZeroPadding1D::fromConfig);
    r.registerBuiltIn("ZeroPadding2D", io.sparkeras.api.layers.reshaping.ZeroPadding2D.class,
        io.sparkeras.api.layers.reshaping.ZeroPadding2D::fromConfig);
    r.registerBuiltIn("ZeroPadding3D", io.sparkeras.api.layers.reshaping.ZeroPadding3D.class,
        io.sparkeras.api.layers.reshaping.ZeroPadding3D::fromConfig);
    r.registerBuiltIn("Cropping1D", io.sparkeras.api.layers.reshaping.Cropping1D.class,
        io.sparkeras.api.layers.reshaping.Cropping1D::fromConfig);
    r.registerBuiltIn("Cropping2D", io.sparkeras.api.layers.reshaping.Cropping2D.class,
        io.sparkeras.api.layers.reshaping.Cropping2D::fromConfig);
    r.registerBuiltIn("Cropping3D", io.sparkeras.api.layers.reshaping.Cropping3D.class,
        io.sparkeras.api.layers.reshaping.Cropping3D::fromConfig);
    r.registerBuiltIn("UpSampling1D", io.sparkeras.api.layers.reshaping.UpSampling1D.class,
        io.sparkeras.api.layers.reshaping.UpSampling1D::fromConfig);
    r.registerBuiltIn("UpSampling2D", io.sparkeras.api.layers.reshaping.UpSampling2D.class,
        io.sparkeras.api.layers.reshaping.UpSampling2D::fromConfig);
    r.registerBuiltIn("UpSampling3D", io.sparkeras.api.layers.reshaping.UpSampling3D.class,
        io.sparkeras.api.layers.reshaping.UpSampling3D::fromConfig);
    // merging
    r.registerBuiltIn("Subtract", io.sparkeras.api.layers.merging.Subtract.class,
        io.sparkeras.api.layers.merging.Subtract::fromConfig);
    r.registerBuiltIn("Multiply", io.sparkeras.api.layers.merging.Multiply.class,
        io.sparkeras.api.layers.merging.Multiply::fromConfig);
    r.registerBuiltIn("Average", io.sparkeras.api.layers.merging.Average.class,
        io.sparkeras.api.layers.merging.Average::fromConfig);
    r.registerBuiltIn("Maximum", io.sparkeras.api.layers.merging.Maximum.class,
        io.sparkeras.api.layers.merging.Maximum::fromConfig);
    r.registerBuiltIn("Minimum", io.sparkeras.api.layers.merging.Minimum.class,
        io.sparkeras.api.layers.merging.Minimum::fromConfig);
    r.registerBuiltIn("Dot", io.sparkeras.api.layers.merging.Dot.class,
        io.sparkeras.api.layers.merging.Dot::fromConfig);
    // normalization
    r.registerBuiltIn("GroupNormalization",
        io.sparkeras.api.layers.normalization.GroupNormalization.class,
        io.sparkeras.api.layers.normalization.GroupNormalization::fromConfig);
    r.registerBuiltIn("UnitNormalization",
        io.sparkeras.api.layers.normalization.UnitNormalization.class,
        io.sparkeras.api.layers.normalization.UnitNormalization::fromConfig);
    r.registerBuiltIn("RMSNormalization",
        io.sparkeras.api.layers.normalization.RMSNormalization.class,
        io.sparkeras.api.layers.normalization.RMSNormalization::fromConfig);
    r.registerBuiltIn("SpectralNormalization",
        io.sparkeras.api.layers.normalization.SpectralNormalization.class,
        io.sparkeras.api.layers.normalization.SpectralNormalization::fromConfig);
    // regularization
    r.registerBuiltIn("SpatialDropout1D",
        io.sparkeras.api.layers.regularization.SpatialDropout1D.class,
        io.sparkeras.api.layers.regularization.SpatialDropout1D::fromConfig);
    r.registerBuiltIn("SpatialDropout2D",
        io.sparkeras.api.layers.regularization.SpatialDropout2D.class,
        io.sparkeras.api.layers.regularization.SpatialDropout2D::fromConfig);
    r.registerBuiltIn("SpatialDropout3D",
        io.sparkeras.api.layers.regularization.SpatialDropout3D.class,
        io.sparkeras.api.layers.regularization.SpatialDropout3D::fromConfig);
    r.registerBuiltIn("GaussianNoise", io.sparkeras.api.layers.regularization.GaussianNoise.class,
        io.sparkeras.api.layers.regularization.GaussianNoise::fromConfig);
    r.registerBuiltIn("GaussianDropout",
        io.sparkeras.api.layers.regularization.GaussianDropout.class,
        io.sparkeras.api.layers.regularization.GaussianDropout::fromConfig);
    r.registerBuiltIn("AlphaDropout", io.sparkeras.api.layers.regularization.AlphaDropout.class,
        io.sparkeras.api.layers.regularization.AlphaDropout::fromConfig);
    r.registerBuiltIn("ActivityRegularization",
        io.sparkeras.api.layers.regularization.ActivityRegularization.class,
        io.sparkeras.api.layers.regularization.ActivityRegularization::fromConfig);
  }
}
