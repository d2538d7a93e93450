package io.sparkeras.api.models;

import io.sparkeras.api.backend.Backend;
import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.ParameterBlock;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.callbacks.Callback;
import io.sparkeras.api.callbacks.History;
import io.sparkeras.api.callbacks.ProgressBar;
import io.sparkeras.api.data.Batch;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.CallArgs;
import io.sparkeras.api.layers.InputLayer;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.Node;
import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.losses.Loss;
import io.sparkeras.api.metrics.Mean;
import io.sparkeras.api.metrics.Metric;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.optimizers.Optimizer;
import io.sparkeras.api.saving.ModelFormat;
import io.sparkeras.api.saving.Registry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A trainable model, like {@code keras.Model}: functional ({@code new Model(inputs, outputs)}),
 * {@link Sequential}, or subclassed (override {@link #call(Tensor, boolean)} and create layers in
 * the constructor). {@code compile}, {@code fit}, {@code evaluate}, {@code predict},
 * {@code summary}, {@code save} and {@link #load} work the same for all three.
 *
 * <pre>{@code
 * KerasTensor in = Input.of(784);
 * KerasTensor h = new Dense(128).activation("relu").apply(in);
 * Model model = new Model(in, new Dense(10).activation("softmax").apply(h));
 * model.compile(new Adam(1e-3), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
 * History history = model.fit(x, y, FitOptions.epochs(5).batchSize(128).validationSplit(0.1));
 * Map<String, Double> scores = model.evaluate(xTest, yTest);
 * NDArray probabilities = model.predict(xTest);
 * model.save("file:/tmp/mnist.sparkeras");
 * Model again = Model.load("file:/tmp/mnist.sparkeras");
 * }</pre>
 *
 * <p>Subclassed:
 * <pre>{@code
 * class TwoLayer extends Model {
 *   final Dense hidden = new Dense(64).activation("relu");
 *   final Dense out = new Dense(10);
 *   public Tensor call(Tensor x, boolean training) { return out.apply(hidden.apply(x)); }
 * }
 * }</pre>
 */
public class Model extends Layer {
  private Graph graph;
  private List<Layer> calledLayers = List.of();
  private List<int[]> subclassInputShapes;
  private List<int[]> subclassOutputShapes;

  private Optimizer optimizer;
  private List<Loss> losses;
  private List<List<Metric>> metrics;
  private List<Metric> userMetrics = List.of();
  private final Mean lossTracker = new Mean("loss");
  private ParameterBlock block;
  private List<Variable> packedWeights;
  private Penalties penalties = Penalties.NONE;
  private volatile boolean stopTraining;

  /** A functional model with one input and one output. */
  public Model(KerasTensor input, KerasTensor output) {
    this(List.of(input), List.of(output), null);
  }

  /** A functional model with several inputs and outputs. */
  public Model(List<KerasTensor> inputs, List<KerasTensor> outputs) {
    this(inputs, outputs, null);
  }

  /** A named functional model. */
  public Model(List<KerasTensor> inputs, List<KerasTensor> outputs, String name) {
    if (name != null) {
      name(name);
    }
    setGraph(new Graph(inputs, outputs));
  }

  /** For subclassed models (and Sequential). */
  protected Model() {}

  /** For subclassed models with a name. */
  protected Model(String name) {
    name(name);
  }

  /** Renames the model (allowed at any time: a model's weights belong to its layers). */
  @Override
  public Model name(String name) {
    if (isBuilt()) {
      renameBuilt(name);
      return this;
    }
    super.name(name);
    return this;
  }

  final void setGraph(Graph g) {
    this.graph = g;
    List<int[]> shapes = new ArrayList<>();
    for (KerasTensor t : g.inputs) {
      shapes.add(t.shape());
    }
    ensureBuilt(shapes);
    invalidatePacking();
  }

  Graph graph() {
    return graph;
  }

  // ---- structure -------------------------------------------------------------------------

  /** Whether this is a graph model (functional or Sequential) rather than a subclassed one. */
  public boolean isGraphNetwork() {
    return graph != null;
  }

  /** The layers, in graph order (functional: InputLayers included, like Keras). */
  public List<Layer> layers() {
    if (graph != null) {
      return graph.layers;
    }
    return calledLayers;
  }

  /** A layer by name. */
  public Layer getLayer(String layerName) {
    for (Layer l : layers()) {
      if (l.getName().equals(layerName)) {
        return l;
      }
    }
    List<String> names = new ArrayList<>();
    for (Layer l : layers()) {
      names.add(l.getName());
    }
    throw new IllegalArgumentException("model '" + getName() + "' has no layer '" + layerName
        + "'; it has " + names);
  }

  /** Symbolic inputs (graph models). */
  public List<KerasTensor> inputs() {
    return graph == null ? List.of() : graph.inputs;
  }

  /** Symbolic outputs (graph models). */
  public List<KerasTensor> outputs() {
    return graph == null ? List.of() : graph.outputs;
  }

  /** Expected sample shape of each input (batch excluded), or null before a subclass is built. */
  public List<int[]> inputShapes() {
    if (graph != null) {
      List<int[]> l = new ArrayList<>();
      for (KerasTensor t : graph.inputs) {
        l.add(t.shape());
      }
      return l;
    }
    return subclassInputShapes;
  }

  /** Sample shape of each output (batch excluded). */
  public List<int[]> outputShapes() {
    if (graph != null) {
      List<int[]> l = new ArrayList<>();
      for (KerasTensor t : graph.outputs) {
        l.add(t.shape());
      }
      return l;
    }
    return subclassOutputShapes;
  }

  /**
   * Builds a subclassed model for inputs of these shapes (batch excluded) by calling it once on
   * zeros; graph models are built at construction.
   */
  public void build(int[]... inputShapes) {
    build(Arrays.asList(inputShapes));
  }

  @Override
  public void build(List<int[]> shapes) {
    if (graph != null) {
      return;
    }
    if (subclassInputShapes != null) {
      return;
    }
    Backend b = Backends.current();
    List<int[]> outShapes = new ArrayList<>();
    List<Layer> called = Layer.recordCalls(() -> {
      try (Scope s = b.scope(false)) {
        List<Tensor> zeros = new ArrayList<>();
        for (int[] shape : shapes) {
          int[] full = new int[shape.length + 1];
          full[0] = 1;
          for (int i = 0; i < shape.length; i++) {
            full[i + 1] = shape[i] < 0 ? 1 : shape[i];
          }
          zeros.add(Backends.ops().zeros(full));
        }
        for (Tensor t : callAll(zeros, false)) {
          int[] o = t.shape();
          outShapes.add(Arrays.copyOfRange(o, 1, o.length));
        }
      }
    });
    LinkedHashSet<Layer> unique = new LinkedHashSet<>(called);
    unique.remove(this);
    calledLayers = List.copyOf(unique);
    subclassInputShapes = new ArrayList<>();
    for (int[] s : shapes) {
      subclassInputShapes.add(s.clone());
    }
    subclassOutputShapes = outShapes;
    invalidatePacking();
  }

  @Override
  public void build(int[] inputShape) {
    build(List.of(inputShape));
  }

  private void ensureModelBuilt(List<NDArray> x) {
    if (graph == null && subclassInputShapes == null) {
      List<int[]> shapes = new ArrayList<>();
      for (NDArray a : x) {
        shapes.add(a.sampleShape());
      }
      ensureBuilt(shapes);
      build(shapes);
    }
  }

  /** Runs the model on a batch; graph models run their graph, subclasses override this or {@link #call(Tensor, boolean)}. */
  @Override
  public Tensor call(List<Tensor> inputs, boolean training) {
    if (graph != null) {
      List<Tensor> out = graph.run(inputs, training);
      if (out.size() != 1) {
        throw new IllegalStateException("model '" + getName() + "' has " + out.size()
            + " outputs; use callAll");
      }
      return out.get(0);
    }
    return super.call(inputs, training);
  }

  /**
   * A graph model as a layer of another model: runs its graph with the inputs' masks, returns
   * every output and sets their masks (Keras's Functional passes masks through nested models).
   */
  @Override
  public List<Tensor> call(CallArgs args) {
    if (graph == null) {
      return super.call(args);
    }
    List<List<Tensor>> r = graph.run(args.inputs(), args.hasMask() ? args.masks() : null,
        args.training());
    args.setOutputMasks(r.get(1));
    return r.get(0);
  }

  @Override
  public List<int[]> computeOutputShapes(List<int[]> inputShapes, Map<String, Object> args) {
    List<int[]> outs = outputShapes();
    return outs != null && args.isEmpty() ? outs : super.computeOutputShapes(inputShapes, args);
  }

  /** Runs the model and returns every output. */
  public List<Tensor> callAll(List<Tensor> inputs, boolean training) {
    if (graph != null) {
      return Layer.withTraining(training, () -> graph.run(inputs, training));
    }
    return Layer.withTraining(training, () -> List.of(
        inputs.size() == 1 ? call(inputs.get(0), training) : call(inputs, training)));
  }

  @Override
  public int[] computeOutputShape(List<int[]> inputShapes) {
    List<int[]> outs = outputShapes();
    if (outs != null && outs.size() == 1) {
      return outs.get(0).clone();
    }
    return super.computeOutputShape(inputShapes);
  }

  @Override
  public List<Variable> weights() {
    List<Variable> out = new ArrayList<>();
    Set<Variable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Layer l : layers()) {
      for (Variable v : l.weights()) {
        if (seen.add(v)) {
          out.add(v);
        }
      }
    }
    for (Variable v : super.weights()) {
      if (seen.add(v)) {
        out.add(v);
      }
    }
    return out;
  }

  @Override
  public List<Variable> trainableWeights() {
    List<Variable> out = new ArrayList<>();
    if (!isTrainable()) {
      return out;
    }
    Set<Variable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Layer l : layers()) {
      for (Variable v : l.trainableWeights()) {
        if (seen.add(v)) {
          out.add(v);
        }
      }
    }
    for (Variable v : super.trainableWeights()) {
      if (seen.add(v)) {
        out.add(v);
      }
    }
    return out;
  }

  // ---- compile ---------------------------------------------------------------------------

  /** Configures training: one loss for every output, and metrics. */
  public void compile(Optimizer optimizer, Loss loss, Metric... metrics) {
    compile(optimizer, Collections.nCopies(Math.max(1, outputCount()), loss), Arrays.asList(metrics));
  }

  /**
   * Configures training by Keras names, like {@code model.compile(optimizer="adam",
   * loss="sparse_categorical_crossentropy", metrics=["accuracy"])}.
   */
  public void compile(String optimizer, String loss, String... metrics) {
    List<Metric> ms = new ArrayList<>();
    for (String m : metrics) {
      ms.add(Metrics.get(m));
    }
    compile(Registry.OPTIMIZERS.deserialize(optimizer),
        Collections.nCopies(Math.max(1, outputCount()), Registry.LOSSES.deserialize(loss)), ms);
  }

  /** Configures training with one loss per output. */
  public void compile(Optimizer optimizer, List<Loss> losses, List<Metric> metrics) {
    if (optimizer == null) {
      throw new IllegalArgumentException("compile: optimizer is required");
    }
    if (losses == null || losses.isEmpty() || losses.contains(null)) {
      throw new IllegalArgumentException("compile: a loss is required for every output");
    }
    int outs = outputCount();
    if (outs > 0 && losses.size() != outs) {
      throw new IllegalArgumentException("compile: model '" + getName() + "' has " + outs
          + " outputs, found " + losses.size() + " losses");
    }
    this.optimizer = optimizer;
    this.losses = List.copyOf(losses);
    this.userMetrics = List.copyOf(metrics);
    this.metrics = null;
    invalidatePacking();
  }

  private int outputCount() {
    List<int[]> o = outputShapes();
    return o == null ? 0 : o.size();
  }

  public boolean isCompiled() {
    return optimizer != null;
  }

  public Optimizer getOptimizer() {
    return optimizer;
  }

  public List<Loss> getLosses() {
    return losses;
  }

  /** The metrics given to compile (unresolved). */
  public List<Metric> getCompiledMetrics() {
    return userMetrics;
  }

  private void requireCompiled(String what) {
    if (optimizer == null) {
      throw new IllegalStateException("model '" + getName() + "': call compile(optimizer, loss, "
          + "metrics...) before " + what);
    }
  }

  private void resolveMetrics() {
    if (metrics != null) {
      return;
    }
    List<int[]> outs = outputShapes();
    metrics = new ArrayList<>();
    for (int i = 0; i < outs.size(); i++) {
      List<Metric> forOutput = new ArrayList<>();
      for (Metric m : userMetrics) {
        Metric r = Metrics.resolve(m, losses.get(i), outs.get(i));
        // every output keeps its own accumulators
        forOutput.add(i == 0 ? r : Registry.METRICS.deserialize(Registry.METRICS.serialize(r)));
      }
      metrics.add(forOutput);
    }
  }

  private String metricKey(int output, String name) {
    List<int[]> outs = outputShapes();
    if (outs.size() == 1) {
      return name;
    }
    return graph.outputs.get(output).layer().getName() + "_" + name;
  }

  /** Stops {@code fit} after the current epoch (EarlyStopping sets it). */
  public void setStopTraining(boolean stop) {
    this.stopTraining = stop;
  }

  public boolean isStopTraining() {
    return stopTraining;
  }

  // ---- the flat parameter vector -------------------------------------------------------------

  private boolean packingStale = true;

  /** The next {@link #parameterBlock()} re-checks the weight list (after build or compile). */
  private void invalidatePacking() {
    packingStale = true;
  }

  /**
   * The model's weights as one flat vector (order = {@link #weights()}), packed on first use.
   * The distributed trainer exchanges it with the parameter server.
   */
  public ParameterBlock parameterBlock() {
    if (block != null && !packingStale) {
      return block;
    }
    packingStale = false;
    List<Variable> ws = weights();
    Set<Variable> trainableSet = Collections.newSetFromMap(new IdentityHashMap<>());
    trainableSet.addAll(trainableWeights());
    penalties = Penalties.of(ws, trainableSet);
    if (block == null || !ws.equals(packedWeights)) {
      List<Tensor> ts = new ArrayList<>();
      for (Variable v : ws) {
        ts.add(v.value());
      }
      block = Backends.current().pack(ts);
      packedWeights = ws;
      if (optimizer != null) {
        optimizer.build(block.size(), trainableRanges());
      }
    }
    return block;
  }

  /**
   * The trainable weights' constraints as ranges of the flat vector (Keras applies them after
   * every optimizer step; the distributed trainer hands them to the parameter server).
   */
  public List<io.sparkeras.core.constraints.RangeConstraint> constraintRanges() {
    parameterBlock();
    return penalties.ranges();
  }

  /**
   * {@code [from, to)} ranges of the flat vector that the optimizer updates, one per trainable
   * variable (so that per-variable clipping works as in Keras).
   */
  public List<int[]> trainableRanges() {
    List<Variable> all = weights();
    Set<Variable> trainable = Collections.newSetFromMap(new IdentityHashMap<>());
    trainable.addAll(trainableWeights());
    List<int[]> ranges = new ArrayList<>();
    int off = 0;
    for (Variable v : all) {
      int n = v.size();
      if (trainable.contains(v)) {
        ranges.add(new int[] {off, off + n});
      }
      off += n;
    }
    return ranges;
  }

  private void prepareTraining() {
    requireCompiled("fit");
    ParameterBlock b = parameterBlock();
    if (!optimizer.isBuilt()) {
      optimizer.build(b.size(), trainableRanges());
    }
    resolveMetrics();
  }

  // ---- one step --------------------------------------------------------------------------

  /**
   * Forward and backward on one batch: leaves the mean gradient in
   * {@code parameterBlock().gradients()} and returns the batch loss. The optimizer is not
   * applied (the distributed worker ships the gradient instead). Metrics are updated.
   */
  public double computeGradients(Batch batch) {
    prepareTraining();
    validateBatch(batch, true, -1);
    Backend b = Backends.current();
    ParameterBlock pb = block;
    try (Scope s = b.scope(true)) {
      pb.zeroGradients();
      List<Tensor> xs = toTensors(batch.inputs());
      List<Tensor> added = new ArrayList<>();
      List<Tensor> outs = Layer.collectLosses(added, () -> callAll(xs, true));
      Tensor total = null;
      for (int i = 0; i < outs.size(); i++) {
        NDArray y = batch.targets().get(i);
        Tensor yt = Backends.ops().fromArray(y.data(), y.offset(), y.shape());
        Tensor l = losses.get(i).compute(yt, outs.get(i));
        total = total == null ? l : Backends.ops().add(total, l);
      }
      total = penalties.addTo(total, added);
      b.backward(total);
      pb.gradientsToHost();
      double loss = total.item();
      if (!Double.isFinite(loss)) {
        throw new ArithmeticException("model '" + getName() + "': the loss became " + loss
            + " (check the learning rate and the data for extreme values)");
      }
      lossTracker.update(loss, batch.size());
      updateMetrics(batch, outs);
      return loss;
    }
  }

  /** One optimizer step with the gradients left by {@link #computeGradients}. */
  public void applyGradients() {
    prepareTraining();
    optimizer.apply(block.parameters(), block.gradients());
    penalties.constrain(block.parameters());
    block.parametersToDevice();
  }

  /** Keras's {@code train_on_batch}: one gradient step; returns the logs. */
  public Map<String, Double> trainOnBatch(NDArray x, NDArray y) {
    computeGradients(Batch.of(x, y));
    applyGradients();
    return currentLogs();
  }

  private void updateMetrics(Batch batch, List<Tensor> outs) {
    for (int i = 0; i < outs.size(); i++) {
      List<Metric> ms = metrics.get(i);
      if (ms.isEmpty()) {
        continue;
      }
      float[] pred = outs.get(i).toFloatArray();
      NDArray y = batch.targets().get(i);
      float[] yTrue = compact(y);
      int[] ps = outs.get(i).shape();
      int[] predShape = Arrays.copyOfRange(ps, 1, ps.length);
      for (Metric m : ms) {
        m.updateState(yTrue, pred, batch.size(), predShape);
      }
    }
  }

  /** Clears the loss and metric accumulators. */
  public void resetMetrics() {
    lossTracker.resetState();
    if (metrics != null) {
      for (List<Metric> ms : metrics) {
        for (Metric m : ms) {
          m.resetState();
        }
      }
    }
  }

  /** The loss and metrics accumulated since the last reset. */
  public Map<String, Double> currentLogs() {
    Map<String, Double> logs = new LinkedHashMap<>();
    logs.put("loss", lossTracker.result());
    if (metrics != null) {
      for (int i = 0; i < metrics.size(); i++) {
        for (Metric m : metrics.get(i)) {
          logs.put(metricKey(i, m.name()), m.result());
        }
      }
    }
    return logs;
  }

  private List<Tensor> toTensors(List<NDArray> arrays) {
    List<Tensor> ts = new ArrayList<>(arrays.size());
    for (NDArray a : arrays) {
      ts.add(Backends.ops().fromArray(a.data(), a.offset(), a.shape()));
    }
    return ts;
  }

  // ---- validation of user data -------------------------------------------------------------

  private void validateShapes(List<NDArray> x, List<NDArray> y) {
    List<int[]> expected = inputShapes();
    if (x.size() != expected.size()) {
      throw new IllegalArgumentException("model '" + getName() + "' expects " + expected.size()
          + " input arrays, found " + x.size());
    }
    for (int i = 0; i < x.size(); i++) {
      int[] want = expected.get(i);
      int[] got = x.get(i).sampleShape();
      boolean ok = want.length == got.length;
      for (int d = 0; ok && d < want.length; d++) {
        ok = want[d] < 0 || want[d] == got[d];
      }
      if (!ok) {
        throw new IllegalArgumentException("model '" + getName() + "' input " + i + " ("
            + inputName(i) + "): expected samples of shape " + Layer.shapeString(want) + ", found "
            + Layer.shapeString(got));
      }
    }
    if (y != null) {
      List<int[]> outs = outputShapes();
      if (y.size() != outs.size()) {
        throw new IllegalArgumentException("model '" + getName() + "' has " + outs.size()
            + " outputs, found " + y.size() + " target arrays");
      }
      for (int i = 0; i < y.size(); i++) {
        if (y.get(i).length() != x.get(0).length()) {
          throw new IllegalArgumentException("targets " + i + " have " + y.get(i).length()
              + " samples, inputs have " + x.get(0).length());
        }
      }
    }
  }

  private String inputName(int i) {
    return graph != null ? graph.inputs.get(i).layer().getName() : "input_" + i;
  }

  private void validateBatch(Batch batch, boolean withTargets, long firstSample) {
    validateShapes(batch.inputs(), withTargets ? batch.targets() : null);
    for (int i = 0; i < batch.inputs().size(); i++) {
      checkFinite(batch.inputs().get(i), "input " + i + " (" + inputName(i) + ")", firstSample);
    }
    if (withTargets) {
      List<int[]> outs = outputShapes();
      for (int i = 0; i < batch.targets().size(); i++) {
        NDArray y = batch.targets().get(i);
        checkFinite(y, "target " + i, firstSample);
        losses.get(i).validateTargets(compact(y), y.length(), outs.get(i));
      }
    }
  }

  /** The array's values without a copy when it covers its whole backing array, else a copy. */
  private static float[] compact(NDArray a) {
    return a.offset() == 0 && a.data().length == a.length() * a.sampleSize() ? a.data()
        : a.toArray();
  }

  private static void checkFinite(NDArray a, String what, long firstSample) {
    float[] d = a.data();
    int n = a.length() * a.sampleSize();
    int per = Math.max(1, a.sampleSize());
    for (int i = 0; i < n; i++) {
      float v = d[a.offset() + i];
      if (!Float.isFinite(v)) {
        String where = firstSample >= 0 ? "sample " + (firstSample + i / per)
            : "sample " + (i / per) + " of the batch";
        throw new IllegalArgumentException(what + " holds " + v + " at " + where + ", value "
            + (i % per) + "; expected finite numbers");
      }
    }
  }

  // ---- fit ---------------------------------------------------------------------------------

  /** Trains on in-memory arrays (one input, one output). */
  public History fit(NDArray x, NDArray y, FitOptions options) {
    return fit(List.of(x), List.of(y), options);
  }

  /** Trains on in-memory arrays (several inputs / outputs). */
  public History fit(List<NDArray> x, List<NDArray> y, FitOptions options) {
    requireCompiled("fit");
    if (x.isEmpty()) {
      throw new IllegalArgumentException("fit: no input arrays");
    }
    ensureModelBuilt(x);
    validateShapes(x, y);
    for (int i = 0; i < x.size(); i++) {
      checkFinite(x.get(i), "x[" + i + "] (" + inputName(i) + ")", 0);
    }
    for (int i = 0; i < y.size(); i++) {
      checkFinite(y.get(i), "y[" + i + "]", 0);
    }
    int n = x.get(0).length();
    List<NDArray> trainX = x;
    List<NDArray> trainY = y;
    List<NDArray> valX = options.validationX();
    List<NDArray> valY = options.validationY();
    if (options.validationSplit() > 0) {
      int split = (int) Math.floor(n * (1 - options.validationSplit()));
      if (split <= 0 || split >= n) {
        throw new IllegalArgumentException("validation_split " + options.validationSplit()
            + " leaves no training or no validation samples out of " + n);
      }
      trainX = rows(x, 0, split);
      trainY = rows(y, 0, split);
      valX = rows(x, split, n);
      valY = rows(y, split, n);
    }
    InMemoryBatches train = new InMemoryBatches(trainX, trainY, options.batchSize(),
        options.shuffle());
    InMemoryBatches val = valX == null ? null
        : new InMemoryBatches(valX, valY, options.batchSize(), false);
    return runFit(train, train.batchCount(), val, options);
  }

  /** Trains from a Java iterator of batches; the Iterable is iterated once per epoch. */
  public History fit(Iterable<Batch> data, FitOptions options) {
    requireCompiled("fit");
    Iterator<Batch> peek = data.iterator();
    if (!peek.hasNext()) {
      throw new IllegalArgumentException("fit: the batch iterator is empty");
    }
    ensureModelBuilt(peek.next().inputs());
    InMemoryBatches val = options.validationX() == null ? null
        : new InMemoryBatches(options.validationX(), options.validationY(), options.batchSize(),
            false);
    return runFit(data, options.stepsPerEpoch(), val, options);
  }

  private static List<NDArray> rows(List<NDArray> arrays, int from, int to) {
    List<NDArray> out = new ArrayList<>();
    for (NDArray a : arrays) {
      out.add(a.rows(from, to));
    }
    return out;
  }

  private History runFit(Iterable<Batch> data, int steps, InMemoryBatches val,
      FitOptions options) {
    prepareTraining();
    History history = new History();
    // Keras's order: the user's callbacks first, then History and the progress bar, so that
    // keys a callback adds to the epoch's logs ("learning_rate") are recorded and shown
    List<Callback> callbacks = new ArrayList<>(options.callbacks());
    callbacks.add(history);
    int verbose = options.verbose();
    if (verbose > 0) {
      callbacks.add(new ProgressBar(verbose, options.epochs(), steps, System.out));
    }
    for (Callback c : callbacks) {
      c.setModel(this);
    }
    stopTraining = false;
    Map<String, Double> logs = new LinkedHashMap<>();
    for (Callback c : callbacks) {
      c.onTrainBegin(logs);
    }
    for (int epoch = options.initialEpoch(); epoch < options.epochs() && !stopTraining; epoch++) {
      resetMetrics();
      for (Callback c : callbacks) {
        c.onEpochBegin(epoch, logs);
      }
      int step = 0;
      Iterator<Batch> it = data.iterator();
      while (it.hasNext() && (options.stepsPerEpoch() < 0 || step < options.stepsPerEpoch())) {
        Batch batch = it.next();
        for (Callback c : callbacks) {
          c.onTrainBatchBegin(step, logs);
        }
        computeGradients(batch);
        applyGradients();
        Map<String, Double> batchLogs = currentLogs();
        for (Callback c : callbacks) {
          c.onTrainBatchEnd(step, batchLogs);
        }
        step++;
      }
      for (Callback c : callbacks) {
        if (c instanceof ProgressBar) {
          ((ProgressBar) c).setSteps(step);
        }
      }
      Map<String, Double> epochLogs = new LinkedHashMap<>(currentLogs());
      if (val != null) {
        Map<String, Double> v = evaluateBatches(val);
        for (Map.Entry<String, Double> e : v.entrySet()) {
          epochLogs.put("val_" + e.getKey(), e.getValue());
        }
      }
      for (Callback c : callbacks) {
        c.onEpochEnd(epoch, epochLogs);
      }
      logs = epochLogs;
    }
    for (Callback c : callbacks) {
      c.onTrainEnd(logs);
    }
    return history;
  }

  // ---- evaluate / predict ------------------------------------------------------------------

  /** Loss and metrics on in-memory data, batch size 32. */
  public Map<String, Double> evaluate(NDArray x, NDArray y) {
    return evaluate(List.of(x), List.of(y), 32);
  }

  /** Loss and metrics on in-memory data. */
  public Map<String, Double> evaluate(List<NDArray> x, List<NDArray> y, int batchSize) {
    requireCompiled("evaluate");
    ensureModelBuilt(x);
    validateShapes(x, y);
    return evaluateBatches(new InMemoryBatches(x, y, batchSize, false));
  }

  /** Loss and metrics over a Java iterator of batches. */
  public Map<String, Double> evaluate(Iterable<Batch> data) {
    requireCompiled("evaluate");
    return evaluateBatches(data);
  }

  private Map<String, Double> evaluateBatches(Iterable<Batch> data) {
    prepareTraining();
    // evaluation has its own accumulators so that training logs are not disturbed
    Mean loss = new Mean("loss");
    List<List<Metric>> ms = new ArrayList<>();
    for (List<Metric> forOutput : metrics) {
      List<Metric> copies = new ArrayList<>();
      for (Metric m : forOutput) {
        copies.add(Registry.METRICS.deserialize(Registry.METRICS.serialize(m)));
      }
      ms.add(copies);
    }
    Backend b = Backends.current();
    for (Batch batch : data) {
      validateBatch(batch, true, -1);
      try (Scope s = b.scope(false)) {
        List<Tensor> added = new ArrayList<>();
        List<Tensor> outs = Layer.collectLosses(added,
            () -> callAll(toTensors(batch.inputs()), false));
        // Keras 3's test_step adds model.losses (regularizers) to the reported loss too
        double total = added.isEmpty() && penalties == Penalties.NONE ? 0
            : penalties.addTo(Backends.ops().scalar(0), added).item();
        for (int i = 0; i < outs.size(); i++) {
          NDArray y = batch.targets().get(i);
          Tensor yt = Backends.ops().fromArray(y.data(), y.offset(), y.shape());
          total += losses.get(i).compute(yt, outs.get(i)).item();
          float[] pred = outs.get(i).toFloatArray();
          int[] ps = outs.get(i).shape();
          for (Metric m : ms.get(i)) {
            m.updateState(y.toArray(), pred, batch.size(), Arrays.copyOfRange(ps, 1, ps.length));
          }
        }
        loss.update(total, batch.size());
      }
    }
    Map<String, Double> logs = new LinkedHashMap<>();
    logs.put("loss", loss.result());
    for (int i = 0; i < ms.size(); i++) {
      for (Metric m : ms.get(i)) {
        logs.put(metricKey(i, m.name()), m.result());
      }
    }
    return logs;
  }

  /** Predictions of the (first) output, batch size 32. */
  public NDArray predict(NDArray x) {
    return predict(x, 32);
  }

  /** Predictions of the (first) output. */
  public NDArray predict(NDArray x, int batchSize) {
    return predictAll(List.of(x), batchSize).get(0);
  }

  /** Predictions of every output. */
  public List<NDArray> predictAll(List<NDArray> x, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch_size: expected >= 1, found " + batchSize);
    }
    ensureModelBuilt(x);
    validateShapes(x, null);
    int n = x.get(0).length();
    List<float[]> outData = null;
    List<int[]> outShapes = null;
    Backend b = Backends.current();
    for (int start = 0; start < n; start += batchSize) {
      int end = Math.min(n, start + batchSize);
      List<NDArray> bx = rows(x, start, end);
      for (int i = 0; i < bx.size(); i++) {
        checkFinite(bx.get(i), "x[" + i + "] (" + inputName(i) + ")", start);
      }
      try (Scope s = b.scope(false)) {
        List<Tensor> outs = callAll(toTensors(bx), false);
        if (outData == null) {
          outData = new ArrayList<>();
          outShapes = new ArrayList<>();
          for (Tensor t : outs) {
            int[] shape = t.shape();
            shape[0] = n;
            outShapes.add(shape);
            outData.add(new float[Math.toIntExact((long) n * (t.shape().length == 1 ? 1
                : Arrays.stream(shape).skip(1).asLongStream().reduce(1, (a, c) -> a * c)))]);
          }
        }
        for (int i = 0; i < outs.size(); i++) {
          float[] part = outs.get(i).toFloatArray();
          int per = part.length / (end - start);
          System.arraycopy(part, 0, outData.get(i), start * per, part.length);
        }
      }
    }
    List<NDArray> result = new ArrayList<>();
    if (outData == null) {
      for (int[] s : outputShapes()) {
        int[] full = new int[s.length + 1];
        System.arraycopy(s, 0, full, 1, s.length);
        result.add(NDArray.of(new float[0], full));
      }
      return result;
    }
    for (int i = 0; i < outData.size(); i++) {
      result.add(NDArray.of(outData.get(i), outShapes.get(i)));
    }
    return result;
  }

  // ---- weights as arrays -------------------------------------------------------------------

  /** All weights as one flat array, in {@link #weights()} order. */
  public float[] getFlatWeights() {
    ParameterBlock pb = parameterBlock();
    pb.parametersToHost();
    float[] out = new float[pb.size()];
    pb.parameters().get(0, out);
    return out;
  }

  /** Sets all weights from one flat array, in {@link #weights()} order. */
  public void setFlatWeights(float[] values) {
    ParameterBlock pb = parameterBlock();
    if (values.length != pb.size()) {
      throw new IllegalArgumentException("model '" + getName() + "': expected " + pb.size()
          + " weight values, found " + values.length);
    }
    pb.parameters().put(0, values);
    pb.parametersToDevice();
  }

  // ---- summary -----------------------------------------------------------------------------

  /** Prints the Keras-style summary table. */
  public void summary() {
    System.out.print(summaryString());
  }

  /** The Keras-style summary table: layer, output shape, parameter count, totals. */
  public String summaryString() {
    return Summary.of(this);
  }

  /** Output shape of a layer inside this model, for summaries. */
  String layerOutputShape(Layer l) {
    if (graph != null) {
      for (Node n : l.inboundNodes()) {
        if (graph.nodes.contains(n)) {
          return Layer.shapeString(n.output().shape());
        }
      }
    }
    return "?";
  }

  // ---- saving ------------------------------------------------------------------------------

  /**
   * Saves config, weights and compile settings to one file through the Hadoop FileSystem API
   * ({@code file:}, {@code hdfs://}, {@code s3a://}); written to a temporary name and renamed,
   * so a crash never leaves a partial model. Overwrites an existing file.
   */
  public void save(String path) throws IOException {
    ModelFormat.save(this, path);
  }

  /** Loads a model saved with {@link #save}, compiled as it was saved. */
  public static Model load(String path) throws IOException {
    return ModelFormat.load(path);
  }

  /** The model's architecture as Keras 3 {@code model.to_json()} JSON. */
  public String toJson() {
    return ModelFormat.toJson(this);
  }

  /** Rebuilds a model from Keras {@code model.to_json()} JSON (weights freshly initialised). */
  public static Model fromJson(String json) {
    return ModelFormat.fromJson(json);
  }

  @Override
  public Map<String, Object> getConfig() {
    return ModelFormat.modelConfig(this);
  }

  InputLayer inputLayer(int i) {
    return (InputLayer) graph.inputs.get(i).layer();
  }
}
