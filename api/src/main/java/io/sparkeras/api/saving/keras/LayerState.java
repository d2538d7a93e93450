package io.sparkeras.api.saving.keras;

import io.sparkeras.api.layers.preprocessing.PreprocessingLayer;
import io.sparkeras.api.layers.preprocessing.StoredArray;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state a layer keeps outside engine variables, saved where Keras's {@code saving_lib}
 * saves it: a preprocessing layer's {@code save_own_variables} arrays in its group's
 * {@code vars} (Normalization's {@code 0} mean, {@code 1} variance, {@code 2} count as int32,
 * a TF-IDF lookup's {@code idf_weights}) and its {@code save_assets} files in the {@code .keras}
 * zip under {@code assets/<group path>/} (a lookup's {@code vocabulary.txt}).
 *
 * <pre>{@code
 * for (WeightGroups.Group g : WeightGroups.of(model)) {
 *   LayerState.writeVariables(h5, g);                         // into the weights file
 *   assets.putAll(LayerState.assets(g));                      // zip entry name -> bytes
 * }
 * }</pre>
 */
final class LayerState {
  /** The zip folder of Keras's asset store. */
  static final String ASSETS = "assets/";

  private LayerState() {}

  private static PreprocessingLayer stateful(WeightGroups.Group g) {
    return g.owner() instanceof PreprocessingLayer && g.variables().isEmpty()
        ? (PreprocessingLayer) g.owner() : null;
  }

  /** Writes {@code g}'s own arrays under its {@code vars} group (made by the caller). */
  static void writeVariables(Hdf5File h5, WeightGroups.Group g) throws IOException {
    PreprocessingLayer layer = stateful(g);
    if (layer == null) {
      return;
    }
    for (Map.Entry<String, StoredArray> e : layer.saveOwnVariables().entrySet()) {
      StoredArray a = e.getValue();
      String ds = g.varsPath() + "/" + e.getKey();
      if (a.isInt()) {
        h5.writeInts(ds, a.shape(), a.ints());
      } else {
        h5.writeFloats(ds, a.shape(), a.floats());
      }
    }
  }

  /**
   * Reads {@code g}'s own arrays from the file, to be applied with {@link Pending#apply}; null
   * when {@code g} is not a preprocessing layer's group.
   */
  static Pending readVariables(Hdf5File h5, WeightGroups.Group g, String vars, String source)
      throws IOException {
    PreprocessingLayer layer = stateful(g);
    if (layer == null) {
      return null;
    }
    Map<String, StoredArray> store = new TreeMap<>();
    if (h5.isGroup(vars)) {
      for (String key : h5.children(vars)) {
        String ds = vars + "/" + key;
        Hdf5File.Array a = h5.readFloats(ds);
        if (a.storedType().startsWith("int") && a.shape().length == 0) {
          store.put(key, StoredArray.ints(a.shape(), new long[] {h5.readLong(ds)}));
        } else {
          store.put(key, StoredArray.floats(a.shape(), a.values()));
        }
      }
    }
    return new Pending(layer, store, source, vars);
  }

  /** Arrays read for one layer, applied once every group of the file has been checked. */
  record Pending(PreprocessingLayer layer, Map<String, StoredArray> store, String source,
      String vars) {
    void apply() throws IOException {
      try {
        layer.loadOwnVariables(store);
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new IOException(source + ": layer '" + layer.getName() + "' (group '" + vars
            + "'): " + e.getMessage(), e);
      }
    }
  }

  /** {@code g}'s asset files as zip entries ({@code assets/<path>/<file>} to bytes). */
  static Map<String, byte[]> assets(WeightGroups.Group g) {
    PreprocessingLayer layer = stateful(g);
    Map<String, byte[]> out = new LinkedHashMap<>();
    if (layer != null) {
      for (Map.Entry<String, byte[]> e : layer.saveAssets().entrySet()) {
        out.put(folder(g) + e.getKey(), e.getValue());
      }
    }
    return out;
  }

  /** Gives every preprocessing layer of {@code groups} its files among the zip's assets. */
  static void loadAssets(List<WeightGroups.Group> groups, Map<String, byte[]> entries,
      String source) throws IOException {
    for (WeightGroups.Group g : groups) {
      PreprocessingLayer layer = stateful(g);
      if (layer == null) {
        continue;
      }
      String folder = folder(g);
      Map<String, byte[]> files = new LinkedHashMap<>();
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        String rest = e.getKey().startsWith(folder) ? e.getKey().substring(folder.length())
            : null;
        if (rest != null && !rest.isEmpty() && !rest.contains("/")) {
          files.put(rest, e.getValue());
        }
      }
      if (files.isEmpty()) {
        continue;
      }
      try {
        layer.loadAssets(files);
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new IOException(source + ": layer '" + layer.getName() + "' (" + folder + "): "
            + e.getMessage(), e);
      }
    }
  }

  private static String folder(WeightGroups.Group g) {
    return ASSETS + (g.path().isEmpty() ? "" : g.path() + "/");
  }

  /** Applies every pending read. */
  static void applyAll(List<Pending> pending) throws IOException {
    for (Pending p : new ArrayList<>(pending)) {
      p.apply();
    }
  }
}
