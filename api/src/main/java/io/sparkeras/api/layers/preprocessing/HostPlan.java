package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.layers.InputLayer;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.Node;
import io.sparkeras.api.layers.merging.Concatenate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a functional model's preprocessing runs: the host prefix of its graph. The preprocessing
 * layers reachable from the model's inputs through preprocessing layers only run here, in Java,
 * one sample at a time ({@link HostRunner}); the tensors where the prefix meets the network (the
 * boundary: outputs of those layers, or raw numeric inputs, that engine layers or the model's
 * outputs consume) are what the network is fed. A model without preprocessing layers has a plan
 * whose boundary is its inputs.
 *
 * <pre>{@code
 * HostPlan plan = HostPlan.of(model.inputs(), model.outputs());
 * HostRunner run = plan.newRunner(false, 0);
 * run.input(0).reset(); run.input(0).addString("engineer");   // raw values of one row
 * run.run();
 * run.write(0, batchBuffer, row * plan.boundarySize(0));       // the network's input 0
 * }</pre>
 */
public final class HostPlan {
  /** One host layer call: which slots it reads, which it writes. */
  static final class Step {
    final Layer layer;
    final HostOp op;
    final int[] inputs;
    final int output;

    Step(Layer layer, HostOp op, int[] inputs, int output) {
      this.layer = layer;
      this.op = op;
      this.inputs = inputs;
      this.output = output;
    }

    /** The preprocessing layer of this step, or null (a concatenation). */
    PreprocessingLayer preprocessing() {
      return layer instanceof PreprocessingLayer ? (PreprocessingLayer) layer : null;
    }

    boolean adaptable() {
      return preprocessing() != null && preprocessing().isAdaptable();
    }
  }

  private final List<KerasTensor> inputs;
  private final List<String> inputNames;
  private final List<HostValue.Kind> slotKinds = new ArrayList<>();
  private final List<int[]> slotShapes = new ArrayList<>();
  private final List<Step> steps = new ArrayList<>();
  private final List<KerasTensor> boundary = new ArrayList<>();
  private final List<Integer> boundarySlots = new ArrayList<>();
  private final Set<KerasTensor> onHost = Collections.newSetFromMap(new IdentityHashMap<>());

  private HostPlan(List<KerasTensor> inputs) {
    this.inputs = List.copyOf(inputs);
    List<String> names = new ArrayList<>();
    for (KerasTensor t : inputs) {
      names.add(t.layer().getName());
    }
    this.inputNames = List.copyOf(names);
  }

  private static Node nodeOf(KerasTensor t) {
    return t.layer().inboundNodes().get(t.nodeIndex());
  }

