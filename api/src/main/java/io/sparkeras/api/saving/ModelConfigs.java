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
        c.put("build_input_shape", withBatch(model.inputs().get(0).shape()));
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
    Map<Node, Integer> local = new java.util.IdentityHashMap<>();
    for (Map.Entry<Layer, List<Node>> e : nodesOf.entrySet()) {
      List<Node> ns = e.getValue();
      for (int k = 0; k < ns.size(); k++) {
        local.put(ns.get(k), k + ownNodes(e.getKey(), false));
      }
    }
    for (Layer l : model.layers()) {
      Map<String, Object> e = layerEntry(l);
      e.put("name", l.getName());
      List<Object> inbound = new ArrayList<>();
      for (Node n : nodesOf.get(l)) {
        if (!n.inputs().isEmpty()) {
          inbound.add(NodeCalls.write(n, t -> kerasTensor(t, local)));
        }
      }
      e.put("inbound_nodes", inbound);
      layers.add(e);
    }
    c.put("layers", layers);
    c.put("input_layers", history(model.inputs(), local));
    c.put("output_layers", history(model.outputs(), local));
    return c;
  }

  private static Node nodeOf(KerasTensor t) {
    return t.layer().inboundNodes().get(t.nodeIndex());
  }

  private static void collectNodes(Model model, Map<Layer, List<Node>> nodesOf) {
    java.util.Set<Node> reachable = java.util.Collections.newSetFromMap(
        new java.util.IdentityHashMap<>());
    java.util.ArrayDeque<KerasTensor> todo = new java.util.ArrayDeque<>(model.outputs());
    while (!todo.isEmpty()) {
      KerasTensor t = todo.pop();
      Node n = nodeOf(t);
      if (reachable.add(n) && !model.inputs().contains(t)) {
        todo.addAll(n.dependencies());
      }
    }
    for (KerasTensor t : model.inputs()) {
      reachable.add(nodeOf(t));
    }
    for (Layer l : model.layers()) {
      for (Node n : l.inboundNodes()) {
        if (reachable.contains(n)) {
          nodesOf.get(n.layer()).add(n);
        }
      }
    }
  }

  private static Map<String, Object> layerEntry(Layer l) {
    if (l instanceof Model) {
      return serializeModel((Model) l);
    }
    return withBuild(new LinkedHashMap<>(Layer.REGISTRY.serialize(l)), l);
  }

  private static Map<String, Object> kerasTensor(KerasTensor t, Map<Node, Integer> local) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("class_name", "__keras_tensor__");
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("shape", withBatch(t.shape()));
    c.put("dtype", "float32");
    c.put("keras_history", List.of(t.layer().getName(), local.getOrDefault(nodeOf(t), 0),
        t.tensorIndex()));
    m.put("config", c);
    return m;
  }

  private static List<Object> history(List<KerasTensor> ts, Map<Node, Integer> local) {
    List<Object> l = new ArrayList<>();
    for (KerasTensor t : ts) {
      l.add(List.of(t.layer().getName(), local.getOrDefault(nodeOf(t), 0), t.tensorIndex()));
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
    boolean legacy = false;
    for (List<Object> nodes : inbound.values()) {
      for (Object n : nodes) {
        legacy |= n instanceof List;
      }
    }
    // (layer name, node index) -> output tensors; InputLayers have node 0 already, and so do
    // nested functional models (their own graph), as Keras numbers them
    Map<String, List<List<KerasTensor>>> produced = new HashMap<>();
    for (Map.Entry<String, Layer> e : byName.entrySet()) {
      List<List<KerasTensor>> outs = new ArrayList<>();
      if (e.getValue() instanceof InputLayer) {
        outs.add(List.of(((InputLayer) e.getValue()).output()));
      } else if (ownNodes(e.getValue(), legacy) == 1) {
        outs.add(((Model) e.getValue()).outputs());
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
          NodeCalls.Parsed call = NodeCalls.parse(nodes.get(next), byName.get(name));
          if (!available(call, produced, name)) {
            break;
          }
          List<KerasTensor> args = new ArrayList<>();
          for (NodeCalls.Ref ref : call.inputs) {
            args.add(lookup(produced, ref));
          }
          Map<String, Object> kwargs = NodeCalls.resolveArgs(call, r -> lookup(produced, r));
          produced.get(name).add(byName.get(name).applyAll(args, kwargs));
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
    for (NodeCalls.Ref ref : refList(config.get("input_layers"))) {
      ins.add(lookup(produced, ref));
    }
    List<KerasTensor> outs = new ArrayList<>();
    for (NodeCalls.Ref ref : refList(config.get("output_layers"))) {
      outs.add(lookup(produced, ref));
    }
    return new Model(ins, outs, (String) config.get("name"));
  }

  /**
   * Keras numbers a nested functional model's calls from 1: node 0 is the model's own graph
   * (tf.keras 2 counts it for a nested Sequential too, Keras 3 does not).
   */
  private static int ownNodes(Layer l, boolean legacy) {
    return l instanceof Model && ((Model) l).isGraphNetwork()
        && (legacy || !(l instanceof Sequential)) ? 1 : 0;
  }

  /** Whether every tensor a call refers to exists already. */
  private static boolean available(NodeCalls.Parsed call,
      Map<String, List<List<KerasTensor>>> produced, String layer) {
    for (NodeCalls.Ref ref : call.refs()) {
      List<List<KerasTensor>> outs = produced.get(ref.layer);
      if (outs == null) {
        throw new IllegalArgumentException("Functional config: layer '" + layer
            + "' takes input from unknown layer '" + ref.layer + "'");
      }
      if (ref.node >= outs.size()) {
        return false;
      }
    }
    return true;
  }

  private static KerasTensor lookup(Map<String, List<List<KerasTensor>>> produced,
      NodeCalls.Ref ref) {
    List<List<KerasTensor>> l = produced.get(ref.layer);
    if (l == null || ref.node >= l.size() || ref.tensor >= l.get(ref.node).size()) {
      throw new IllegalArgumentException("Functional config: no tensor " + ref);
    }
    return l.get(ref.node).get(ref.tensor);
  }

  /**
   * [["in", 0, 0], ...], a single ["in", 0, 0], or nested lists of them (Keras writes the
   * structure of a model's outputs, such as an RNN's nested states), flattened in order.
   */
  @SuppressWarnings("unchecked")
  private static List<NodeCalls.Ref> refList(Object o) {
    if (!(o instanceof List) || ((List<Object>) o).isEmpty()) {
      throw new IllegalArgumentException("Functional config: expected input_layers/output_layers "
          + "lists, found " + o);
    }
    List<NodeCalls.Ref> out = new ArrayList<>();
    collectRefs((List<Object>) o, out);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void collectRefs(List<Object> l, List<NodeCalls.Ref> out) {
    if (!l.isEmpty() && l.get(0) instanceof String) {
      out.add(ref(l));
      return;
    }
    for (Object x : l) {
      collectRefs((List<Object>) x, out);
    }
  }

  private static NodeCalls.Ref ref(List<Object> r) {
    return new NodeCalls.Ref((String) r.get(0), ((Number) r.get(1)).intValue(),
        r.size() > 2 ? ((Number) r.get(2)).intValue() : 0);
  }
}
