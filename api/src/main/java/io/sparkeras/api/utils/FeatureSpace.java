package io.sparkeras.api.utils;

import io.sparkeras.api.config.Config;
import io.sparkeras.api.data.Columns;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.merging.Concatenate;
import io.sparkeras.api.layers.preprocessing.AdaptPlan;
import io.sparkeras.api.layers.preprocessing.CategoryEncoding;
import io.sparkeras.api.layers.preprocessing.Discretization;
import io.sparkeras.api.layers.preprocessing.HashedCrossing;
import io.sparkeras.api.layers.preprocessing.Hashing;
import io.sparkeras.api.layers.preprocessing.HostPlan;
import io.sparkeras.api.layers.preprocessing.IndexLookup;
import io.sparkeras.api.layers.preprocessing.IntegerLookup;
import io.sparkeras.api.layers.preprocessing.Normalization;
import io.sparkeras.api.layers.preprocessing.PreprocessingLayer;
import io.sparkeras.api.layers.preprocessing.Rescaling;
import io.sparkeras.api.layers.preprocessing.StringLookup;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Preprocessing and encoding of structured data, Keras's {@code keras.utils.FeatureSpace}: one
 * input per feature (shape {@code (1,)}, the feature's dtype, named like the feature and like
 * the table column it reads), its preprocessing layer, hashed crosses of preprocessed features,
 * one-hot encoding of categorical features, and either one concatenated vector
 * ({@code "concat"}) or one tensor per feature ({@code "dict"}), features in sorted name order
 * then crosses, as Keras. After {@code adapt}, its inputs and encoded features build a model
 * that takes raw rows; the preprocessing is part of the model, saved with it.
 *
 * <pre>{@code
 * FeatureSpace fs = FeatureSpace.builder()
 *     .feature("age", FeatureSpace.floatNormalized())
 *     .feature("hours", FeatureSpace.floatDiscretized(16))
 *     .feature("occupation", FeatureSpace.stringCategorical())
 *     .feature("zip", FeatureSpace.stringHashed(1024))
 *     .cross("occupation", "zip", 4096)
 *     .outputMode("concat").build();
 * fs.adapt(columns);                   // or SparkAdapt.adapt(fs, dataFrame): one Spark pass
 * KerasTensor x = fs.encodedFeatures();
 * Model model = new Model(fs.inputList(), new Dense(1).activation("sigmoid").apply(
 *     new Dense(64).activation("relu").apply(x)));
 * }</pre>
 */
public final class FeatureSpace {
  /** A hashed cross of preprocessed features, Keras's {@code FeatureSpace.cross}. */
  public record Cross(List<String> featureNames, int crossingDim, String outputMode) {
    public Cross {
      if (featureNames.size() < 2) {
        throw new IllegalArgumentException("FeatureSpace cross: needs at least two features, "
            + "found " + featureNames);
      }
      if (!outputMode.equals("int") && !outputMode.equals("one_hot")) {
        throw new IllegalArgumentException("FeatureSpace cross: output_mode: expected \"int\" or "
            + "\"one_hot\", found \"" + outputMode + "\"");
      }
      featureNames = List.copyOf(featureNames);
    }

    /** Keras's name: the feature names joined by "_X_". */
    public String name() {
      return String.join("_X_", featureNames);
    }
  }

  private final Map<String, FeatureSpec> specs;
  private final Map<String, PreprocessingLayer> preprocessors = new LinkedHashMap<>();
  private final Map<String, KerasTensor> inputs = new LinkedHashMap<>();
  private final Map<String, KerasTensor> preprocessed = new LinkedHashMap<>();
  private final List<Cross> crosses;
  private final String outputMode;
  private final int crossingDim;
  private final int hashingDim;
  private final int numDiscretizationBins;
  private boolean adapted;
  private Object encoded;

