package io.sparkeras.api.saving;

import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.InputLayer;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.Node;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Model configs in Keras 3's {@code to_json()} schema: {@code Sequential} (a {@code layers}
 * list), {@code Functional} (layers with {@code inbound_nodes} of {@code __keras_tensor__}
 * arguments, {@code input_layers}, {@code output_layers}), and registered subclassed models.
 * Reading also accepts tf.keras 2's forms ({@code batch_input_shape}, nested-list inbound nodes,
 * {@code "Model"} as class name).
 */
final class ModelConfigs {
  private ModelConfigs() {}

  static Map<String, Object> serializeModel(Model model) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (model instanceof Sequential && model.getClass() == Sequential.class) {
      m.put("module", "keras");
      m.put("class_name", "Sequential");
      m.put("config", modelConfig(model));
      m.put("registered_name", null);
    } else if (model.isGraphNetwork() && model.getClass() == Model.class) {
      m.put("module", "keras.src.models.functional");
      m.put("class_name", "Functional");
      m.put("config", modelConfig(model));
      m.put("registered_name", "Functional");
    } else {
      return withBuild(Layer.REGISTRY.serialize(model), model);
    }
    return withBuild(m, model);
  }

  private static Map<String, Object> withBuild(Map<String, Object> m, Layer l) {
    Map<String, Object> bc = l.getBuildConfig();
    if (bc != null) {
      m.put("build_config", bc);
    }
    return m;
  }

  static Map<String, Object> modelConfig(Model model) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", model.getName());
    c.put("trainable", model.isTrainable());
    if (model instanceof Sequential) {
      c.put("dtype", Layer.dtypePolicy());
      List<Object> layers = new ArrayList<>();
      if (model.isGraphNetwork()) {
        InputLayer in = (InputLayer) model.inputs().get(0).layer();
        layers.add(Layer.REGISTRY.serialize(in));
      }
      for (Layer l : ((Sequential) model).stackedLayers()) {
        layers.add(layerEntry(l));
      }
      c.put("layers", layers);
      if (model.isGraphNetwork()) {
        c.put("build_input_shape", withBatch(model.inputShapes().get(0)));
      }
      return c;
    }
    if (!model.isGraphNetwork()) {
      throw new IllegalStateException("subclassed model '" + model.getName() + "' ("
          + model.getClass().getName() + ") must override getConfig() and be registered with "
          + "Layer.REGISTRY.register(...) to be saved");
    }
    List<Object> layers = new ArrayList<>();
    Map<Layer, List<Node>> nodesOf = new LinkedHashMap<>();
    for (Layer l : model.layers()) {
      nodesOf.put(l, new ArrayList<>());
    }
    // every node of the model, grouped per layer, in graph order
    collectNodes(model, nodesOf);
    Map<KerasTensor, Integer> local = new java.util.IdentityHashMap<>();
    for (List<Node> ns : nodesOf.values()) {
      for (int k = 0; k < ns.size(); k++) {
        local.put(ns.get(k).output(), k);
      }
    }
    for (Layer l : model.layers()) {
      Map<String, Object> e = layerEntry(l);
      e.put("name", l.getName());
      List<Object> inbound = new ArrayList<>();
      for (Node n : nodesOf.get(l)) {
        if (n.inputs().isEmpty()) {
          continue;
        }
        Map<String, Object> node = new LinkedHashMap<>();
        List<Object> args = new ArrayList<>();
        if (n.inputs().size() == 1) {
          args.add(kerasTensor(n.inputs().get(0), local));
        } else {
          List<Object> group = new ArrayList<>();
          for (KerasTensor t : n.inputs()) {
            group.add(kerasTensor(t, local));
          }
          args.add(group);
        }
        node.put("args", args);
        node.put("kwargs", new LinkedHashMap<>());
        inbound.add(node);
      }
      e.put("inbound_nodes", inbound);
      layers.add(e);
    }
    c.put("layers", layers);
    c.put("input_layers", history(model.inputs(), local));
    c.put("output_layers", history(model.outputs(), local));
    return c;
  }

  private static void collectNodes(Model model, Map<Layer, List<Node>> nodesOf) {
    List<Node> all = new ArrayList<>();
    for (Layer l : model.layers()) {
      for (Node n : l.inboundNodes()) {
        all.add(n);
      }
    }
    java.util.Set<KerasTensor> reachable = java.util.Collections.newSetFromMap(
        new java.util.IdentityHashMap<>());
    java.util.ArrayDeque<KerasTensor> todo = new java.util.ArrayDeque<>(model.outputs());
    reachable.addAll(model.inputs());
    while (!todo.isEmpty()) {
      KerasTensor t = todo.pop();
      if (reachable.add(t) || model.inputs().contains(t)) {
        Node n = t.layer().inboundNodes().get(t.nodeIndex());
        todo.addAll(n.inputs());
      }
    }
    for (Node n : all) {
      if (reachable.contains(n.output())) {
        nodesOf.get(n.layer()).add(n);
      }
    }
  }

  private static Map<String, Object> layerEntry(Layer l) {
    if (l instanceof Model) {
      return serializeModel((Model) l);
    }
    return withBuild(new LinkedHashMap<>(Layer.REGISTRY.serialize(l)), l);
  }

  private static Map<String, Object> kerasTensor(KerasTensor t, Map<KerasTensor, Integer> local) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("class_name", "__keras_tensor__");
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("shape", withBatch(t.shape()));
    c.put("dtype", "float32");
    c.put("keras_history", List.of(t.layer().getName(), local.getOrDefault(t, 0), t.tensorIndex()));
    m.put("config", c);
    return m;
  }

  private static List<Object> history(List<KerasTensor> ts, Map<KerasTensor, Integer> local) {
    List<Object> l = new ArrayList<>();
    for (KerasTensor t : ts) {
      l.add(List.of(t.layer().getName(), local.getOrDefault(t, 0), t.tensorIndex()));
    }
    return l;
  }

  static List<Object> withBatch(int[] shape) {
    List<Object> l = new ArrayList<>();
    l.add(null);
    l.addAll(Config.shapeList(shape));
    return l;
  }

  // ---- reading -------------------------------------------------------------------------------

  @SuppressWarnings("unchecked")
  static Model deserializeModel(Map<String, Object> m) {
    Object cn = m.get("class_name");
    Map<String, Object> config = (Map<String, Object>) m.get("config");
    if (config == null) {
      throw new IllegalArgumentException("model JSON: expected a 'config' object next to "
          + "class_name " + cn);
    }
    if ("Sequential".equals(cn)) {
      return sequential(config);
    }
    if ("Functional".equals(cn) || "Model".equals(cn)) {
      return functional(config);
    }
    Layer l = Layer.REGISTRY.deserialize(m);
    if (!(l instanceof Model)) {
      throw new IllegalArgumentException("model JSON: class_name '" + cn + "' is a layer, not a "
          + "model");
    }
    Model model = (Model) l;
    Map<String, Object> bc = (Map<String, Object>) m.get("build_config");
    if (bc != null && bc.get("input_shape") instanceof List) {
      model.build(shapesOf(bc.get("input_shape")));
    }
    return model;
  }

  @SuppressWarnings("unchecked")
  private static List<int[]> shapesOf(Object o) {
    List<Object> l = (List<Object>) o;
    List<int[]> out = new ArrayList<>();
    if (!l.isEmpty() && l.get(0) instanceof List) {
      for (Object x : l) {
        out.add(dropBatch((List<Object>) x));
      }
    } else {
      out.add(dropBatch(l));
    }
    return out;
  }

  private static int[] dropBatch(List<Object> l) {
    int[] s = new int[l.size() - 1];
    for (int i = 1; i < l.size(); i++) {
      s[i - 1] = l.get(i) == null ? -1 : ((Number) l.get(i)).intValue();
    }
    return s;
  }

  @SuppressWarnings("unchecked")
  private static Layer layerFrom(Object entry) {
    Map<String, Object> e = (Map<String, Object>) entry;
    Object cn = e.get("class_name");
    if ("Sequential".equals(cn) || "Functional".equals(cn) || "Model".equals(cn)) {
      return deserializeModel(e);
    }
    return Layer.REGISTRY.deserialize(e);
  }

  @SuppressWarnings("unchecked")
  private static Model sequential(Map<String, Object> config) {
    Object layersObj = config.get("layers");
    if (!(layersObj instanceof List)) {
      throw new IllegalArgumentException("Sequential config: expected a 'layers' list");
    }
    List<Object> entries = (List<Object>) layersObj;
    KerasTensor input = null;
    List<Layer> layers = new ArrayList<>();
    for (Object entry : entries) {
      Map<String, Object> e = (Map<String, Object>) entry;
      Layer l = layerFrom(e);
      if (l instanceof InputLayer) {
        input = ((InputLayer) l).output();
        continue;
      }
      Map<String, Object> lc = (Map<String, Object>) e.get("config");
      if (input == null && layers.isEmpty() && lc != null && lc.get("batch_input_shape") != null) {
        // tf.keras 2 puts the input shape on the first layer
        List<Object> b = (List<Object>) lc.get("batch_input_shape");
        input = io.sparkeras.api.layers.Input.of(dropBatch(b));
      }
      layers.add(l);
    }
    if (input == null && config.get("build_input_shape") instanceof List) {
      input = io.sparkeras.api.layers.Input.of(
          dropBatch((List<Object>) config.get("build_input_shape")));
    }
    Sequential s = input != null ? new Sequential(input, layers.toArray(new Layer[0]))
        : new Sequential(layers.toArray(new Layer[0]));
    return renamed(s, config.get("name"));
  }

  private static Model renamed(Model m, Object name) {
    if (name instanceof String) {
      m.name((String) name);
    }
    return m;
  }

  @SuppressWarnings("unchecked")
  private static Model functional(Map<String, Object> config) {
    List<Object> entries = (List<Object>) config.get("layers");
    if (entries == null) {
      throw new IllegalArgumentException("Functional config: expected a 'layers' list");
    }
    Map<String, Layer> byName = new LinkedHashMap<>();
    Map<String, List<Object>> inbound = new LinkedHashMap<>();
    for (Object o : entries) {
      Map<String, Object> e = (Map<String, Object>) o;
      Layer l = layerFrom(e);
      String name = e.get("name") instanceof String ? (String) e.get("name") : l.getName();
      if (!name.equals(l.getName())) {
        throw new IllegalArgumentException("Functional config: layer entry named '" + name
            + "' has config name '" + l.getName() + "'");
      }
      byName.put(name, l);
      Object ib = e.get("inbound_nodes");
      inbound.put(name, ib instanceof List ? (List<Object>) ib : List.of());
    }
    // (layer name, node index) -> output tensor; InputLayers have node 0 already
    Map<String, List<KerasTensor>> produced = new HashMap<>();
    for (Map.Entry<String, Layer> e : byName.entrySet()) {
      List<KerasTensor> outs = new ArrayList<>();
      if (e.getValue() instanceof InputLayer) {
        outs.add(((InputLayer) e.getValue()).output());
      }
      produced.put(e.getKey(), outs);
    }
    Map<String, Integer> done = new HashMap<>();
    boolean progress = true;
    int remaining = 0;
    for (Map.Entry<String, List<Object>> e : inbound.entrySet()) {
      remaining += e.getValue().size();
    }
    while (remaining > 0 && progress) {
      progress = false;
      for (Map.Entry<String, List<Object>> e : inbound.entrySet()) {
        String name = e.getKey();
        List<Object> nodes = e.getValue();
        int next = done.getOrDefault(name, 0);
        while (next < nodes.size()) {
          List<Object[]> refs = nodeInputs(nodes.get(next), name);
          List<KerasTensor> args = new ArrayList<>();
          for (Object[] ref : refs) {
            List<KerasTensor> outs = produced.get((String) ref[0]);
            if (outs == null) {
              throw new IllegalArgumentException("Functional config: layer '" + name
                  + "' takes input from unknown layer '" + ref[0] + "'");
            }
            int idx = (Integer) ref[1];
            if (idx >= outs.size()) {
              args = null;
              break;
            }
            args.add(outs.get(idx));
          }
          if (args == null) {
            break;
          }
          KerasTensor out = byName.get(name).apply(args);
          produced.get(name).add(out);
          next++;
          remaining--;
          progress = true;
        }
        done.put(name, next);
      }
    }
    if (remaining > 0) {
      throw new IllegalArgumentException("Functional config: " + remaining + " layer calls could "
          + "not be connected (missing or cyclic inputs)");
    }
    List<KerasTensor> ins = new ArrayList<>();
    for (Object[] ref : refList(config.get("input_layers"))) {
      ins.add(lookup(produced, ref));
    }
    List<KerasTensor> outs = new ArrayList<>();
    for (Object[] ref : refList(config.get("output_layers"))) {
      outs.add(lookup(produced, ref));
    }
    return new Model(ins, outs, (String) config.get("name"));
  }

  private static KerasTensor lookup(Map<String, List<KerasTensor>> produced, Object[] ref) {
    List<KerasTensor> l = produced.get((String) ref[0]);
    if (l == null || (Integer) ref[1] >= l.size()) {
      throw new IllegalArgumentException("Functional config: no tensor " + ref[0] + "[" + ref[1]
          + "]");
    }
    return l.get((Integer) ref[1]);
  }

  /** [["in", 0, 0], ...] or a single ["in", 0, 0]. */
  @SuppressWarnings("unchecked")
  private static List<Object[]> refList(Object o) {
    List<Object[]> out = new ArrayList<>();
    if (!(o instanceof List) || ((List<Object>) o).isEmpty()) {
      throw new IllegalArgumentException("Functional config: expected input_layers/output_layers "
          + "lists, found " + o);
    }
    List<Object> l = (List<Object>) o;
    if (l.get(0) instanceof String) {
      out.add(new Object[] {l.get(0), ((Number) l.get(1)).intValue()});
      return out;
    }
    for (Object x : l) {
      List<Object> r = (List<Object>) x;
      out.add(new Object[] {r.get(0), ((Number) r.get(1)).intValue()});
    }
    return out;
  }

  /** Input references of one inbound node, in Keras 3 or tf.keras 2 form. */
  @SuppressWarnings("unchecked")
  private static List<Object[]> nodeInputs(Object node, String layer) {
    List<Object[]> refs = new ArrayList<>();
    if (node instanceof Map) {
      Object args = ((Map<String, Object>) node).get("args");
      if (args instanceof List) {
        collectTensors(args, refs);
      }
      return refs;
    }
    if (node instanceof List) {
      // tf.keras 2: [["dense", 0, 0, {}], ...]
      for (Object r : (List<Object>) node) {
        List<Object> ref = (List<Object>) r;
        refs.add(new Object[] {ref.get(0), ((Number) ref.get(1)).intValue()});
      }
      return refs;
    }
    throw new IllegalArgumentException("Functional config: layer '" + layer + "' has an inbound "
        + "node of unexpected form " + node);
  }

  @SuppressWarnings("unchecked")
  private static void collectTensors(Object o, List<Object[]> refs) {
    if (o instanceof Map) {
      Map<String, Object> m = (Map<String, Object>) o;
      if ("__keras_tensor__".equals(m.get("class_name"))) {
        List<Object> h = (List<Object>) ((Map<String, Object>) m.get("config")).get("keras_history");
        refs.add(new Object[] {h.get(0), ((Number) h.get(1)).intValue()});
      }
    } else if (o instanceof List) {
      for (Object x : (List<Object>) o) {
        collectTensors(x, refs);
      }
    }
  }
}
