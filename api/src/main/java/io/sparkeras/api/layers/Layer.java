package io.sparkeras.api.layers;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.config.Configurable;
import io.sparkeras.api.config.Registry;
import io.sparkeras.api.constraints.Constraint;
import io.sparkeras.api.initializers.Initializer;
import io.sparkeras.api.regularizers.Regularizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The base of every layer, with Keras's life cycle: the constructor only validates and stores
 * settings; {@link #build(int[])} creates the weights with {@link #addWeight}; {@link #call(Tensor,
 * boolean)} does the math with {@link io.sparkeras.api.backend.Ops}; {@link #computeOutputShape}
 * gives shapes; {@link #getConfig()} and a registered {@code fromConfig} round-trip it. Shapes
 * never include the batch dimension; -1 marks an unknown size.
 *
 * <p>A custom layer:
 * <pre>{@code
 * public class Scale extends Layer {
 *   private Variable factor;
 *   public void build(int[] inputShape) {
 *     factor = addWeight("factor", new int[] {inputShape[inputShape.length - 1]}, new Ones(), true);
 *   }
 *   public Tensor call(Tensor x, boolean training) {
 *     return ops().multiply(x, factor.value());
 *   }
 *   public int[] computeOutputShape(int[] inputShape) { return inputShape; }
 * }
 * Layer.REGISTRY.register("Scale", "MyProject", Scale.class, c -> new Scale());
 * }</pre>
 *
 * <p>Masks, call arguments and several outputs (Keras's {@code call(inputs, mask=None,
 * training=None, **kwargs)}): a layer that needs them overrides {@link #call(CallArgs)}, which
 * gets every input with its mask ({@link Masks}) and the named arguments and returns every
 * output. A layer that passes masks on declares {@link #setSupportsMasking(boolean)} (Keras's
 * {@code supports_masking}) and may override {@link #computeMask}; a functional model then
 * carries each output's mask to the layers that consume it, as Keras does with
 * {@code _keras_mask}. {@link #applyAll(CallArgs)} and {@link #applyAll(List, Map)} are the
 * eager and symbolic calls that return every output.
 */
public abstract class Layer implements Configurable {
  /** Layers and models by Keras name: configs and custom registrations ({@link Registry}). */
  public static final Registry<Layer> REGISTRY =
      new Registry<>("layer", "keras.layers", "Layer.REGISTRY");

  private String name;
  private boolean trainable = true;
  private boolean built;
  private boolean supportsMasking;
  private final List<Variable> ownWeights = new ArrayList<>();
  private final List<Layer> sublayers = new ArrayList<>();
  final List<Node> inboundNodes = new ArrayList<>();
  private List<int[]> buildShapes;
  private Map<String, Object> buildArgumentShapes = Map.of();
  private Regularizer activityRegularizer;

  protected Layer() {}

  /** Reads the base settings ({@code name}, {@code trainable}) of a Keras layer config. */
  protected Layer(Config config) {
    this.name = config.getString("name", null);
    this.trainable = config.getBoolean("trainable", true);
  }

  // ---- naming and flags ------------------------------------------------------------------

  /** The layer's name; unique by default ("dense", "dense_1", ...). */
  public String getName() {
    if (name == null) {
      name = Naming.autoName(getClass());
    }
    return name;
  }

  /**
   * Sets the name (Keras's {@code name=}); must be called before the layer is built, unless
   * {@link #renamableOnceBuilt()}.
   */
  public Layer name(String name) {
    if (built && !renamableOnceBuilt()) {
      throw new IllegalStateException("layer '" + getName() + "' is built: set its name before use");
    }
    this.name = name;
    return this;
  }

  /**
   * Whether the layer may be renamed once built. False: a built layer's variables carry its name.
   * A container whose weights live in its sublayers (a model) says true.
   */
  protected boolean renamableOnceBuilt() {
    return false;
  }

  public boolean isTrainable() {
    return trainable;
  }

  /** Freezes (false) or unfreezes the layer's weights; takes effect at the next compile. */
  public Layer trainable(boolean trainable) {
    this.trainable = trainable;
    return this;
  }

  public boolean isBuilt() {
    return built;
  }

  // ---- the life cycle --------------------------------------------------------------------

  /** Creates the weights for inputs of this shape (batch excluded). Default: no weights. */
  public void build(int[] inputShape) {}

  /** Multi-input build; single-input layers need not override it. */
  public void build(List<int[]> inputShapes) {
    build(single(inputShapes));
  }

  /** The layer's math on one input. */
  public Tensor call(Tensor input, boolean training) {
    throw new UnsupportedOperationException("layer '" + getName() + "' ("
        + getClass().getSimpleName() + ") takes " + "several inputs or does not override call");
  }

  /** The layer's math on several inputs; single-input layers need not override it. */
  public Tensor call(List<Tensor> inputs, boolean training) {
    if (inputs.size() != 1) {
      throw new IllegalArgumentException("layer '" + getName() + "' expects 1 input, found "
          + inputs.size());
    }
    return call(inputs.get(0), training);
  }

  /**
   * The full call, Keras's {@code call(inputs, mask=..., training=..., **kwargs)}: every input,
   * its mask, the named arguments. Returns every output. The default runs {@link #call(Tensor,
   * boolean)} (one input) or {@link #call(List, boolean)} as one output; layers that take masks
   * or arguments, or return several tensors, override this.
   */
  public List<Tensor> call(CallArgs args) {
    List<Tensor> in = args.inputs();
    return List.of(in.size() == 1 ? call(in.get(0), args.training()) : call(in, args.training()));
  }

  /** Whether the layer passes masks on (Keras's {@code supports_masking}); default false. */
  public boolean supportsMasking() {
    return supportsMasking;
  }

  /** Declares that the layer passes masks on; call it from the constructor, as Keras layers do. */
  protected final void setSupportsMasking(boolean supportsMasking) {
    this.supportsMasking = supportsMasking;
  }

  /**
   * Keras's {@code compute_mask}: the masks of a call's outputs (one per output, null for none),
   * asked by a functional model only when {@link #supportsMasking()}. {@code args} holds the
   * masks the inputs carry (Keras's {@code previous_mask}), never a mask passed explicitly as a
   * call argument: as in Keras, an explicit mask is used by the call but not passed on. The
   * default passes the inputs' masks on (output i gets input i's mask), as Keras's does.
   */
  public List<Tensor> computeMask(CallArgs args, List<Tensor> outputs) {
    List<Tensor> out = new ArrayList<>(outputs.size());
    for (int i = 0; i < outputs.size(); i++) {
      out.add(args.mask(i));
    }
    return out;
  }

  /**
   * Output shape (batch excluded) for an input shape. The default runs the layer once on a batch
   * of zeros, like Keras's compute_output_spec; built-in layers override it.
   */
  public int[] computeOutputShape(int[] inputShape) {
    return computeOutputShape(List.of(inputShape));
  }

  /** Multi-input output shape; by default inferred by running the layer on zeros. */
  public int[] computeOutputShape(List<int[]> inputShapes) {
    if (inputShapes.size() == 1 && overrides("computeOutputShape", int[].class)) {
      return computeOutputShape(inputShapes.get(0));
    }
    return ShapeInference.byRunning(this, inputShapes, Map.of()).get(0);
  }

  /**
   * A batch of one all-zero sample per input shape (batch excluded; unknown sizes become 1): what
   * a layer or model is run on to learn its output shapes. Call it inside a backend scope.
   */
  public static List<Tensor> zerosLike(List<int[]> inputShapes) {
    List<Tensor> zeros = new ArrayList<>(inputShapes.size());
    for (int[] shape : inputShapes) {
      zeros.add(ShapeInference.zerosLike(shape));
    }
    return zeros;
  }

  private boolean overrides(String method, Class<?>... params) {
    try {
      return getClass().getMethod(method, params).getDeclaringClass() != Layer.class;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private int[] single(List<int[]> shapes) {
    if (shapes.size() != 1) {
      throw new IllegalArgumentException("layer '" + getName() + "' expects 1 input, found "
          + shapes.size());
    }
    return shapes.get(0);
  }

  /** Builds the layer for these input shapes unless it is built already. */
  public final void ensureBuilt(List<int[]> inputShapes) {
    ensureBuilt(inputShapes, Map.of());
  }

  /** {@link #ensureBuilt(List)} for a call with these arguments (their shapes go to build_config). */
  final void ensureBuilt(List<int[]> inputShapes, Map<String, Object> args) {
    if (!built) {
      buildArgumentShapes = BuildShapes.ofArguments(args);
      buildShapes = new ArrayList<>();
      for (int[] s : inputShapes) {
        buildShapes.add(s.clone());
      }
      if (inputShapes.size() == 1) {
        build(inputShapes.get(0));
      } else {
        build(inputShapes);
      }
      built = true;
    }
  }

  /** The input shapes the layer was built with (batch excluded), or null. */
  public List<int[]> buildInputShapes() {
    return buildShapes == null ? null : Collections.unmodifiableList(buildShapes);
  }

  /**
   * The shapes (batch excluded) of the tensor arguments of the call the layer was built by (an
   * RNN's {@code initial_state}): an {@code int[]} per tensor, a list of them per list.
   */
  public Map<String, Object> buildArgumentShapes() {
    return Collections.unmodifiableMap(buildArgumentShapes);
  }

  // ---- calling ---------------------------------------------------------------------------

  /** Whether the current call runs in training mode (set by fit; read by Dropout, BatchNorm). */
  public static boolean isTraining() {
    return CallContext.training();
  }

  /** Runs {@code body} with the training flag set, restoring it afterwards. */
  public static <T> T withTraining(boolean training, java.util.function.Supplier<T> body) {
    return CallContext.withTraining(training, body);
  }

  /** Eager call (Keras's {@code layer(x)}): builds on first use, then calls with the current training flag. */
  public final Tensor apply(Tensor... inputs) {
    return apply(Arrays.asList(inputs), isTraining());
  }

  /** Eager call with an explicit training flag. */
  public final Tensor apply(Tensor input, boolean training) {
    return apply(List.of(input), training);
  }

  /** Eager call on several inputs. */
  public final Tensor apply(List<Tensor> inputs, boolean training) {
    return onlyOutput(applyAll(CallArgs.of(inputs).training(training)));
  }

  /**
   * Eager call with masks and named arguments (Keras's {@code layer(x, mask=..., **kwargs)}):
   * builds on first use, then runs {@link #call(CallArgs)} and returns every output.
   */
  public final List<Tensor> applyAll(CallArgs args) {
    CallContext.called(this);
    List<int[]> shapes = new ArrayList<>(args.inputs().size());
    for (Tensor t : args.inputs()) {
      int[] s = t.shape();
      shapes.add(Arrays.copyOfRange(s, 1, s.length));
    }
    ensureBuilt(shapes, args.args());
    return CallContext.withTraining(args.training(), () -> {
      List<Tensor> outs = call(args);
      if (activityRegularizer != null) {
        for (Tensor out : outs) {
          addLoss(activityRegularizer.call(out));
        }
      }
      return outs;
    });
  }

  private Tensor onlyOutput(List<Tensor> outputs) {
    if (outputs.size() != 1) {
      throw new IllegalStateException("layer '" + getName() + "' (" + getClass().getSimpleName()
          + ") returns " + outputs.size() + " outputs here; call applyAll to get them all");
    }
    return outputs.get(0);
  }

  // ---- added losses (Keras's add_loss and activity regularizers) --------------------------

  /**
   * Keras's {@code add_loss}: from inside {@code call}, adds a scalar to the loss of the training
   * (or evaluation) step under way; outside one it has no effect.
   */
  protected final void addLoss(Tensor loss) {
    CallContext.addLoss(loss);
  }

  /** Runs {@code body}, appending to {@code into} the losses layers add while it runs. */
  public static <T> T collectLosses(List<Tensor> into, java.util.function.Supplier<T> body) {
    return CallContext.collectLosses(into, body);
  }

  /**
   * Sets the penalty on this layer's output (Keras's {@code activity_regularizer}): computed on
   * the whole batch at every call during training and added to the loss.
   */
  public Layer activityRegularizer(Regularizer regularizer) {
    this.activityRegularizer = regularizer;
    return this;
  }

  /** The penalty on the output, or null. */
  public Regularizer activityRegularizer() {
    return activityRegularizer;
  }

  /**
   * Runs {@code body} and returns the layers eagerly called during it, in call order (how a
   * subclassed model discovers its layers, like Keras's attribute tracking).
   */
  public static List<Layer> recordCalls(Runnable body) {
    return CallContext.recordCalls(body);
  }

  /** Symbolic call of the functional API: records a node and returns its output. */
  public final KerasTensor apply(KerasTensor... inputs) {
    return apply(Arrays.asList(inputs));
  }

  /** Symbolic call on a list of inputs. */
  public KerasTensor apply(List<KerasTensor> inputs) {
    List<KerasTensor> outs = applyAll(inputs, Map.of());
    if (outs.size() != 1) {
      throw new IllegalStateException("layer '" + getName() + "' (" + getClass().getSimpleName()
          + ") has " + outs.size() + " outputs here; call applyAll to get them all");
    }
    return outs.get(0);
  }

  /**
   * Symbolic call with named arguments (functional API): records a node and returns every
   * output. Argument values may be {@link KerasTensor}s (an RNN's {@code initial_state}), lists
   * of them, or plain values ({@code use_causal_mask = true}).
   *
   * <pre>{@code
   * List<KerasTensor> out = new LSTM(8).returnState(true).applyAll(List.of(x),
   *     Map.of("initial_state", List.of(h0, c0)));
   * }</pre>
   */
  public List<KerasTensor> applyAll(List<KerasTensor> inputs, Map<String, Object> args) {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("layer '" + getName() + "' called on no inputs");
    }
    List<int[]> shapes = new ArrayList<>(inputs.size());
    for (KerasTensor t : inputs) {
      shapes.add(t.shape());
    }
    List<int[]> out;
    try {
      ensureBuilt(shapes, args);
      out = computeOutputShapes(shapes, args);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("layer '" + getName() + "' (" + getClass().getSimpleName()
          + ") cannot take input shape " + shapesString(shapes) + ": " + e.getMessage(), e);
    }
    List<KerasTensor> outputs = new ArrayList<>(out.size());
    for (int i = 0; i < out.size(); i++) {
      outputs.add(new KerasTensor(out.get(i), this, inboundNodes.size(), i));
    }
    inboundNodes.add(new Node(this, inputs, args, outputs));
    return outputs;
  }

  /**
   * Output shapes (batch excluded) of a call with named arguments, one per output. The default
   * gives {@link #computeOutputShape(List)} for a call without arguments, and otherwise runs the
   * layer once on zeros; layers with several outputs or with arguments override it.
   */
  public List<int[]> computeOutputShapes(List<int[]> inputShapes, Map<String, Object> args) {
    if (args.isEmpty()) {
      return List.of(computeOutputShape(inputShapes));
    }
    return ShapeInference.byRunning(this, inputShapes, args);
  }

  /**
   * The names of the layer's separate positional inputs when Keras's {@code call} takes them as
   * separate arguments ({@code MultiHeadAttention}: query, value, key), or null when it takes one
   * argument (a list when there are several, like {@code Concatenate}). Saving writes the call
   * in the matching form; loading accepts those inputs passed by name.
   */
  public List<String> positionalInputNames() {
    return null;
  }

  /** The recorded symbolic calls (functional graph nodes) of this layer. */
  public List<Node> inboundNodes() {
    return Collections.unmodifiableList(inboundNodes);
  }

  // ---- weights ---------------------------------------------------------------------------

  /** Creates a weight; call it from {@link #build}. */
  protected Variable addWeight(String weightName, int[] shape, Initializer initializer,
      boolean weightTrainable) {
    Variable v = new Variable(getName(), weightName, shape, initializer, weightTrainable);
    ownWeights.add(v);
    return v;
  }

  /**
   * Creates a weight with a regularizer (added to the training loss) and a constraint (applied
   * after every optimizer step); either may be null.
   */
  protected Variable addWeight(String weightName, int[] shape, Initializer initializer,
      boolean weightTrainable, Regularizer regularizer, Constraint constraint) {
    Variable v = addWeight(weightName, shape, initializer, weightTrainable);
    try {
      v.penalties(regularizer, constraint);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("layer '" + getName() + "' weight '" + weightName + "': "
          + e.getMessage(), e);
    }
    return v;
  }

  /** Tracks a nested layer so its weights belong to this one (after this layer's own). */
  protected <L extends Layer> L track(L sublayer) {
    sublayers.add(sublayer);
    return sublayer;
  }

  /** Nested layers tracked with {@link #track}. */
  public List<Layer> sublayers() {
    return Collections.unmodifiableList(sublayers);
  }

  /**
   * All weight variables in Keras's order: own trainable, own non-trainable, then each nested
   * layer's. This order defines the flat parameter vector.
   */
  public List<Variable> weights() {
    List<Variable> out = new ArrayList<>();
    collect(out, Collections.newSetFromMap(new IdentityHashMap<>()));
    return out;
  }

  void collect(List<Variable> out, Set<Variable> seen) {
    for (Variable v : ownWeights) {
      if (v.trainable() && seen.add(v)) {
        out.add(v);
      }
    }
    for (Variable v : ownWeights) {
      if (!v.trainable() && seen.add(v)) {
        out.add(v);
      }
    }
    for (Layer l : sublayers) {
      l.collect(out, seen);
    }
  }

  /** Weights that an optimizer updates (the layer and its parents trainable). */
  public List<Variable> trainableWeights() {
    List<Variable> out = new ArrayList<>();
    if (!trainable) {
      return out;
    }
    for (Variable v : weights()) {
      if (v.trainable() && isTrainableThrough(v)) {
        out.add(v);
      }
    }
    return out;
  }

  boolean isTrainableThrough(Variable v) {
    if (!trainable) {
      return false;
    }
    if (ownWeights.contains(v)) {
      return true;
    }
    for (Layer l : sublayers) {
      if (l.weights().contains(v)) {
        return l.isTrainableThrough(v);
      }
    }
    return false;
  }

  /** Weight values as arrays, like Keras's {@code get_weights()}. */
  public List<float[]> getWeights() {
    List<float[]> out = new ArrayList<>();
    for (Variable v : weights()) {
      out.add(v.numpy());
    }
    return out;
  }

  /** Sets weight values, like Keras's {@code set_weights()}. */
  public void setWeights(List<float[]> values) {
    List<Variable> vs = weights();
    if (values.size() != vs.size()) {
      throw new IllegalArgumentException("layer '" + getName() + "': expected " + vs.size()
          + " weight arrays, found " + values.size());
    }
    for (int i = 0; i < vs.size(); i++) {
      vs.get(i).assign(values.get(i));
    }
  }

  /** Total number of weight values. */
  public long countParams() {
    long n = 0;
    for (Variable v : weights()) {
      n += v.size();
    }
    return n;
  }

  // ---- config ----------------------------------------------------------------------------

  /** Keras base config: name, trainable, dtype. Subclasses add their own keys. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = Config.newMap();
    m.put("name", getName());
    m.put("trainable", trainable);
    m.put("dtype", dtypePolicy());
    if (activityRegularizer != null) {
      m.put("activity_regularizer", Regularizer.serialize(activityRegularizer));
    }
    return m;
  }

  /** Keras 3's serialised float32 dtype policy. */
  public static Map<String, Object> dtypePolicy() {
    Map<String, Object> policy = Config.newMap();
    policy.put("module", "keras");
    policy.put("class_name", "DTypePolicy");
    Map<String, Object> pc = Config.newMap();
    pc.put("name", "float32");
    policy.put("config", pc);
    policy.put("registered_name", null);
    return policy;
  }

  /**
   * Keras's build_config: {@code {"input_shape": [null, ...]}} when the layer was built from one
   * call argument, {@code {"shapes_dict": {...}}} from several (MultiHeadAttention's query and
   * value, an RNN's sequences and initial state), as Keras writes it; null if unbuilt.
   */
  public Map<String, Object> getBuildConfig() {
    return buildShapes == null ? null : BuildShapes.config(buildShapesDict());
  }

  /**
   * The shapes the layer was built for (batch excluded) by the name of Keras's call argument
   * (Keras's shapes_dict without the {@code _shape} suffix): the inputs as {@code inputs} (one
   * shape, or the list of several), or each under its {@link #positionalInputNames()} name, then
   * the tensor arguments of the call that built it. A layer whose Keras {@code call} names its
   * first argument otherwise overrides this (an RNN's {@code sequences}).
   */
  protected Map<String, Object> buildShapesDict() {
    Map<String, Object> m = new LinkedHashMap<>();
    List<String> names = positionalInputNames();
    if (names != null && buildShapes.size() > 1) {
      for (int i = 0; i < buildShapes.size(); i++) {
        m.put(names.get(i), buildShapes.get(i));
      }
    } else {
      m.put("inputs", buildShapes.size() == 1 ? buildShapes.get(0) : buildShapes);
    }
    m.putAll(buildArgumentShapes);
    return m;
  }

  static List<Object> withBatch(int[] shape) {
    List<Object> l = new ArrayList<>();
    l.add(null);
    l.addAll(Config.shapeList(shape));
    return l;
  }

  // ---- helpers ---------------------------------------------------------------------------

  /** "(None, 28, 28, 1)" */
  public static String shapeString(int[] shape) {
    StringBuilder b = new StringBuilder("(None");
    for (int d : shape) {
      b.append(", ").append(d < 0 ? "None" : Integer.toString(d));
    }
    return b.append(')').toString();
  }

  static String shapesString(List<int[]> shapes) {
    if (shapes.size() == 1) {
      return shapeString(shapes.get(0));
    }
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < shapes.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(shapeString(shapes.get(i)));
    }
    return b.append(']').toString();
  }

  /** Checks an input rank, with a message naming the layer and the expected form. */
  protected void requireRank(int[] inputShape, int rank, String form) {
    if (inputShape.length != rank) {
      throw new IllegalArgumentException("layer '" + getName() + "' (" + getClass().getSimpleName()
          + ") expects input of shape " + form + ", found " + shapeString(inputShape));
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(" + getName() + ")";
  }
}