  FeatureSpace(FeatureSpaceBuilder b) {
    if (b.features.isEmpty()) {
      throw new IllegalArgumentException("FeatureSpace: give at least one feature");
    }
    this.specs = Collections.unmodifiableMap(new LinkedHashMap<>(b.features));
    this.crosses = List.copyOf(b.crosses);
    this.outputMode = b.outputMode;
    this.crossingDim = b.crossingDim;
    this.hashingDim = b.hashingDim;
    this.numDiscretizationBins = b.numDiscretizationBins;
    for (Cross c : crosses) {
      for (String f : c.featureNames()) {
        if (!specs.containsKey(f)) {
          throw new IllegalArgumentException("FeatureSpace: cross " + c.featureNames()
              + " names the unknown feature '" + f + "'; the features are " + specs.keySet());
        }
      }
    }
    for (Map.Entry<String, FeatureSpec> e : specs.entrySet()) {
      String name = e.getKey();
      PreprocessingLayer layer = e.getValue().newLayer(name);
      KerasTensor in = Input.named(name, e.getValue().dtype(), 1);
      preprocessors.put(name, layer);
      inputs.put(name, in);
      preprocessed.put(name, layer.apply(in));
    }
    adapted = plan().hostLayers().stream().noneMatch(PreprocessingLayer::isAdaptable);
  }

  // ---- the feature types (Keras's class methods) -------------------------------------------

  /** Plain float values. */
  public static FeatureSpec floatFeature() {
    return new FeatureSpec("float32", name -> named(new Rescaling(1.0), name + "_preprocessor"),
        "float");
  }

  /** Floats standardised by a {@link Normalization} learned by adapt. */
  public static FeatureSpec floatNormalized() {
    return new FeatureSpec("float32", name -> named(new Normalization(), name + "_preprocessor"),
        "float");
  }

  /** Floats rescaled linearly ({@code x * scale + offset}). */
  public static FeatureSpec floatRescaled(double scale, double offset) {
    return new FeatureSpec("float32", name -> named(new Rescaling(scale, offset),
        name + "_preprocessor"), "float");
  }

  /** Floats bucketed into {@code numBins} quantile bins learned by adapt, one-hot encoded. */
  public static FeatureSpec floatDiscretized(int numBins) {
    return floatDiscretized(numBins, "one_hot");
  }

  /** Floats bucketed into {@code numBins} quantile bins, output "one_hot" or "int". */
  public static FeatureSpec floatDiscretized(int numBins, String outputMode) {
    return new FeatureSpec("float32", name -> named(new Discretization(numBins),
        name + "_preprocessor"), outputMode);
  }

  /** Integer categories indexed by an {@link IntegerLookup} learned by adapt, one-hot encoded. */
  public static FeatureSpec integerCategorical() {
    return integerCategorical(null, 1, "one_hot");
  }

  public static FeatureSpec integerCategorical(Integer maxTokens, int numOovIndices,
      String outputMode) {
    return new FeatureSpec("int32", name -> named(new IntegerLookup().maxTokens(maxTokens)
        .numOovIndices(numOovIndices), name + "_preprocessor"), outputMode);
  }

  /** String categories indexed by a {@link StringLookup} learned by adapt, one-hot encoded. */
  public static FeatureSpec stringCategorical() {
    return stringCategorical(null, 1, "one_hot");
  }

  public static FeatureSpec stringCategorical(Integer maxTokens, int numOovIndices,
      String outputMode) {
    return new FeatureSpec("string", name -> named(new StringLookup().maxTokens(maxTokens)
        .numOovIndices(numOovIndices), name + "_preprocessor"), outputMode);
  }

  /** Integers hashed into {@code numBins} bins, one-hot encoded. */
  public static FeatureSpec integerHashed(int numBins) {
    return integerHashed(numBins, "one_hot");
  }

  public static FeatureSpec integerHashed(int numBins, String outputMode) {
    return new FeatureSpec("int32", name -> named(new Hashing(numBins), name + "_preprocessor"),
        outputMode);
  }

  /** Strings hashed into {@code numBins} bins, one-hot encoded. */
  public static FeatureSpec stringHashed(int numBins) {
    return stringHashed(numBins, "one_hot");
  }

  public static FeatureSpec stringHashed(int numBins, String outputMode) {
    return new FeatureSpec("string", name -> named(new Hashing(numBins), name + "_preprocessor"),
        outputMode);
  }

  // ---- building ---------------------------------------------------------------------------

