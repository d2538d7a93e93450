package io.sparkeras.api.saving;

import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One layer call of a functional config's {@code inbound_nodes}, read and written: Keras 3's
 * {@code {"args": [...], "kwargs": {...}}} with {@code __keras_tensor__} references (in the
 * positional arguments and in keyword arguments such as {@code initial_state}), and tf.keras 2's
 * {@code [["layer", node, tensor, {kwargs}], ...]} (its keyword arguments refer to tensors as
 * {@code ["layer", node, tensor]}).
 */
final class NodeCalls {
  private NodeCalls() {}

  /** A reference to output {@code tensor} of call {@code node} of a layer. */
  static final class Ref {
    final String layer;
    final int node;
    final int tensor;

    Ref(String layer, int node, int tensor) {
      this.layer = layer;
      this.node = node;
      this.tensor = tensor;
    }

    @Override
    public String toString() {
      return layer + "[" + node + "][" + tensor + "]";
    }
  }

  /** A parsed call: positional tensor references and keyword arguments (with {@link Ref}s). */
  static final class Parsed {
    final List<Ref> inputs = new ArrayList<>();
    final Map<String, Object> kwargs = new LinkedHashMap<>();

    /** Every reference this call needs, positional first. */
    List<Ref> refs() {
      List<Ref> out = new ArrayList<>(inputs);
      for (Object v : kwargs.values()) {
        collectRefs(v, out);
      }
      return out;
    }
  }

  // ---- reading -----------------------------------------------------------------------------

  /** Parses one inbound node of layer {@code layer}, in Keras 3 or tf.keras 2 form. */
  @SuppressWarnings("unchecked")
  static Parsed parse(Object node, Layer layer) {
    Parsed p = new Parsed();
    if (node instanceof Map) {
      Map<String, Object> m = (Map<String, Object>) node;
      collectKerasTensors(m.get("args"), p.inputs);
      Object kw = m.get("kwargs");
      if (kw instanceof Map) {
        for (Map.Entry<String, Object> e : ((Map<String, Object>) kw).entrySet()) {
          putArg(p, e.getKey(), keras3Value(e.getValue()));
        }
      }
    } else if (node instanceof List) {
      for (Object r : (List<Object>) node) {
        List<Object> ref = (List<Object>) r;
        p.inputs.add(new Ref((String) ref.get(0), ((Number) ref.get(1)).intValue(),
            ref.size() > 2 ? ((Number) ref.get(2)).intValue() : 0));
        if (ref.size() > 3 && ref.get(3) instanceof Map) {
          for (Map.Entry<String, Object> e : ((Map<String, Object>) ref.get(3)).entrySet()) {
            putArg(p, e.getKey(), legacyValue(e.getValue()));
          }
        }
      }
    } else {
      throw new IllegalArgumentException("Functional config: layer '" + layer.getName()
          + "' has an inbound node of unexpected form " + node);
    }
    // inputs passed by name (MultiHeadAttention(query=q, value=v)) join the positional ones
    List<String> names = layer.positionalInputNames();
    if (names != null) {
      for (int i = p.inputs.size(); i < names.size(); i++) {
        Object v = p.kwargs.get(names.get(i));
        if (!(v instanceof Ref)) {
          break;
        }
        p.inputs.add((Ref) v);
        p.kwargs.remove(names.get(i));
      }
    }
    return p;
  }

  private static void putArg(Parsed p, String key, Object value) {
    if (value != null) {
      p.kwargs.put(key, value);
    }
  }

  @SuppressWarnings("unchecked")
  private static void collectKerasTensors(Object o, List<Ref> refs) {
    Object v = keras3Value(o);
    collectRefs(v, refs);
  }

  private static void collectRefs(Object v, List<Ref> out) {
    if (v instanceof Ref) {
      out.add((Ref) v);
    } else if (v instanceof List) {
      for (Object o : (List<?>) v) {
        collectRefs(o, out);
      }
    }
  }

  /** A Keras 3 argument value with {@code __keras_tensor__} maps turned into {@link Ref}s. */
  @SuppressWarnings("unchecked")
  private static Object keras3Value(Object o) {
    if (o instanceof Map) {
      Map<String, Object> m = (Map<String, Object>) o;
      if ("__keras_tensor__".equals(m.get("class_name"))) {
        List<Object> h = (List<Object>) ((Map<String, Object>) m.get("config"))
            .get("keras_history");
        return new Ref((String) h.get(0), ((Number) h.get(1)).intValue(),
            ((Number) h.get(2)).intValue());
      }
      return o;
    }
    if (o instanceof List) {
      List<Object> out = new ArrayList<>();
      for (Object x : (List<Object>) o) {
        out.add(keras3Value(x));
      }
      return out;
    }
    return o;
  }

  /** A tf.keras 2 keyword value: {@code ["layer", node, tensor]} lists become {@link Ref}s. */
  @SuppressWarnings("unchecked")
  private static Object legacyValue(Object o) {
    if (o instanceof List) {
      List<Object> l = (List<Object>) o;
      if (l.size() == 3 && l.get(0) instanceof String && l.get(1) instanceof Number
          && l.get(2) instanceof Number) {
        return new Ref((String) l.get(0), ((Number) l.get(1)).intValue(),
            ((Number) l.get(2)).intValue());
      }
      List<Object> out = new ArrayList<>();
      for (Object x : l) {
        out.add(legacyValue(x));
      }
      return out;
    }
    return o;
  }

  /**
   * The call's keyword arguments with every {@link Ref} replaced by its tensor, or null when
   * some referenced tensor does not exist yet.
   */
  static Map<String, Object> resolveArgs(Parsed p, Function<Ref, KerasTensor> lookup) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : p.kwargs.entrySet()) {
      out.put(e.getKey(), Node.mapArg(e.getValue(), Ref.class, lookup));
    }
    return out;
  }

  // ---- writing -----------------------------------------------------------------------------

  /**
   * One inbound node in Keras 3's form: {@code args} holds the inputs (one list when the layer
   * takes a list, separate arguments when it names them), {@code kwargs} its call arguments.
   */
  static Map<String, Object> write(Node n, Function<KerasTensor, Object> tensor) {
    Map<String, Object> node = new LinkedHashMap<>();
    List<Object> args = new ArrayList<>();
    if (n.inputs().size() == 1 || n.layer().positionalInputNames() != null) {
      for (KerasTensor t : n.inputs()) {
        args.add(tensor.apply(t));
      }
    } else {
      List<Object> group = new ArrayList<>();
      for (KerasTensor t : n.inputs()) {
        group.add(tensor.apply(t));
      }
      args.add(group);
    }
    node.put("args", args);
    Map<String, Object> kwargs = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : n.args().entrySet()) {
      kwargs.put(e.getKey(), Node.mapArg(e.getValue(), KerasTensor.class, tensor));
    }
    node.put("kwargs", kwargs);
    return node;
  }
}
