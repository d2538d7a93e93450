package io.sparkeras.api.models;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.layers.CallArgs;
import io.sparkeras.api.layers.InputLayer;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.Node;
import io.sparkeras.api.layers.preprocessing.HostPlan;
import io.sparkeras.api.layers.preprocessing.PreprocessingLayer;
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
  /** The host prefix when the graph has preprocessing layers, else null. */
  private final HostPlan host;

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
    boolean preprocessing = false;
    for (Layer l : layers) {
      preprocessing |= l instanceof PreprocessingLayer;
    }
    this.host = preprocessing ? HostPlan.of(this.inputs, this.outputs) : null;
  }

  /** The host prefix of a graph with preprocessing layers, or null. */
  @Override
  HostPlan hostPlan() {
    return host;
  }

  /** The tensors the engine is fed: the inputs, or the host prefix's boundary. */
  private List<KerasTensor> feeds() {
    return host == null ? inputs : host.boundary();
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
    for (KerasTensor in : n.dependencies()) {
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

  /** What the engine is fed: the inputs' shapes, or the host prefix's boundary shapes. */
  @Override
  List<int[]> inputShapes() {
    return shapes(feeds());
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

  @Override
  List<Tensor> call(CallArgs args) {
    List<List<Tensor>> r = run(args.inputs(), args.hasMask() ? args.masks() : null,
        args.training());
    args.setOutputMasks(r.get(1));
    return r.get(0);
  }

  /** Runs the graph eagerly on real tensors. */
  private List<Tensor> run(List<Tensor> feeds, boolean training) {
    return run(feeds, null, training).get(0);
  }

  /**
   * Runs the graph eagerly: every node gets its inputs, their masks (Keras's
   * {@code _keras_mask}, propagated along the graph) and its arguments; returns the outputs and,
   * second, their masks (null entries for none).
   *
   * @param feedMasks masks of the inputs, or null
   */
  private List<List<Tensor>> run(List<Tensor> feeds, List<Tensor> feedMasks, boolean training) {
    List<KerasTensor> fed = feeds();
    if (feeds.size() != fed.size()) {
      throw new IllegalArgumentException("model expects " + fed.size() + " inputs"
          + (host == null ? "" : " (the outputs of its preprocessing layers, "
          + "HostPlan.encode)") + ", found " + feeds.size());
    }
    Map<KerasTensor, Tensor> values = new IdentityHashMap<>();
    Map<KerasTensor, Tensor> masks = new IdentityHashMap<>();
    for (int i = 0; i < fed.size(); i++) {
      values.put(fed.get(i), feeds.get(i));
      if (feedMasks != null && feedMasks.get(i) != null) {
        masks.put(fed.get(i), feedMasks.get(i));
      }
    }
    for (Node n : nodes) {
      if (!(n.layer() instanceof InputLayer) && (host == null || !host.computesOnHost(n.output()))) {
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

  @Override
  String inputName(int i) {
    return feeds().get(i).layer().getName();
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