  /**
   * The plan of the graph between {@code inputs} (model inputs, from {@code Input}) and
   * {@code outputs}. Throws {@link IllegalArgumentException} when a preprocessing layer follows
   * an engine layer ({@link #requireBatchable} checks what feeding the network needs).
   */
  public static HostPlan of(List<KerasTensor> inputs, List<KerasTensor> outputs) {
    HostPlan plan = new HostPlan(inputs);
    Map<KerasTensor, Integer> slotOf = new IdentityHashMap<>();
    for (KerasTensor t : inputs) {
      String dtype = t.layer() instanceof InputLayer ? ((InputLayer) t.layer()).dtype() : null;
      slotOf.put(t, plan.newSlot(HostValue.Kind.ofDtype(dtype), t.shape()));
    }
    List<Node> order = topological(outputs);
    Set<KerasTensor> engineConsumed = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Node n : order) {
      if (n.layer() instanceof InputLayer) {
        continue;
      }
      boolean allHost = true;
      for (KerasTensor in : n.inputs()) {
        allHost &= slotOf.containsKey(in);
      }
      HostOp op = allHost ? hostOp(n, slotOf, plan) : null;
      if (op != null) {
        slotOf.put(n.output(), plan.addStep(n, op, slotOf));
        plan.onHost.add(n.output());
        continue;
      }
      if (n.layer() instanceof PreprocessingLayer) {
        throw new IllegalArgumentException("layer '" + n.layer().getName() + "' ("
            + n.layer().getClass().getSimpleName() + ") is a preprocessing layer after an engine "
            + "layer; preprocessing layers run on the host before the network, so their inputs "
            + "must come from model inputs or other preprocessing layers");
      }
      engineConsumed.addAll(n.inputs());
    }
    plan.addBoundaries(order, engineConsumed, outputs, slotOf);
    return plan;
  }

  /** What runs node {@code n} on the host, or null: a preprocessing layer or a last-axis concat. */
  private static HostOp hostOp(Node n, Map<KerasTensor, Integer> slotOf, HostPlan plan) {
    if (n.layer() instanceof PreprocessingLayer) {
      return (PreprocessingLayer) n.layer();
    }
    if (n.layer() instanceof Concatenate
        && ConcatOp.applies((Concatenate) n.layer(), shapes(n.inputs()))
        && numeric(n.inputs(), slotOf, plan)) {
      return new ConcatOp((Concatenate) n.layer());
    }
    return null;
  }

  /** Adds the step of node {@code n}; returns its output slot. */
  private int addStep(Node n, HostOp op, Map<KerasTensor, Integer> slotOf) {
    int[] ins = new int[n.inputs().size()];
    List<HostValue.Kind> kinds = new ArrayList<>();
    for (int i = 0; i < ins.length; i++) {
      ins[i] = slotOf.get(n.inputs().get(i));
      kinds.add(slotKinds.get(ins[i]));
    }
    HostValue.Kind outKind;
    try {
      outKind = op.outputKind(kinds);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("layer '" + n.layer().getName() + "' cannot take "
          + "its inputs " + describe(n.inputs(), slotOf, this) + ": " + e.getMessage(), e);
    }
    int out = newSlot(outKind, n.output().shape());
    steps.add(new Step(n.layer(), op, ins, out));
    return out;
  }

  /** The host values the network takes: those engine layers read, and host-made outputs. */
  private void addBoundaries(List<Node> order, Set<KerasTensor> engineConsumed,
      List<KerasTensor> outputs, Map<KerasTensor, Integer> slotOf) {
    Set<KerasTensor> needed = new LinkedHashSet<>();
    for (Node n : order) {
      for (KerasTensor in : n.inputs()) {
        if (engineConsumed.contains(in) && slotOf.containsKey(in)) {
          needed.add(in);
        }
      }
    }
    for (KerasTensor t : outputs) {
      if (slotOf.containsKey(t)) {
        needed.add(t);
      }
    }
    for (KerasTensor t : needed) {
      addBoundary(t, slotOf.get(t));
    }
  }

  private static List<int[]> shapes(List<KerasTensor> ts) {
    List<int[]> l = new ArrayList<>();
    for (KerasTensor t : ts) {
      l.add(t.shape());
    }
    return l;
  }

  private static boolean numeric(List<KerasTensor> ins, Map<KerasTensor, Integer> slotOf,
      HostPlan plan) {
    for (KerasTensor t : ins) {
      if (plan.slotKinds.get(slotOf.get(t)) == HostValue.Kind.STRING) {
        return false;
      }
    }
    return true;
  }

  private static String describe(List<KerasTensor> ins, Map<KerasTensor, Integer> slotOf,
      HostPlan plan) {
    List<String> l = new ArrayList<>();
    for (KerasTensor t : ins) {
      l.add(plan.slotKinds.get(slotOf.get(t)).dtype() + Layer.shapeString(t.shape()));
    }
    return l.toString();
  }

  private int newSlot(HostValue.Kind kind, int[] shape) {
    slotKinds.add(kind);
    slotShapes.add(shape.clone());
    return slotKinds.size() - 1;
  }

  private void addBoundary(KerasTensor t, int slot) {
    boundary.add(t);
    boundarySlots.add(slot);
  }

  /**
   * Checks the boundary can be batched for the network: no strings, every size known. Adapt
   * does not need this (a layer's output size may be known only after adapt); feeding the
   * network does.
   */
  public HostPlan requireBatchable() {
    for (int b = 0; b < boundary.size(); b++) {
      checkBoundary(boundary.get(b), boundarySlots.get(b));
    }
    return this;
  }

  private void checkBoundary(KerasTensor t, int slot) {
    if (slotKinds.get(slot) == HostValue.Kind.STRING) {
      throw new IllegalArgumentException("the network would be fed strings at "
          + t.layer().getName() + ": encode them with a preprocessing layer first (StringLookup,"
          + " Hashing, TextVectorization)");
    }
    for (int d : slotShapes.get(slot)) {
      if (d < 0) {
        throw new IllegalArgumentException("the network's input from '" + t.layer().getName()
            + "' has shape " + Layer.shapeString(t.shape()) + ": every size must be known to "
            + "batch encoded rows (e.g. set TextVectorization's output_sequence_length)");
      }
    }
  }

  /** Nodes feeding {@code outputs}, each after the nodes it consumes. */
  private static List<Node> topological(List<KerasTensor> outputs) {
    List<Node> order = new ArrayList<>();
    Set<Node> done = Collections.newSetFromMap(new IdentityHashMap<>());
    for (KerasTensor t : outputs) {
      visit(nodeOf(t), order, done);
    }
    return order;
  }

  private static void visit(Node n, List<Node> order, Set<Node> done) {
    if (!done.add(n)) {
      return;
    }
    for (KerasTensor in : n.inputs()) {
      visit(nodeOf(in), order, done);
    }
    order.add(n);
  }

  // ---- what the plan says ----------------------------------------------------------------

  /** Whether any preprocessing layer runs on the host. */
  public boolean hasHostLayers() {
    return !steps.isEmpty();
  }

  /** Whether {@code t} is computed on the host (by a step of this plan), not by the network. */
  public boolean computesOnHost(KerasTensor t) {
    return onHost.contains(t);
  }

  /**
   * The network's inputs for in-memory raw data: every sample of {@code data} (a column per
   * model input, by input name) run through the host layers, one array per boundary tensor.
   *
   * <pre>{@code
   * List<NDArray> x = plan.encode(Columns.of("zip", zips).with("age", ages), false, 0);
   * }</pre>
   *
   * @param training whether augmentation layers act
   * @param stream the random stream (augmentation)
   */
  public List<io.sparkeras.api.data.NDArray> encode(io.sparkeras.api.data.Columns data,
      boolean training, long stream) {
    requireBatchable();
    HostArrays[] cols = new HostArrays[inputs.size()];
    for (int i = 0; i < cols.length; i++) {
      String name = inputNames.get(i);
      if (!data.has(name)) {
        throw new IllegalArgumentException("the model's input '" + name + "' has no column; "
            + "the data has " + data.names());
      }
      cols[i] = HostArrays.of("column '" + name + "'", data.get(name));
    }
    int n = data.length();
    float[][] out = new float[boundary.size()][];
    for (int b = 0; b < out.length; b++) {
      out[b] = new float[n * boundarySize(b)];
    }
    HostRunner runner = newRunner(training, stream);
    for (int row = 0; row < n; row++) {
      for (int i = 0; i < cols.length; i++) {
        cols[i].read(row, runner.input(i));
      }
      try {
        runner.run();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("sample " + row + ": " + e.getMessage(), e);
      }
      for (int b = 0; b < out.length; b++) {
        runner.write(b, out[b], row * boundarySize(b));
      }
    }
    List<io.sparkeras.api.data.NDArray> arrays = new ArrayList<>();
    for (int b = 0; b < out.length; b++) {
      int[] shape = new int[boundaryShape(b).length + 1];
      shape[0] = n;
      System.arraycopy(boundaryShape(b), 0, shape, 1, shape.length - 1);
      arrays.add(io.sparkeras.api.data.NDArray.of(out[b], shape));
    }
    return arrays;
  }

  /** The model's inputs (raw values go in here). */
  public List<KerasTensor> inputs() {
    return inputs;
  }

  /** Names of the model's inputs (their InputLayers' names), the raw columns' default names. */
  public List<String> inputNames() {
    return inputNames;
  }

  /** The element type raw input {@code i} takes. */
  public HostValue.Kind inputKind(int i) {
    return slotKinds.get(i);
  }

  /** Raw input {@code i}'s declared sample shape (batch excluded; -1 where unknown). */
  public int[] inputShape(int i) {
    return slotShapes.get(i).clone();
  }

  /** The tensors the network is fed, in order. */
  public List<KerasTensor> boundary() {
    return Collections.unmodifiableList(boundary);
  }

  /** Sample shape of boundary tensor {@code b}. */
  public int[] boundaryShape(int b) {
    return slotShapes.get(boundarySlots.get(b)).clone();
  }

  /** Floats per sample of boundary tensor {@code b}. */
  public int boundarySize(int b) {
    int n = 1;
    for (int d : slotShapes.get(boundarySlots.get(b))) {
      n *= d;
    }
    return n;
  }

  /** Sample shapes of every boundary tensor. */
  public List<int[]> boundaryShapes() {
    List<int[]> l = new ArrayList<>();
    for (int b = 0; b < boundary.size(); b++) {
      l.add(boundaryShape(b));
    }
    return l;
  }

  /** The preprocessing layers run on the host, in order. */
  public List<PreprocessingLayer> hostLayers() {
    List<PreprocessingLayer> l = new ArrayList<>();
    for (Step s : steps) {
      if (s.preprocessing() != null) {
        l.add(s.preprocessing());
      }
    }
    return l;
  }

  /**
   * Whether the host runs {@code layer}'s call here: a preprocessing layer of the prefix, or a
   * concatenation of encoded features the host does for the network (the network skips it).
   */
  public boolean runsOnHost(Layer layer) {
    for (Step s : steps) {
      if (s.layer == layer) {
        return true;
      }
    }
    return false;
  }

  /** Steps the host runs per sample (preprocessing layers and host concatenations). */
  public int stepCount() {
    return steps.size();
  }

  /** The preprocessing layer of step {@code i}, or null when the step is a concatenation. */
  public PreprocessingLayer preprocessingStep(int i) {
    return steps.get(i).preprocessing();
  }

  List<Step> steps() {
    return steps;
  }

  int slotCount() {
    return slotKinds.size();
  }

  HostValue.Kind slotKind(int s) {
    return slotKinds.get(s);
  }

  int boundarySlot(int b) {
    return boundarySlots.get(b);
  }

  /** A runner for one thread: its own reused values and random streams. */
  public HostRunner newRunner(boolean training, long stream) {
    return new HostRunner(this, new HostContext(training, stream));
  }

  @Override
  public String toString() {
    List<String> s = new ArrayList<>();
    for (Step st : steps) {
      s.add(st.layer.getName() + Arrays.toString(st.inputs) + "->" + st.output);
    }
    return "HostPlan(inputs=" + inputNames + ", steps=" + s + ", boundary=" + boundarySlots + ")";
  }
}
