package io.sparkeras.api.saving.keras;

import io.sparkeras.api.layers.KerasWeightLayout;
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
 * {@code layer.weights} order, and layers that nest layers say where through
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
    addLayer(model, "", out);
    return out;
  }

  /**
   * A layer's group and its nested ones: a model's layers are the container {@code layers};
   * a {@link KerasWeightLayout} says what it nests; any other layer holds its weights itself.
   */
  private static void addLayer(Layer layer, String path, List<Group> out) {
    if (layer instanceof Model) {
      out.add(new Group(path, layer.getName(), layer, List.of()));
      addContainer(((Model) layer).layers(), join(path, "layers"), out);
      return;
    }
    if (layer instanceof KerasWeightLayout) {
      KerasWeightLayout k = (KerasWeightLayout) layer;
      out.add(new Group(path, layer.getName(), layer, k.kerasOwnVariables()));
      for (Map.Entry<String, Object> e : k.kerasChildren().entrySet()) {
        String child = join(path, e.getKey());
        Object v = e.getValue();
        if (v == null) {
          out.add(new Group(child, lastPart(e.getKey()), layer, List.of()));
        } else if (v instanceof Layer) {
          addLayer((Layer) v, child, out);
        } else {
          addContainer(layers(v, layer, e.getKey()), child, out);
        }
      }
      return;
    }
    if (!layer.sublayers().isEmpty()) {
      throw new IllegalArgumentException("layer '" + layer.getName() + "' ("
          + layer.getClass().getSimpleName() + ") nests layers but does not say where Keras keeps "
          + "their weights: implement " + KerasWeightLayout.class.getName());
    }
    out.add(new Group(path, layer.getName(), layer, layer.weights()));
  }

  /**
   * Keras's {@code _save_container_state}: each layer at {@code <path>/<snake_case class name>},
   * numbered {@code _1}, {@code _2}, ... from the second of a class on (not the layer names).
   */
  private static void addContainer(List<Layer> layers, String path, List<Group> out) {
    Map<String, Integer> used = new HashMap<>();
    for (Layer layer : layers) {
      String base = Naming.snakeCase(pythonClassName(layer));
      Integer k = used.merge(base, 0, (a, b) -> a + 1);
      addLayer(layer, join(path, k == 0 ? base : base + "_" + k), out);
    }
  }

  private static List<Layer> layers(Object container, Layer owner, String key) {
    List<Layer> out = new ArrayList<>();
    for (Object o : container instanceof List ? (List<?>) container : List.of(container)) {
      if (!(o instanceof Layer)) {
        throw new IllegalStateException("layer '" + owner.getName() + "' (" + owner.getClass()
            .getSimpleName() + ") kerasChildren '" + key + "': expected a layer, a list of "
            + "layers or null, found " + container);
      }
      out.add((Layer) o);
    }
    return out;
  }

  /** The Keras class name a layer is saved under ({@code Conv2D}, {@code Functional}, ...). */
  static String kerasClassName(Layer layer) {
    if (layer instanceof Model) {
      return layer instanceof Sequential && layer.getClass() == Sequential.class
          ? "Sequential" : "Functional";
    }
    return Layer.REGISTRY.classNameOf(layer);
  }

  /**
   * The name of the Python class behind a Keras class name, which names weight groups: Keras 3
   * exports {@code GroupedQueryAttention} as {@code GroupQueryAttention}, the name its configs
   * carry.
   */
  private static String pythonClassName(Layer layer) {
    String name = kerasClassName(layer);
    return name.equals("GroupQueryAttention") ? "GroupedQueryAttention" : name;
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
