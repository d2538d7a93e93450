package io.sparkeras.api.layers;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.config.Configurable;
import io.sparkeras.api.config.Registry;
import io.sparkeras.api.initializers.Initializer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

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
 */
public abstract class Layer implements Configurable {
  /** Layers and models by Keras name: how configs name them ({@code Layer.REGISTRY.deserialize(config)}). */
  public static final Registry<Layer> REGISTRY =
      new Registry<>("layer", "keras.layers", "Layer.REGISTRY");

  private static final Map<String, AtomicInteger> NAME_COUNTERS = new ConcurrentHashMap<>();
  private static final ThreadLocal<Boolean> TRAINING = ThreadLocal.withInitial(() -> false);
  private static final ThreadLocal<List<Layer>> CALLED = new ThreadLocal<>();

  private String name;
  private boolean trainable = true;
  private boolean built;
  private final List<Variable> ownWeights = new ArrayList<>();
  private final List<Layer> sublayers = new ArrayList<>();
  final List<Node> inboundNodes = new ArrayList<>();
  private List<int[]> buildShapes;

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
      String base = snakeCase(getClass().getSimpleName());
      int n = NAME_COUNTERS.computeIfAbsent(base, k -> new AtomicInteger()).getAndIncrement();
      name = n == 0 ? base : base + "_" + n;
    }
    return name;
  }

  /** Sets the name (Keras's {@code name=}); must be called before the layer is built. */
  public Layer name(String name) {
    if (built) {
      throw new IllegalStateException("layer '" + getName() + "' is built: set its name before use");
    }
    this.name = name;
    return this;
  }

  /** Renames a built layer; only models may, their variables live in their layers. */
  protected final void renameBuilt(String newName) {
    if (!(this instanceof io.sparkeras.api.models.Model)) {
      throw new IllegalStateException("only models can be renamed once built");
    }
    this.name = newName;
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

  static String snakeCase(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isUpperCase(c)) {
        boolean prevLower = i > 0 && Character.isLowerCase(s.charAt(i - 1));
        boolean nextLower = i + 1 < s.length() && Character.isLowerCase(s.charAt(i + 1));
        // Keras's to_snake_case: "_" before an upper-case letter that follows a lower-case one
        // or starts a capitalised word ("Conv2D" -> "conv2d", "Conv2DTranspose" -> "conv2d_transpose")
        if (i > 0 && (prevLower || nextLower)) {
          b.append('_');
        }
        b.append(Character.toLowerCase(c));
      } else {
        b.append(c);
      }
    }
    return b.toString().toLowerCase(Locale.ROOT);
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
    try (Scope s = Backends.current().scope(false)) {
      List<Tensor> zeros = new ArrayList<>();
      for (int[] shape : inputShapes) {
        int[] full = new int[shape.length + 1];
        full[0] = 1;
        for (int i = 0; i < shape.length; i++) {
          full[i + 1] = shape[i] < 0 ? 1 : shape[i];
        }
        zeros.add(Backends.ops().zeros(full));
      }
      ensureBuilt(inputShapes);
      int[] out = call(zeros, false).shape();
      return Arrays.copyOfRange(out, 1, out.length);
    }
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
    if (!built) {
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

  // ---- calling ---------------------------------------------------------------------------

  /** Whether the current call runs in training mode (set by fit; read by Dropout, BatchNorm). */
  public static boolean isTraining() {
    return TRAINING.get();
  }

  /** Runs {@code body} with the training flag set, restoring it afterwards. */
  public static <T> T withTraining(boolean training, java.util.function.Supplier<T> body) {
    boolean previous = TRAINING.get();
    TRAINING.set(training);
    try {
      return body.get();
    } finally {
      TRAINING.set(previous);
    }
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
    List<Layer> called = CALLED.get();
    if (called != null) {
      called.add(this);
    }
    List<int[]> shapes = new ArrayList<>(inputs.size());
    for (Tensor t : inputs) {
      int[] s = t.shape();
      shapes.add(Arrays.copyOfRange(s, 1, s.length));
    }
    ensureBuilt(shapes);
    boolean previous = TRAINING.get();
    TRAINING.set(training);
    try {
      return inputs.size() == 1 ? call(inputs.get(0), training) : call(inputs, training);
    } finally {
      TRAINING.set(previous);
    }
  }

  /**
   * Runs {@code body} and returns the layers eagerly called during it, in call order (how a
   * subclassed model discovers its layers, like Keras's attribute tracking).
   */
  public static List<Layer> recordCalls(Runnable body) {
    List<Layer> previous = CALLED.get();
    List<Layer> called = new ArrayList<>();
    CALLED.set(called);
    try {
      body.run();
    } finally {
      CALLED.set(previous);
    }
    return called;
  }

  /** Symbolic call of the functional API: records a node and returns its output. */
  public final KerasTensor apply(KerasTensor... inputs) {
    return apply(Arrays.asList(inputs));
  }

  /** Symbolic call on a list of inputs. */
  public KerasTensor apply(List<KerasTensor> inputs) {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("layer '" + getName() + "' called on no inputs");
    }
    List<int[]> shapes = new ArrayList<>(inputs.size());
    for (KerasTensor t : inputs) {
      shapes.add(t.shape());
    }
    int[] out;
    try {
      ensureBuilt(shapes);
      out = computeOutputShape(shapes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("layer '" + getName() + "' (" + getClass().getSimpleName()
          + ") cannot take input shape " + shapesString(shapes) + ": " + e.getMessage(), e);
    }
    KerasTensor output = new KerasTensor(out, this, inboundNodes.size(), 0);
    inboundNodes.add(new Node(this, inputs, output));
    return output;
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

  /** Keras's build_config ({@code {"input_shape": [null, ...]}}), or null if unbuilt. */
  public Map<String, Object> getBuildConfig() {
    if (buildShapes == null) {
      return null;
    }
    Map<String, Object> m = Config.newMap();
    if (buildShapes.size() == 1) {
      m.put("input_shape", withBatch(buildShapes.get(0)));
    } else {
      List<Object> l = new ArrayList<>();
      for (int[] s : buildShapes) {
        l.add(withBatch(s));
      }
      m.put("input_shape", l);
    }
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
