package io.sparkeras.api.saving;

import io.sparkeras.api.initializers.Constant;
import io.sparkeras.api.initializers.GlorotNormal;
import io.sparkeras.api.initializers.GlorotUniform;
import io.sparkeras.api.initializers.HeNormal;
import io.sparkeras.api.initializers.HeUniform;
import io.sparkeras.api.initializers.Ones;
import io.sparkeras.api.initializers.Orthogonal;
import io.sparkeras.api.initializers.RandomNormal;
import io.sparkeras.api.initializers.RandomUniform;
import io.sparkeras.api.initializers.VarianceScaling;
import io.sparkeras.api.initializers.Zeros;
import io.sparkeras.api.layers.InputLayer;
import io.sparkeras.api.layers.core.Activation;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.layers.regularization.Dropout;
import io.sparkeras.api.layers.reshaping.Flatten;
import io.sparkeras.api.losses.SparseCategoricalCrossentropy;
import io.sparkeras.api.metrics.SparseCategoricalAccuracy;
import io.sparkeras.api.optimizers.Adam;

/** Registers every built-in layer, initializer, loss, metric and optimizer under its Keras names. */
final class BuiltIns {
  private static volatile boolean done;

  private BuiltIns() {}

  static void ensureRegistered() {
    if (done) {
      return;
    }
    synchronized (BuiltIns.class) {
      if (done) {
        return;
      }
      done = true;
      layers();
      initializers();
      losses();
      metrics();
      optimizers();
    }
  }

  private static void layers() {
    Registry<io.sparkeras.api.layers.Layer> r = Registry.LAYERS;
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

  }

  private static void initializers() {
    Registry<io.sparkeras.api.initializers.Initializer> r = Registry.INITIALIZERS;
    r.registerBuiltIn("GlorotUniform", GlorotUniform.class, GlorotUniform::fromConfig,
        "glorot_uniform");
    r.registerBuiltIn("GlorotNormal", GlorotNormal.class, GlorotNormal::fromConfig, "glorot_normal");
    r.registerBuiltIn("HeNormal", HeNormal.class, HeNormal::fromConfig, "he_normal");
    r.registerBuiltIn("HeUniform", HeUniform.class, HeUniform::fromConfig, "he_uniform");
    r.registerBuiltIn("VarianceScaling", VarianceScaling.class, VarianceScaling::fromConfig,
        "variance_scaling");
    r.registerBuiltIn("Zeros", Zeros.class, Zeros::fromConfig, "zeros");
    r.registerBuiltIn("Ones", Ones.class, Ones::fromConfig, "ones");
    r.registerBuiltIn("Constant", Constant.class, Constant::fromConfig, "constant");
    r.registerBuiltIn("RandomNormal", RandomNormal.class, RandomNormal::fromConfig, "random_normal");
    r.registerBuiltIn("RandomUniform", RandomUniform.class, RandomUniform::fromConfig,
        "random_uniform");
    r.registerBuiltIn("Orthogonal", Orthogonal.class, Orthogonal::fromConfig, "orthogonal");
  }

  private static void losses() {
    Registry<io.sparkeras.api.losses.Loss> r = Registry.LOSSES;
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
    Registry<io.sparkeras.api.metrics.Metric> r = Registry.METRICS;
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
    Registry<io.sparkeras.api.optimizers.Optimizer> r = Registry.OPTIMIZERS;
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
}