  /** Fluent settings, Keras's constructor arguments: see {@link FeatureSpaceBuilder}. */
  public static FeatureSpaceBuilder builder() {
    return new FeatureSpaceBuilder();
  }

  /**
   * A FeatureSpace from Keras's config ({@code FeatureSpace.get_config()}, also the job's
   * {@code --feature-space} file): {@code features} maps names to a type name or a serialised
   * Feature; {@code crosses} lists feature-name lists or serialised Crosses.
   *
   * <pre>{@code
   * FeatureSpace fs = FeatureSpace.fromConfig(Map.of("features",
   *     Map.of("age", "float_normalized", "city", "string_categorical")));
   * }</pre>
   */
  public static FeatureSpace fromConfig(Map<String, Object> config) {
    return FeatureSpaceBuilder.fromConfig(config);
  }

  // ---- using it ---------------------------------------------------------------------------

  /** Feature names in the order given: the table columns the model reads. */
  public List<String> columns() {
    return List.copyOf(specs.keySet());
  }

  /** The inputs, one per feature, by name (Keras's {@code get_inputs()}). */
  public Map<String, KerasTensor> inputs() {
    return Collections.unmodifiableMap(inputs);
  }

  /** The inputs as a list, in {@link #columns()} order (what a Model takes). */
  public List<KerasTensor> inputList() {
    return List.copyOf(inputs.values());
  }

  /** Each feature's preprocessing layer (Keras's {@code preprocessors}). */
  public Map<String, PreprocessingLayer> preprocessors() {
    return Collections.unmodifiableMap(preprocessors);
  }

  public String outputMode() {
    return outputMode;
  }

  public List<Cross> crosses() {
    return crosses;
  }

  /** The host plan of the preprocessors alone (what adapt runs). */
  public HostPlan plan() {
    return HostPlan.of(inputList(), List.copyOf(preprocessed.values()));
  }

  /** Adapts every adaptable preprocessor on in-memory columns named like the features. */
  public FeatureSpace adapt(Columns data) {
    return adapt(AdaptPlan.inMemory(plan(), data));
  }

  /**
   * Adapts every adaptable preprocessor from a pass over data (a Spark DataFrame's source from
   * the driver module, say): one pass, since every preprocessor reads a raw column.
   */
  public FeatureSpace adapt(AdaptPlan.Source source) {
    if (encoded != null) {
      throw new IllegalStateException("FeatureSpace: adapt before taking the encoded features");
    }
    AdaptPlan.of(plan()).run(source);
    adapted = true;
    return this;
  }

  public boolean isAdapted() {
    return adapted;
  }

  /**
   * The encoded features (Keras's {@code get_encoded_features()}): one concatenated tensor in
   * "concat" mode. Needs adapt first (the one-hot sizes come from the vocabularies).
   */
  public KerasTensor encodedFeatures() {
    Object e = encode();
    if (!(e instanceof KerasTensor)) {
      throw new IllegalStateException("FeatureSpace: output_mode is \"dict\"; use "
          + "encodedFeatureMap()");
    }
    return (KerasTensor) e;
  }

  /** The encoded features by name ("dict" mode; in "concat" mode the parts before concat). */
  @SuppressWarnings("unchecked")
  public Map<String, KerasTensor> encodedFeatureMap() {
    Object e = encode();
    if (e instanceof Map) {
      return (Map<String, KerasTensor>) e;
    }
    throw new IllegalStateException("FeatureSpace: output_mode is \"concat\"; use "
        + "encodedFeatures()");
  }

