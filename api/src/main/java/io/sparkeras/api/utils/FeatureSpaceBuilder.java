package io.sparkeras.api.utils;

import io.sparkeras.api.config.Config;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fluent settings of a {@link FeatureSpace}, Keras's constructor arguments, and the reading of
 * Keras's config ({@link FeatureSpace#fromConfig}).
 *
 * <pre>{@code
 * FeatureSpace fs = FeatureSpace.builder()
 *     .feature("age", "float_normalized")
 *     .feature("city", FeatureSpace.stringCategorical())
 *     .cross("age", "city", 64)
 *     .outputMode("concat").build();
 * }</pre>
 */
public final class FeatureSpaceBuilder {
  final Map<String, FeatureSpec> features = new LinkedHashMap<>();
  final List<FeatureSpace.Cross> crosses = new ArrayList<>();
  String outputMode = "concat";
  int crossingDim = 32;
  int hashingDim = 32;
  int numDiscretizationBins = 32;

  FeatureSpaceBuilder() {}

  /** A feature read from the column {@code name}. */
  public FeatureSpaceBuilder feature(String name, FeatureSpec spec) {
    if (features.containsKey(name)) {
      throw new IllegalArgumentException("FeatureSpace: feature '" + name + "' given twice");
    }
    features.put(name, spec);
    return this;
  }

  /**
   * A feature by Keras's type name ("float", "float_normalized", "float_rescaled",
   * "float_discretized", "integer_categorical", "string_categorical", "integer_hashed",
   * "string_hashed") with the default settings.
   */
  public FeatureSpaceBuilder feature(String name, String type) {
    return feature(name, byName(type));
  }

  private FeatureSpec byName(String type) {
    switch (type) {
      case "float":
        return FeatureSpace.floatFeature();
      case "float_normalized":
        return FeatureSpace.floatNormalized();
      case "float_rescaled":
        return FeatureSpace.floatRescaled(1.0, 0.0);
      case "float_discretized":
        return FeatureSpace.floatDiscretized(numDiscretizationBins);
      case "integer_categorical":
        return FeatureSpace.integerCategorical();
      case "string_categorical":
        return FeatureSpace.stringCategorical();
      case "integer_hashed":
        return FeatureSpace.integerHashed(hashingDim);
      case "string_hashed":
        return FeatureSpace.stringHashed(hashingDim);
      default:
        throw new IllegalArgumentException("FeatureSpace: unknown feature type '" + type
            + "'; expected float, float_normalized, float_rescaled, float_discretized, "
            + "integer_categorical, string_categorical, integer_hashed or string_hashed");
    }
  }

  /** A cross of two features into {@code crossingDim} bins, one-hot encoded. */
  public FeatureSpaceBuilder cross(String a, String b, int crossingDim) {
    return cross(new FeatureSpace.Cross(List.of(a, b), crossingDim, "one_hot"));
  }

  public FeatureSpaceBuilder cross(FeatureSpace.Cross c) {
    crosses.add(c);
    return this;
  }

  /** "concat" (default): one vector; "dict": one tensor per feature. */
  public FeatureSpaceBuilder outputMode(String mode) {
    if (!mode.equals("concat") && !mode.equals("dict")) {
      throw new IllegalArgumentException("FeatureSpace: output_mode: expected \"concat\" or "
          + "\"dict\", found \"" + mode + "\"");
    }
    outputMode = mode;
    return this;
  }

  /** Default bins of crosses given without a size (Keras's {@code crossing_dim}, 32). */
  public FeatureSpaceBuilder crossingDim(int n) {
    crossingDim = n;
    return this;
  }

  /** Default bins of "integer_hashed"/"string_hashed" by name (Keras's default 32). */
  public FeatureSpaceBuilder hashingDim(int n) {
    hashingDim = n;
    return this;
  }

  /** Default bins of "float_discretized" by name (Keras's default 32). */
  public FeatureSpaceBuilder numDiscretizationBins(int n) {
    numDiscretizationBins = n;
    return this;
  }

  public FeatureSpace build() {
    return new FeatureSpace(this);
  }

  /** {@link FeatureSpace#fromConfig}. */
  @SuppressWarnings("unchecked")
  static FeatureSpace fromConfig(Map<String, Object> config) {
    Config c = new Config("FeatureSpace", config);
    FeatureSpaceBuilder b = new FeatureSpaceBuilder()
        .outputMode(c.getString("output_mode", "concat")).crossingDim(c.getInt("crossing_dim", 32)).hashingDim(c.getInt("hashing_dim", 32))
        .numDiscretizationBins(c.getInt("num_discretization_bins", 32));
    Object features = c.get("features");
    if (!(features instanceof Map) || ((Map<?, ?>) features).isEmpty()) {
      throw new IllegalArgumentException("FeatureSpace: 'features' must map feature names to "
          + "types, found " + features);
    }
    for (Map.Entry<String, Object> e : ((Map<String, Object>) features).entrySet()) {
      if (e.getValue() instanceof String) {
        b.feature(e.getKey(), (String) e.getValue());
      } else if (e.getValue() instanceof Map) {
        b.feature(e.getKey(), FeatureSpec.fromConfig((Map<String, Object>) e.getValue()));
      } else {
        throw new IllegalArgumentException("FeatureSpace: feature '" + e.getKey() + "': "
            + "expected a type name or a serialised Feature, found " + e.getValue());
      }
    }
    Object crosses = c.get("crosses");
    if (crosses instanceof List) {
      for (Object x : (List<Object>) crosses) {
        b.cross(crossFrom(x, b.crossingDim));
      }
    }
    return b.build();
  }

  @SuppressWarnings("unchecked")
  private static FeatureSpace.Cross crossFrom(Object x, int defaultDim) {
    if (x instanceof List) {
      List<String> names = new ArrayList<>();
      for (Object n : (List<Object>) x) {
        names.add(String.valueOf(n));
      }
      return new FeatureSpace.Cross(names, defaultDim, "one_hot");
    }
    if (x instanceof Map) {
      Map<String, Object> m = (Map<String, Object>) x;
      Map<String, Object> cc = m.get("config") instanceof Map ? (Map<String, Object>) m.get(
          "config") : m;
      Config c = new Config("FeatureSpace cross", cc);
      List<String> names = new ArrayList<>();
      for (Object n : (List<Object>) c.get("feature_names")) {
        names.add(String.valueOf(n));
      }
      return new FeatureSpace.Cross(names, c.getInt("crossing_dim", defaultDim),
          c.getString("output_mode", "one_hot"));
    }
    throw new IllegalArgumentException("FeatureSpace: a cross must be a list of feature names "
        + "or a serialised Cross, found " + x);
  }
}
