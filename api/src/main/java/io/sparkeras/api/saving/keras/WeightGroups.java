package io.sparkeras.api.saving.keras;

import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.Naming;
import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each variable of a model lives in a Keras 3 weights file, following
 * {@code keras/src/saving/saving_lib.py}: the model's own group is the root ({@code vars}); its
 * layers are a container, {@code layers/<snake_case class name>} numbered within it
 * ({@code dense}, {@code dense_1}, ...: not the layer names); a nested model repeats the pattern
 * under its group; a layer's variables are {@code <group>/vars/0..n-1} in
 * {@code layer.weights} order, and layers with nested groups say where through
 * {@link KerasWeightLayout}.
 *
 * <pre>{@code
 * for (WeightGroups.Group g : WeightGroups.of(model)) {
 *   System.out.println(g.varsPath() + " " + g.name() + " " + g.variables().size());
 * }
 * }</pre>
 */
public final class WeightGroups {
  private WeightGroups() {}

  /**
   * One saveable's group.
   *
   * @param path the group's path ("" for the root, else e.g. {@code layers/dense})
   * @param name the saveable's name (the {@code name} attribute of its {@code vars} group)
   * @param owner the layer (or model) whose group this is, for messages
   * @param variables what {@code vars/0..} hold
   */
  public record Group(String path, String name, Layer owner, List<Variable> variables) {
    /** The path of the {@code vars} group ({@code vars} or {@code <path>/vars}). */
    public String varsPath() {
      return path.isEmpty() ? "vars" : path + "/vars";
    }
  }

  /** Every group of {@code model}'s weights, the root first, in Keras's visiting order. */
  public static List<Group> of(Model model) {
    List<Group> out = new ArrayList<>();
    addModel(model, "", out);
    return out;
  }

  private static void addModel(Model model, String path, List<Group> out) {
    out.add(new Group(path, model.getName(), model, List.of()));
    Map<String, Integer> used = new HashMap<>();
    for (Layer layer : model.layers()) {
      String base = Naming.snakeCase(kerasClassName(layer));
      Integer k = used.merge(base, 0, (a, b) -> a + 1);
      String child = join(join(path, "layers"), k == 0 ? base : base + "_" + k);
      if (layer instanceof Model) {
        addModel((Model) layer, child, out);
      } else {
        addLayer(layer, child, out);
      }
    }
  }

  private static void addLayer(Layer layer, String path, List<Group> out) {
    if (layer instanceof KerasWeightLayout) {
      for (Map.Entry<String, List<Variable>> e
          : ((KerasWeightLayout) layer).kerasWeightGroups().entrySet()) {
        String name = e.getKey().isEmpty() ? layer.getName() : lastPart(e.getKey());
        out.add(new Group(join(path, e.getKey()), name, layer, e.getValue()));
      }
      return;
    }
    if (!layer.sublayers().isEmpty()) {
      throw new IllegalArgumentException("layer '" + layer.getName() + "' ("
          + layer.getClass().getSimpleName() + ") nests layers but does not say where Keras keeps "
          + "their weights: implement " + KerasWeightLayout.class.getSimpleName());
    }
    out.add(new Group(path, layer.getName(), layer, layer.weights()));
  }

  /** The Keras class name a layer is saved under ({@code Conv2D}, {@code Functional}, ...). */
  static String kerasClassName(Layer layer) {
    if (layer instanceof Model) {
      return layer instanceof Sequential && layer.getClass() == Sequential.class
          ? "Sequential" : "Functional";
    }
    return Layer.REGISTRY.classNameOf(layer);
  }

  static String join(String a, String b) {
    if (a.isEmpty()) {
      return b;
    }
    return b.isEmpty() ? a : a + "/" + b;
  }

  private static String lastPart(String path) {
    int i = path.lastIndexOf('/');
    return i < 0 ? path : path.substring(i + 1);
  }
}
