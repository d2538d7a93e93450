package io.sparkeras.api.models;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.layers.InputLayer;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A functional graph, like Keras's {@code Functional}: the nodes between some input tensors and
 * some output tensors, in an order where every node comes after the nodes it consumes, run
 * eagerly. Functional models and built Sequentials hold one.
 */
final class Functional extends Network {
  private final Model owner;
  private final List<KerasTensor> inputs;
  private final List<KerasTensor> outputs;
  private final List<Node> nodes;
  private final List<Layer> layers;

  Functional(Model owner, List<KerasTensor> inputs, List<KerasTensor> outputs) {
    if (inputs.isEmpty() || outputs.isEmpty()) {
      throw new IllegalArgumentException("a functional model needs at least one input and one output");
    }
    for (KerasTensor t : inputs) {
      if (!(t.layer() instanceof InputLayer)) {
        throw new IllegalArgumentException("model inputs must come from Input.of(...), found "
            + t);
      }
    }
    this.owner = owner;
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    List<Node> order = new ArrayList<>();
    Set<Node> done = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<Node> active = Collections.newSetFromMap(new IdentityHashMap<>());
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

  private static Node nodeOf(KerasTensor t) {
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
    for (KerasTensor in : n.inputs()) {
      visit(nodeOf(in), order, done, active);
    }
    active.remove(n);
    done.add(n);
    order.add(n);
  }

  @Override
  boolean isGraph() {
    return true;
  }

  @Override
  List<Layer> layers() {
    return layers;
  }

  @Override
  List<KerasTensor> inputs() {
    return inputs;
  }

  @Override
  List<KerasTensor> outputs() {
    return outputs;
  }

  @Override
  List<int[]> inputShapes() {
    return shapes(inputs);
  }

  @Override
  List<int[]> outputShapes() {
    return shapes(outputs);
  }

  private static List<int[]> shapes(List<KerasTensor> tensors) {
    List<int[]> l = new ArrayList<>(tensors.size());
    for (KerasTensor t : tensors) {
      l.add(t.shape());
    }
    return l;
  }

  @Override
  void build(List<int[]> shapes) {
    // built at construction: the symbolic inputs fix the shapes
  }

  @Override
  Tensor call(List<Tensor> feeds, boolean training) {
    List<Tensor> out = run(feeds, training);
    if (out.size() != 1) {
      throw new IllegalStateException("model '" + owner.getName() + "' has " + out.size()
          + " outputs; use callAll");
    }
    return out.get(0);
  }

  @Override
  List<Tensor> callAll(List<Tensor> feeds, boolean training) {
    return Layer.withTraining(training, () -> run(feeds, training));
  }

  /** Runs the graph eagerly on real tensors. */
  private List<Tensor> run(List<Tensor> feeds, boolean training) {
    if (feeds.size() != inputs.size()) {
      throw new IllegalArgumentException("model expects " + inputs.size() + " inputs, found "
          + feeds.size());
    }
    Map<KerasTensor, Tensor> values = new IdentityHashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      values.put(inputs.get(i), feeds.get(i));
    }
    for (Node n : nodes) {
      if (n.layer() instanceof InputLayer) {
        continue;
      }
      List<Tensor> args = new ArrayList<>(n.inputs().size());
      for (KerasTensor in : n.inputs()) {
        args.add(values.get(in));
      }
      values.put(n.output(), n.layer().apply(args, training));
    }
    List<Tensor> out = new ArrayList<>(outputs.size());
    for (KerasTensor t : outputs) {
      out.add(values.get(t));
    }
    return out;
  }

  @Override
  String inputName(int i) {
    return inputs.get(i).layer().getName();
  }

  @Override
  String outputName(int i) {
    return outputs.get(i).layer().getName();
  }

  @Override
  String layerOutputShape(Layer l) {
    for (Node n : l.inboundNodes()) {
      if (nodes.contains(n)) {
        return Layer.shapeString(n.output().shape());
      }
    }
    return "?";
  }
}
