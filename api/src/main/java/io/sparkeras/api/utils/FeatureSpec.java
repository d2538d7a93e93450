package io.sparkeras.api.utils;

import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.preprocessing.PreprocessingLayer;
import java.util.Map;
import java.util.function.Function;

/**
 * How one {@link FeatureSpace} feature is preprocessed, Keras's {@code FeatureSpace.Feature}: the
 * raw column's dtype, the preprocessing layer (made for the feature's name) and the output mode
 * ("float": as the layer gives it; "int": category indices; "one_hot": indices one-hot encoded
 * with the layer's cardinality). Made by {@link FeatureSpace}'s factories
 * ({@code FeatureSpace.stringCategorical()}, ...) or {@link #of} for a layer of one's own.
 *
 * <pre>{@code
 * FeatureSpec text = FeatureSpec.of("string",
 *     new TextVectorization().outputMode("tf_idf"), "float");
 * }</pre>
 */
public final class FeatureSpec {
  private final String dtype;
  private final Function<String, PreprocessingLayer> factory;
  private final String outputMode;

  FeatureSpec(String dtype, Function<String, PreprocessingLayer> factory, String outputMode) {
    if (!outputMode.equals("int") && !outputMode.equals("one_hot")
        && !outputMode.equals("float")) {
      throw new IllegalArgumentException("FeatureSpace feature: output_mode: expected \"int\", "
          + "\"one_hot\" or \"float\", found \"" + outputMode + "\"");
    }
    this.dtype = dtype;
    this.factory = factory;
    this.outputMode = outputMode;
  }

  /** A feature with a preprocessing layer of one's own (Keras's {@code FeatureSpace.feature}). */
  public static FeatureSpec of(String dtype, PreprocessingLayer preprocessor, String outputMode) {
    return new FeatureSpec(dtype, name -> preprocessor, outputMode);
  }

  /** Keras's serialised Feature ({@code {"class_name": "Feature", "config": {...}}}). */
  static FeatureSpec fromConfig(Map<String, Object> serialized) {
    Object c = serialized.get("config");
    if (!(c instanceof Map)) {
      throw new IllegalArgumentException("FeatureSpace feature: expected {\"class_name\": "
          + "\"Feature\", \"config\": {...}}, found " + serialized);
    }
    @SuppressWarnings("unchecked")
    Config config = new Config("FeatureSpace feature", (Map<String, Object>) c);
    Object layer = Layer.REGISTRY.deserialize(config.get("preprocessor"));
    if (!(layer instanceof PreprocessingLayer)) {
      throw new IllegalArgumentException("FeatureSpace feature: the preprocessor must be a "
          + "preprocessing layer, found " + layer.getClass().getSimpleName());
    }
    return of(config.getString("dtype"), (PreprocessingLayer) layer,
        config.getString("output_mode"));
  }

  public String dtype() {
    return dtype;
  }

  public String outputMode() {
    return outputMode;
  }

  PreprocessingLayer newLayer(String featureName) {
    return factory.apply(featureName);
  }
}