  private Object encode() {
    if (!adapted) {
      throw new IllegalStateException("FeatureSpace: call adapt before using the encoded "
          + "features");
    }
    if (encoded != null) {
      return encoded;
    }
    Map<String, KerasTensor> parts = new LinkedHashMap<>();
    for (Map.Entry<String, KerasTensor> e : new TreeMap<>(preprocessed).entrySet()) {
      String name = e.getKey();
      parts.put(name, oneHot(name, e.getValue(), specs.get(name).outputMode(),
          cardinality(preprocessors.get(name))));
    }
    Map<String, KerasTensor> crossed = new TreeMap<>();
    for (Cross c : crosses) {
      List<KerasTensor> ins = new ArrayList<>();
      for (String f : c.featureNames()) {
        ins.add(preprocessed.get(f));
      }
      HashedCrossing crossing = named(new HashedCrossing(c.crossingDim()), c.name());
      crossed.put(c.name(), oneHot(c.name(), crossing.apply(ins), c.outputMode(),
          c.crossingDim()));
    }
    parts.putAll(crossed);
    if (outputMode.equals("dict")) {
      encoded = Collections.unmodifiableMap(parts);
    } else {
      for (Map.Entry<String, KerasTensor> e : parts.entrySet()) {
        if (isInteger(e.getValue())) {
          throw new IllegalStateException("FeatureSpace: cannot concatenate feature '"
              + e.getKey() + "': it is not encoded (output_mode \"int\"); use output_mode "
              + "\"dict\"");
        }
      }
      List<KerasTensor> list = new ArrayList<>(parts.values());
      encoded = list.size() == 1 ? list.get(0)
          : new Concatenate(-1).name("feature_space_concat").apply(list);
    }
    return encoded;
  }

  private static <L extends Layer> L named(L layer, String name) {
    layer.name(name);
    return layer;
  }

  private final Map<KerasTensor, Boolean> integerOutputs = new java.util.IdentityHashMap<>();

  private boolean isInteger(KerasTensor t) {
    return integerOutputs.getOrDefault(t, false);
  }

  private KerasTensor oneHot(String name, KerasTensor t, String mode, int cardinality) {
    if (mode.equals("float")) {
      return t;
    }
    if (mode.equals("int")) {
      integerOutputs.put(t, true);
      return t;
    }
    if (cardinality <= 0) {
      throw new IllegalStateException("FeatureSpace: feature '" + name + "' is one-hot encoded "
          + "but its preprocessor's cardinality is not known; use output_mode \"int\"");
    }
    return named(new CategoryEncoding(cardinality), name + "_one_hot").apply(t);
  }

  private static int cardinality(PreprocessingLayer p) {
    if (p instanceof IndexLookup) {
      return ((IndexLookup<?>) p).vocabularySize();
    } else if (p instanceof CategoryEncoding) {
      return ((CategoryEncoding) p).numTokens();
    } else if (p instanceof Discretization) {
      return ((Discretization) p).depth();
    } else if (p instanceof Hashing) {
      return ((Hashing) p).numBins();
    }
    return -1;
  }

  // ---- config -----------------------------------------------------------------------------

  /** Keras's {@code FeatureSpace.get_config()}. */
  public Map<String, Object> getConfig() {
    Map<String, Object> features = new LinkedHashMap<>();
    for (Map.Entry<String, FeatureSpec> e : specs.entrySet()) {
      Map<String, Object> fc = Config.newMap();
      fc.put("dtype", e.getValue().dtype());
      fc.put("preprocessor", Layer.REGISTRY.serialize(preprocessors.get(e.getKey())));
      fc.put("output_mode", e.getValue().outputMode());
      features.put(e.getKey(), serialized("Feature", fc));
    }
    List<Object> cs = new ArrayList<>();
    for (Cross c : crosses) {
      Map<String, Object> cc = Config.newMap();
      cc.put("feature_names", c.featureNames());
      cc.put("crossing_dim", c.crossingDim());
      cc.put("output_mode", c.outputMode());
      cs.add(serialized("Cross", cc));
    }
    Map<String, Object> m = Config.newMap();
    m.put("features", features);
    m.put("output_mode", outputMode);
    m.put("crosses", cs);
    m.put("crossing_dim", crossingDim);
    m.put("hashing_dim", hashingDim);
    m.put("num_discretization_bins", numDiscretizationBins);
    return m;
  }

  private static Map<String, Object> serialized(String className, Map<String, Object> config) {
    Map<String, Object> m = Config.newMap();
    m.put("module", "keras.src.layers.preprocessing.feature_space");
    m.put("class_name", className);
    m.put("config", config);
    m.put("registered_name", className);
    return m;
  }

  /** The layers of this feature space, preprocessors first (for messages and tests). */
  public List<Layer> layers() {
    return new ArrayList<>(preprocessors.values());
  }
}
