package io.sparkeras.api.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One call of a layer in a functional graph: its input tensors, its named call arguments (which
 * may hold symbolic tensors too, like an RNN's {@code initial_state}) and its output tensors.
 */
public final class Node {
  final Layer layer;
  final List<KerasTensor> inputs;
  final Map<String, Object> args;
  final List<KerasTensor> outputs;

  Node(Layer layer, List<KerasTensor> inputs, Map<String, Object> args,
      List<KerasTensor> outputs) {
    this.layer = layer;
    this.inputs = List.copyOf(inputs);
    this.args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
    this.outputs = List.copyOf(outputs);
  }

  public Layer layer() {
    return layer;
  }

  /** The positional inputs. */
  public List<KerasTensor> inputs() {
    return inputs;
  }

  /** The named call arguments: {@link KerasTensor}s, lists of them, or plain values. */
  public Map<String, Object> args() {
    return args;
  }

  /** The first output (the only one for most layers). */
  public KerasTensor output() {
    return outputs.get(0);
  }

  /** Every output, in order (an RNN with {@code return_state}: output, then the states). */
  public List<KerasTensor> outputs() {
    return outputs;
  }

  /** Every symbolic tensor this call consumes: the inputs, then the tensors in the arguments. */
  public List<KerasTensor> dependencies() {
    List<KerasTensor> out = new ArrayList<>(inputs);
    for (Object v : args.values()) {
      collect(v, out);
    }
    return out;
  }

  /**
   * A call argument with every leaf of type {@code type} replaced by {@code f} of it, through
   * nested lists (how a graph swaps symbolic tensors for values, or for their saved form).
   */
  public static <T> Object mapArg(Object v, Class<T> type, Function<? super T, ?> f) {
    if (type.isInstance(v)) {
      return f.apply(type.cast(v));
    }
    if (v instanceof List) {
      List<Object> out = new ArrayList<>();
      for (Object o : (List<?>) v) {
        out.add(mapArg(o, type, f));
      }
      return out;
    }
    return v;
  }

  private static void collect(Object v, List<KerasTensor> out) {
    if (v instanceof KerasTensor) {
      out.add((KerasTensor) v);
    } else if (v instanceof List) {
      for (Object o : (List<?>) v) {
        collect(o, out);
      }
    }
  }
}
