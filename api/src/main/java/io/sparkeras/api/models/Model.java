package io.sparkeras.api.models;

import io.sparkeras.api.backend.ParameterBlock;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.callbacks.History;
import io.sparkeras.api.data.Batch;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.CallArgs;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.losses.Loss;
import io.sparkeras.api.metrics.Metric;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.optimizers.Optimizer;
import io.sparkeras.api.saving.ModelFormat;
import io.sparkeras.api.saving.SavedModelExport;
import io.sparkeras.api.saving.keras.ModelFiles;
import io.sparkeras.api.trainers.Trainer;
import io.sparkeras.core.constraints.RangeConstraint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

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
 * model.save("file:/tmp/mnist.keras");
 * Model again = Model.load("file:/tmp/mnist.keras");
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
 *
 * <p>As in Keras, a model is a layer plus a trainer: its structure is a functional graph or its
 * subclass's {@code call} (a network object chosen at construction), and compile, the train step
 * and the fit / evaluate / predict loops belong to its {@link Trainer}.
 */
public class Model extends Layer {
  private Network network;
  private final Trainer trainer = new Trainer(this);
  private final PackedWeights packing = new PackedWeights(this, trainer);
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
    setNetwork(new Functional(this, inputs, outputs));
  }

  /** For subclassed models (and Sequential). */
  protected Model() {
    network = new Subclassed(this);
  }

  /** For subclassed models with a name. */
  protected Model(String name) {
    this();
    name(name);
  }

  /** Renames the model (allowed at any time: a model's weights belong to its layers). */
  @Override
  public Model name(String name) {
    super.name(name);
    return this;
  }

  @Override
  protected boolean renamableOnceBuilt() {
    return true;
  }

  /** Makes {@code n} the model's structure (a Sequential's graph, once its input is known). */
  final void setNetwork(Network n) {
    this.network = n;
    ensureBuilt(n.inputShapes());
    invalidatePacking();
  }

  // ---- structure -------------------------------------------------------------------------

  /** Whether this is a graph model (functional, or a built Sequential), not a subclassed one. */
  public boolean isGraphNetwork() {
    return network.isGraph();
  }

  /** The layers, in graph order (functional: InputLayers included, like Keras). */
  public List<Layer> layers() {
    return network.layers();
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
    return network.inputs();
  }

  /** Symbolic outputs (graph models). */
  public List<KerasTensor> outputs() {
    return network.outputs();
  }

  /**
   * Expected sample shape of each array the network is fed (batch excluded), or null before a
   * subclass is built: the inputs' shapes, or, for a model with preprocessing layers, the shapes
   * of what its host prefix gives the network ({@link #hostPlan()}).
   */
  public List<int[]> inputShapes() {
    return network.inputShapes();
  }

  /** Sample shape of each output (batch excluded), or null before a subclass is built. */
  public List<int[]> outputShapes() {
    return network.outputShapes();
  }

  /**
   * The names of what the network is fed, for messages: the inputs' InputLayers
   * ({@code input_<i>} when subclassed), or for a model with preprocessing layers the layers
   * whose outputs feed the network ({@link #hostPlan()}; the raw inputs' names are
   * {@code hostPlan().inputNames()}).
   */
  public List<String> inputNames() {
    return names(inputShapes(), network::inputName);
  }

  /** The outputs' names, which prefix their metrics' log keys when there are several. */
  public List<String> outputNames() {
    return names(outputShapes(), network::outputName);
  }

  private static List<String> names(List<int[]> shapes, Function<Integer, String> name) {
    List<String> l = new ArrayList<>();
    for (int i = 0; shapes != null && i < shapes.size(); i++) {
      l.add(name.apply(i));
    }
    return l;
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
    network.build(shapes);
    invalidatePacking();
  }

  @Override
  public void build(int[] inputShape) {
    build(List.of(inputShape));
  }

  /** Runs the model on a batch; graph models run their graph, subclasses override this or {@link #call(Tensor, boolean)}. */
  @Override
  public Tensor call(List<Tensor> inputs, boolean training) {
    return network.call(inputs, training);
  }

  /** {@link Layer#call(List, boolean)}: a subclassed model's own call. */
  final Tensor layerCall(List<Tensor> inputs, boolean training) {
    return super.call(inputs, training);
  }

  /**
   * The full call (inputs with their masks, arguments, every output): a graph model as a layer
   * of another model runs its graph with the inputs' masks and sets its outputs' masks (Keras's
   * Functional passes masks through nested models); a subclassed one runs its own call.
   */
  @Override
  public List<Tensor> call(CallArgs args) {
    return network.call(args);
  }

  /** {@link Layer#call(CallArgs)}: a subclassed model's own call. */
  final List<Tensor> layerCall(CallArgs args) {
    return super.call(args);
  }

  /** Runs the model and returns every output. */
  public List<Tensor> callAll(List<Tensor> inputs, boolean training) {
    return network.callAll(inputs, training);
  }

  @Override
  public List<int[]> computeOutputShapes(List<int[]> inputShapes, Map<String, Object> args) {
    List<int[]> outs = outputShapes();
    return outs != null && args.isEmpty() ? outs : super.computeOutputShapes(inputShapes, args);
  }

  @Override
  public int[] computeOutputShape(List<int[]> inputShapes) {
    List<int[]> outs = outputShapes();
    if (outs != null && outs.size() == 1) {
      return outs.get(0).clone();
    }
    return super.computeOutputShape(inputShapes);
  }

  /** Every layer's weights, then the model's own, each once. */
  @Override
  public List<Variable> weights() {
    return unique(Layer::weights, super.weights());
  }

  @Override
  public List<Variable> trainableWeights() {
    return isTrainable() ? unique(Layer::trainableWeights, super.trainableWeights())
        : new ArrayList<>();
  }

  private List<Variable> unique(Function<Layer, List<Variable>> perLayer, List<Variable> own) {
    List<Variable> out = new ArrayList<>();
    Set<Variable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Layer l : layers()) {
      for (Variable v : perLayer.apply(l)) {
        if (seen.add(v)) {
          out.add(v);
        }
      }
    }
    for (Variable v : own) {
      if (seen.add(v)) {
        out.add(v);
      }
    }
    return out;
  }

  // ---- compile (the trainer's) -------------------------------------------------------------

  /** Configures training: one loss for every output, and metrics. */
  public void compile(Optimizer optimizer, Loss loss, Metric... metrics) {
    compile(optimizer, Collections.nCopies(outputCountForCompile(), loss), Arrays.asList(metrics));
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
    compile(Optimizer.REGISTRY.deserialize(optimizer),
        Collections.nCopies(outputCountForCompile(), Loss.REGISTRY.deserialize(loss)), ms);
  }

  /** Configures training with one loss per output. */
  public void compile(Optimizer optimizer, List<Loss> losses, List<Metric> metrics) {
    trainer.compile(optimizer, losses, metrics);
    invalidatePacking();
  }

  /**
   * Configures training like Keras's {@code compile} with its keyword arguments: losses and
   * metrics per output by name, loss weights, weighted metrics ({@link CompileOptions}).
   */
  public void compile(Optimizer optimizer, CompileOptions options) {
    trainer.compile(optimizer, options);
    invalidatePacking();
  }

  /**
   * The model's trainer (Keras's {@code Model} is its own trainer): loss and metric states for
   * distributed training ({@code currentStates}, {@code evaluateStates}, {@code mergeStates}).
   */
  public Trainer trainer() {
    return trainer;
  }

  private int outputCountForCompile() {
    List<int[]> o = outputShapes();
    return Math.max(1, o == null ? 0 : o.size());
  }

  public boolean isCompiled() {
    return trainer.isCompiled();
  }

  public Optimizer getOptimizer() {
    return trainer.getOptimizer();
  }

  public List<Loss> getLosses() {
    return trainer.getLosses();
  }

  /** The metrics given to compile (unresolved). */
  public List<Metric> getCompiledMetrics() {
    return trainer.getCompiledMetrics();
  }

  /** Stops {@code fit} after the current epoch (EarlyStopping sets it). */
  public void setStopTraining(boolean stop) {
    this.stopTraining = stop;
  }

  public boolean isStopTraining() {
    return stopTraining;
  }

  // ---- fit / evaluate / predict (the trainer's) --------------------------------------------

  /** Trains on in-memory arrays (one input, one output). */
  public History fit(NDArray x, NDArray y, FitOptions options) {
    return fit(List.of(x), List.of(y), options);
  }

  /** Trains on in-memory arrays (several inputs / outputs). */
  public History fit(List<NDArray> x, List<NDArray> y, FitOptions options) {
    return trainer.fit(x, y, options);
  }

  /** Trains from a Java iterator of batches; the Iterable is iterated once per epoch. */
  public History fit(Iterable<Batch> data, FitOptions options) {
    return trainer.fit(data, options);
  }

  /** Loss and metrics on in-memory data, batch size 32. */
  public Map<String, Double> evaluate(NDArray x, NDArray y) {
    return evaluate(List.of(x), List.of(y), 32);
  }

  /** Loss and metrics on in-memory data. */
  public Map<String, Double> evaluate(List<NDArray> x, List<NDArray> y, int batchSize) {
    return trainer.evaluate(x, y, batchSize);
  }

  /** Loss and metrics on in-memory data whose samples weigh {@code sampleWeight}. */
  public Map<String, Double> evaluate(List<NDArray> x, List<NDArray> y, NDArray sampleWeight,
      int batchSize) {
    return trainer.evaluate(x, y, sampleWeight, batchSize);
  }

  /** Loss and metrics over a Java iterator of batches. */
  public Map<String, Double> evaluate(Iterable<Batch> data) {
    return trainer.evaluate(data);
  }

  /**
   * The host prefix of a functional model with preprocessing layers (they run in Java on raw
   * values, their outputs feed the network), or null when the model has none. {@code fit},
   * {@code evaluate} and {@code predict} on arrays take what the plan's boundary gives.
   *
   * <pre>{@code
   * HostPlan plan = model.hostPlan();
   * List<NDArray> x = plan.encode(Columns.of("zip", zips), false, 0);
   * model.fit(x, List.of(y), options);
   * }</pre>
   */
  public io.sparkeras.api.layers.preprocessing.HostPlan hostPlan() {
    return network.hostPlan();
  }

  /**
   * Predictions of the (first) output for raw columns, one per model input by name, run through
   * the model's preprocessing layers ({@link #hostPlan()}) first; batch size 32.
   *
   * <pre>{@code
   * NDArray p = model.predict(Columns.of("age", ages).with("occupation", jobs));
   * }</pre>
   */
  public NDArray predict(io.sparkeras.api.data.Columns x) {
    io.sparkeras.api.layers.preprocessing.HostPlan plan = hostPlan();
    if (plan == null) {
      throw new IllegalArgumentException("model '" + getName() + "' has no preprocessing "
          + "layers: give it arrays (NDArray), not named raw columns");
    }
    return predictAll(plan.encode(x, false, 0), 32).get(0);
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
    return trainer.predict(x, batchSize);
  }

  /**
   * Forward and backward on one batch: leaves the mean gradient in
   * {@code parameterBlock().gradients()} and returns the batch loss. The optimizer is not
   * applied (the distributed worker ships the gradient instead). Metrics are updated.
   */
  public double computeGradients(Batch batch) {
    return trainer.computeGradients(batch);
  }

  /** One optimizer step with the gradients left by {@link #computeGradients}. */
  public void applyGradients() {
    trainer.applyGradients();
  }

  /** Keras's {@code train_on_batch}: one gradient step; returns the logs. */
  public Map<String, Double> trainOnBatch(NDArray x, NDArray y) {
    computeGradients(Batch.of(x, y));
    applyGradients();
    return currentLogs();
  }

  /** Clears the loss and metric accumulators. */
  public void resetMetrics() {
    trainer.resetMetrics();
  }

  /** The loss and metrics accumulated since the last reset. */
  public Map<String, Double> currentLogs() {
    return trainer.currentLogs();
  }

  // ---- the flat parameter vector -------------------------------------------------------------

  /** The next {@link #parameterBlock()} re-checks the weight list (after build or compile). */
  private void invalidatePacking() {
    packing.invalidate();
  }

  /**
   * The model's weights as one flat vector (order = {@link #weights()}), packed on first use.
   * The distributed trainer exchanges it with the parameter server.
   */
  public ParameterBlock parameterBlock() {
    return packing.block();
  }

  /**
   * The trainable weights' constraints as ranges of the flat vector (Keras applies them after
   * every optimizer step; the distributed trainer hands them to the parameter server).
   *
   * <pre>{@code
   * new Dense(4).kernelConstraint(new NonNeg());   // -> one RangeConstraint over the kernel
   * }</pre>
   */
  public List<RangeConstraint> constraintRanges() {
    parameterBlock();
    return trainer.constraintRanges();
  }

  /**
   * {@code [from, to)} ranges of the flat vector that the optimizer updates, one per trainable
   * variable (so that per-variable clipping works as in Keras).
   */
  public List<int[]> trainableRanges() {
    return packing.trainableRanges();
  }

  /** All weights as one flat array, in {@link #weights()} order. */
  public float[] getFlatWeights() {
    return packing.get();
  }

  /** Sets all weights from one flat array, in {@link #weights()} order. */
  public void setFlatWeights(float[] values) {
    packing.set(values);
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
    return network.layerOutputShape(l);
  }

  // ---- saving ------------------------------------------------------------------------------

  /**
   * Saves the model as a Keras 3 {@code .keras} file (config, weights, compile settings and
   * optimizer state; Python's {@code keras.saving.load_model} reads it) through the Hadoop
   * FileSystem API ({@code file:}, {@code hdfs://}, {@code s3a://}); written to a temporary name
   * and renamed, so a crash never leaves a partial model. Overwrites an existing file.
   */
  public void save(String path) throws IOException {
    ModelFiles.save(this, path);
  }

  /**
   * Loads a model: a Keras 3 {@code .keras} file (from Python or {@link #save}), a legacy Keras 2
   * / tf.keras {@code .h5}, or Sparkeras's earlier zip; compiled as it was saved.
   */
  public static Model load(String path) throws IOException {
    return ModelFiles.load(path);
  }

  /**
   * Exports the model for TensorFlow Serving (like Keras's {@code model.export}): a TensorFlow
   * SavedModel directory whose {@code serving_default} signature takes the model's inputs and
   * returns its outputs by name ({@link #inputNames()}, {@link #outputNames()}), any batch size,
   * weights frozen into the graph; {@code SavedModelBundle.load} and TensorFlow Serving run it
   * with the predictions of {@link #predict}. {@code path} is a local directory (or
   * {@code file:} URI) that must not exist yet; it appears whole or not at all. Needs the
   * {@code tensorflow} backend ({@code SPARKERAS_BACKEND=tensorflow} and the
   * {@code sparkeras-backend-tensorflow} module on the classpath; other backends throw an
   * {@link UnsupportedOperationException} saying so). See {@code docs/serving.md}.
   *
   * <pre>{@code
   * // SPARKERAS_BACKEND=tensorflow java ...
   * Model model = Model.load("file:/tmp/fmnist.keras");   // trained on any backend
   * model.exportSavedModel("/srv/models/fmnist/1");        // version 1 for TensorFlow Serving
   * }</pre>
   */
  public void exportSavedModel(String path) throws IOException {
    SavedModelExport.export(this, path);
  }

  /** Saves the weights as Keras 3's {@code .weights.h5} ({@code model.save_weights}). */
  public void saveWeights(String path) throws IOException {
    ModelFiles.saveWeights(this, path);
  }

  /**
   * Loads weights saved by {@link #saveWeights} or Keras ({@code .weights.h5}, {@code .keras},
   * legacy {@code .h5}) into this model; a file that does not fit changes nothing.
   */
  public void loadWeights(String path) throws IOException {
    ModelFiles.loadWeights(this, path);
  }

  /**
   * Writes the same file as {@link #save(String)} to a stream, which stays open: to ship a model
   * without a file system.
   *
   * <pre>{@code
   * ByteArrayOutputStream bytes = new ByteArrayOutputStream();
   * model.save(bytes);
   * Model copy = Model.load(new ByteArrayInputStream(bytes.toByteArray()));
   * }</pre>
   */
  public void save(OutputStream out) throws IOException {
    ModelFiles.write(this, out);
  }

  /**
   * Reads a model from a stream holding the bytes of any file {@link #load(String)} reads (what
   * {@link #save(OutputStream)} wrote, say); the stream stays open.
   */
  public static Model load(InputStream in) throws IOException {
    return ModelFiles.read(in, "the model stream");
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
}
