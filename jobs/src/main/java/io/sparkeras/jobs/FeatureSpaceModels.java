package io.sparkeras.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.utils.FeatureSpace;
import io.sparkeras.driver.preprocessing.SparkAdapt;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code train --feature-space SPEC.json}: a Keras {@code FeatureSpace} config (the
 * {@code get_config()} document, or the short form {@code {"features": {"age":
 * "float_normalized", "job": "string_categorical"}, "crosses": [["job", "zip"]]}}) adapted over
 * the training table in one Spark pass, with the {@code --model} document's layers stacked on
 * its encoded features: the saved model takes the raw columns.
 *
 * <pre>{@code
 * FeatureSpace fs = FeatureSpaceModels.read("--feature-space", "spec.json", conf);
 * Model m = FeatureSpaceModels.compose(SparkAdapt.adapt(fs, train), head, "--model");
 * }</pre>
 */
final class FeatureSpaceModels {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FeatureSpaceModels() {}

  @SuppressWarnings("unchecked")
  static FeatureSpace read(String flag, String path, Configuration conf) {
    Map<String, Object> config;
    try {
      Path p = new Path(path);
      try (InputStream in = p.getFileSystem(conf).open(p)) {
        config = JSON.readValue(in, Map.class);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new JobException(JobException.USAGE, flag + ": cannot read '" + path + "': "
          + JobException.brief(e), e);
    }
    if (config.containsKey("config") && config.get("config") instanceof Map) {
      config = (Map<String, Object>) config.get("config"); // serialize_keras_object's form
    }
    try {
      return FeatureSpace.fromConfig(config);
    } catch (RuntimeException e) {
      throw new JobException(JobException.USAGE, flag + ": '" + path + "' is not a FeatureSpace "
          + "config: " + JobException.brief(e), e);
    }
  }

  /** Adapts {@code fs} over {@code train}, one Spark pass. */
  static FeatureSpace adapt(String flag, FeatureSpace fs, Dataset<Row> train) {
    try {
      return SparkAdapt.adapt(fs, train);
    } catch (IllegalArgumentException e) {
      throw JobException.usage(flag + ": " + e.getMessage());
    }
  }

  /**
   * The model from the adapted {@code fs}'s inputs through {@code head}'s layers (a Sequential
   * document, with no input shape or the encoded features' width).
   */
  static Model compose(FeatureSpace fs, Model head, String flag) {
    if (!(head instanceof Sequential)) {
      throw JobException.usage(flag + ": with --feature-space, expected a Sequential model "
          + "document (its layers are stacked on the encoded features), found a "
          + head.getClass().getSimpleName() + " model");
    }
    KerasTensor x = fs.encodedFeatures();
    try {
      for (Layer l : ((Sequential) head).stackedLayers()) {
        x = l.apply(x);
      }
    } catch (RuntimeException e) {
      throw JobException.usage(flag + ": its layers do not take the FeatureSpace's encoded "
          + "features (width " + Layer.shapeString(fs.encodedFeatures().shape()) + "; leave the "
          + "model's input shape out): " + JobException.brief(e));
    }
    return new Model(fs.inputList(), List.of(x), head.getName());
  }
}
