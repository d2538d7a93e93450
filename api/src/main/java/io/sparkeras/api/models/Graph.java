package io.sparkeras.api.models;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.layers.InputLayer;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.Node;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A functional graph: the nodes between some input tensors and some output tensors, in an order
 * where every node comes after the nodes it consumes. Sequential and functional models run it.
 */
final class Graph {
  final List<KerasTensor> inputs;
  final List<KerasTensor> outputs;
  final List<Node> nodes;
  final List<Layer> layers;

  Graph(List<KerasTensor> inputs, List<KerasTensor> outputs) {
    if (inputs.isEmpty() || outputs.isEmpty()) {
      throw new IllegalArgumentException("a functional model needs at least one input and one output");
    }
    for (KerasTensor t : inputs) {
      if (!(t.layer() instanceof InputLayer)) {
        throw new IllegalArgumentException("model inputs must come from Input.of(...), found "
            + t);
      }
    }
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    List<Node> order = new ArrayList<>();
    Set<Node> done = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    Set<Node> active = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    // Inputs first, in the order given, so unused inputs still appear.
    for (KerasTensor t : inputs) {
      visit(nodeOf(t), order, done, active);
    }
    for (KerasTensor t : outputs) {
      visit(nodeOf(t), order, done, active);
    }
    for (Node n : order) {
      if (n.layer() instanceof InputLayer && !inputs.contains(n.output())) {
        throw new IllegalArgumentException("output depends on input '" + n.layer().getName()
            + "' that is not among the model's inputs");
      }
    }
    this.nodes = List.copyOf(order);
    LinkedHashSet<Layer> ls = new LinkedHashSet<>();
    for (Node n : order) {
      ls.add(n.layer());
    }
    this.layers = List.copyOf(ls);
  }

  static Node nodeOf(KerasTensor t) {
    return t.layer().inboundNodes().get(t.nodeIndex());
  }

  private static void visit(Node n, List<Node> order, Set<Node> done, Set<Node> active) {
    if (done.contains(n)) {
      return;
    }
    if (!active.add(n)) {
      throw new IllegalArgumentException("cycle in the functional graph at layer '"
          + n.layer().getName() + "'");
    }
    for (KerasTensor in : n.dependencies()) {
      visit(nodeOf(in), order, done, active);
    }
    active.remove(n);
    done.add(n);
    order.add(n);
  }

  /** Runs the graph eagerly on real tensors. */
  List<Tensor> run(List<Tensor> feeds, boolean training) {
    return run(feeds, null, training).get(0);
  }

  /**
   * Runs the graph eagerly: every node gets its inputs, their masks (Keras's
   * {@code _keras_mask}, propagated along the graph) and its arguments; returns the outputs and,
   * second, their masks (null entries for none).
   *
   * @param feedMasks masks of the inputs, or null
   */
  List<List<Tensor>> run(List<Tensor> feeds, List<Tensor> feedMasks, boolean training) {
    if (feeds.size() != inputs.size()) {
      throw new IllegalArgumentException("model expects " + inputs.size() + " inputs, found "
          + feeds.size());
    }
    Map<KerasTensor, Tensor> values = new IdentityHashMap<>();
    Map<KerasTensor, Tensor> masks = new IdentityHashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      values.put(inputs.get(i), feeds.get(i));
      if (feedMasks != null && feedMasks.get(i) != null) {
        masks.put(inputs.get(i), feedMasks.get(i));
      }
    }
    for (Node n : nodes) {
      if (!(n.layer() instanceof InputLayer)) {
        NodeRunner.run(n, values, masks, training);
      }
    }
    List<Tensor> out = new ArrayList<>(outputs.size());
    List<Tensor> outMasks = new ArrayList<>(outputs.size());
    for (KerasTensor t : outputs) {
      out.add(values.get(t));
      outMasks.add(masks.get(t));
    }
    return List.of(out, outMasks);
  }
}
