package io.sparkeras.api.saving.keras;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.saving.ModelFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The legacy HDF5 format of Keras 2 / tf.keras ({@code model.save("m.h5")},
 * {@code save_weights("w.h5")}) and of Keras 3's {@code legacy_h5_format}: root attributes
 * {@code model_config} and {@code training_config} (JSON), weights under
 * {@code model_weights/<layer name>} (or at the root for a weights-only file) listed by the
 * {@code layer_names} and {@code weight_names} attributes (split into {@code layer_names0},
 * {@code layer_names1}, ... when large). As Keras's own loader does, saved layers are matched in
 * order to the model's layers that have weights, each layer's weights being its trainable then
 * its non-trainable ones. Optimizer state is restored where it has Keras 3's variable layout (a
 * file written by Keras 3); tf.keras 2's slot layout is skipped with a warning, as Keras 3 does.
 *
 * <pre>{@code
 * try (Hdf5File f = Hdf5File.open(localPath, "old.h5")) {
 *   Model m = LegacyH5.readModel(f, "old.h5", true);
 * }
 * }</pre>
 */
public final class LegacyH5 {
  private static final Logger LOG = LoggerFactory.getLogger(LegacyH5.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private LegacyH5() {}

  /** Whether the file holds a whole model (root attribute {@code model_config}). */
  public static boolean isFullModel(Hdf5File f) throws IOException {
    return f.hasAttribute("/", "model_config");
  }

  /** The model, its weights and (with {@code compile}) its compile settings. */
  @SuppressWarnings("unchecked")
  public static Model readModel(Hdf5File f, String source, boolean compile) throws IOException {
    if (!isFullModel(f)) {
      throw new IOException(source + ": a weights-only HDF5 file (no model_config attribute); "
          + "build the model and call model.loadWeights(path)");
    }
    String version = kerasVersion(f);
    Map<String, Object> config = JSON.readValue(f.readString("/", "model_config"), Map.class);
    Model model = ModelFormat.fromConfig(LegacyConfigs.upgrade(config, version));
    if (compile && f.hasAttribute("/", "training_config")) {
      Map<String, Object> training = JSON.readValue(f.readString("/", "training_config"),
          Map.class);
      ModelFormat.applyCompileConfig(model, compileConfig(
          LegacyConfigs.upgrade(training, version)));
    }
    readWeights(model, f, "model_weights", source);
    if (compile && model.isCompiled() && f.isGroup("optimizer_weights")) {
      LOG.warn("{}: optimizer state of a legacy .h5 file is not restored; the optimizer starts "
          + "fresh", source);
    }
    return model;
  }

  private static String kerasVersion(Hdf5File f) throws IOException {
    return f.hasAttribute("/", "keras_version") ? f.readString("/", "keras_version") : null;
  }

  /** Keras 3's {@code compile_config} from a legacy {@code training_config}. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> compileConfig(Map<String, Object> training) {
    Map<String, Object> c = new LinkedHashMap<>();
    Object opt = training.get("optimizer_config");
    if (opt instanceof Map) {
      Map<String, Object> o = new LinkedHashMap<>((Map<String, Object>) opt);
      if (o.get("config") instanceof Map) {
        Map<String, Object> oc = new LinkedHashMap<>((Map<String, Object>) o.get("config"));
        oc.remove("decay"); // tf.keras 2's per-step decay, always 0 unless set; Keras 3 has none
        if (oc.containsKey("lr") && !oc.containsKey("learning_rate")) {
          oc.put("learning_rate", oc.remove("lr"));
        }
        o.put("config", oc);
      }
      c.put("optimizer", o);
    }
    c.put("loss", training.get("loss"));
    Object metrics = training.get("metrics");
    if (metrics instanceof List && ((List<Object>) metrics).size() == 1
        && ((List<Object>) metrics).get(0) instanceof List) {
      metrics = ((List<Object>) metrics).get(0); // tf.keras 2 nests one list per output
    }
    c.put("metrics", metrics instanceof List ? metrics : List.of());
    return c;
  }

  /**
   * Reads weights saved under {@code group} ({@code "model_weights"} in a full-model file,
   * {@code "/"} in a weights-only one) into {@code model}; nothing is assigned unless all fit.
   */
  public static void readWeights(Model model, Hdf5File f, String group, String source)
      throws IOException {
    model.parameterBlock();
    List<String> saved = new ArrayList<>();
    for (String name : attributeList(f, group, "layer_names")) {
      if (!attributeList(f, child(group, name), "weight_names").isEmpty()) {
        saved.add(name);
      }
    }
    List<Layer> layers = new ArrayList<>();
    collectLayersWithWeights(model, layers);
    if (saved.size() != layers.size()) {
      throw new IOException(source + ": the file has weights for " + saved.size() + " layers "
          + saved + ", the model has " + layers.size() + " layers with weights " + names(layers));
    }
    List<Variable> targets = new ArrayList<>();
    List<float[]> values = new ArrayList<>();
    for (int k = 0; k < layers.size(); k++) {
      Layer layer = layers.get(k);
      String g = child(group, saved.get(k));
      List<String> weightNames = attributeList(f, g, "weight_names");
      List<Variable> vs = legacyOrder(layer);
      if (weightNames.size() != vs.size()) {
        throw new IOException(source + ": layer #" + k + " ('" + layer.getName() + "' here, '"
            + saved.get(k) + "' in the file) expects " + vs.size() + " weights, the file has "
            + weightNames.size() + " " + weightNames);
      }
      for (int i = 0; i < vs.size(); i++) {
        Hdf5File.Array a = f.readFloats(g + "/" + weightNames.get(i));
        if (!Arrays.equals(a.shape(), vs.get(i).shape())) {
          throw new IOException(source + ": layer '" + layer.getName() + "', variable '"
              + vs.get(i).name() + "' (" + weightNames.get(i) + "): expected shape "
              + Arrays.toString(vs.get(i).shape()) + ", found " + Arrays.toString(a.shape()));
        }
        targets.add(vs.get(i));
        values.add(a.values());
      }
    }
    for (int i = 0; i < targets.size(); i++) {
      targets.get(i).assign(values.get(i));
    }
  }

  private static String child(String group, String name) {
    return group.isEmpty() || group.equals("/") ? name : group + "/" + name;
  }

  private static void collectLayersWithWeights(Model model, List<Layer> out) {
    for (Layer l : model.layers()) {
      if (!l.weights().isEmpty()) {
        out.add(l);
      }
    }
  }

  /** Keras's {@code _legacy_weights}: trainable weights, then non-trainable ones. */
  private static List<Variable> legacyOrder(Layer layer) {
    List<Variable> out = new ArrayList<>();
    for (Variable v : layer.weights()) {
      if (v.trainable()) {
        out.add(v);
      }
    }
    for (Variable v : layer.weights()) {
      if (!v.trainable()) {
        out.add(v);
      }
    }
    return out;
  }

  private static List<String> names(List<Layer> layers) {
    List<String> n = new ArrayList<>();
    for (Layer l : layers) {
      n.add(l.getName());
    }
    return n;
  }

  /** An attribute list, joined from {@code name0}, {@code name1}, ... when Keras split it. */
  static List<String> attributeList(Hdf5File f, String path, String name) throws IOException {
    if (f.hasAttribute(path, name)) {
      return f.readStrings(path, name);
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; f.hasAttribute(path, name + i); i++) {
      out.addAll(f.readStrings(path, name + i));
    }
    return out;
  }
}
