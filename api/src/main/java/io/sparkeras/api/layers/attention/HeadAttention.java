package io.sparkeras.api.layers.attention;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.initializers.GlorotUniform;
import io.sparkeras.api.initializers.Initializer;
import io.sparkeras.api.initializers.Zeros;
import io.sparkeras.api.layers.CallArgs;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.KerasWeightLayout;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.Masks;
import io.sparkeras.api.layers.core.Unsupported;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Attention with projected heads, what {@link MultiHeadAttention} and
 * {@link GroupQueryAttention} share: inputs {@code [query, value]} or {@code [query, value,
 * key]} of shape {@code (batch, steps, features)} (key defaults to value), the projections
 * {@code query}, {@code key}, {@code value} and {@code attention_output} (Keras's
 * {@code EinsumDense} weights, in that order), the call arguments {@code attention_mask},
 * {@code use_causal_mask} and {@code return_attention_scores}, the masks, dropout, and the config
 * keys from {@code kernel_initializer} on.
 *
 * <p>Scaled dot-product attention as Keras's {@code _compute_attention}, which takes one of two
 * paths and so does this class: without dropout and without returning the scores it calls
 * {@code ops.dot_product_attention} (masked logits replaced by a huge negative number, so a query
 * step with nothing to attend to averages every value); otherwise its {@code Softmax} layer
 * (masked logits lowered by 1e9 and the probabilities multiplied by the mask, so such a step
 * gives zeros).
 *
 * <pre>{@code
 * Tensor y = new MultiHeadAttention(4, 16).apply(query, value);
 * }</pre>
 *
 * @param <T> the concrete layer, returned by the fluent setters
 */
public abstract class HeadAttention<T extends HeadAttention<T>> extends Layer
    implements KerasWeightLayout {
  /** What NumPy/JAX's dot_product_attention puts at masked logits: -0.7 * float32 max. */
  private static final double DOT_PRODUCT_MASK_VALUE = -0.7 * 3.38953e38;
  private static final String[] INPUT_NAMES = {"query", "value", "key"};

  private double dropout;
  private boolean useBias = true;
  private Initializer kernelInitializer = new GlorotUniform();
  private Initializer biasInitializer = new Zeros();
  private Long seed;
  private EinsumProjection queryDense;
  private EinsumProjection keyDense;
  private EinsumProjection valueDense;
  private EinsumProjection outputDense;

  protected HeadAttention() {
    setSupportsMasking(true);
  }

  @SuppressWarnings("unchecked")
  protected final T self() {
    return (T) this;
  }

  protected final String kind() {
    return getClass().getSimpleName();
  }

  /** Checks a size argument, naming it. */
  protected static int positive(String owner, String key, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(owner + " " + key + ": expected a positive integer, "
          + "found " + value);
    }
    return value;
  }

  /** Reads the config keys both layers share. */
  protected T readCommonConfig(Config c) {
    name(c.getString("name", null));
    trainable(c.getBoolean("trainable", true));
    dropout(c.getDouble("dropout", 0.0));
    useBias(c.getBoolean("use_bias", true));
    if (c.has("kernel_initializer")) {
      kernelInitializer(Initializer.REGISTRY.deserialize(c.get("kernel_initializer")));
    }
    if (c.has("bias_initializer")) {
      biasInitializer(Initializer.REGISTRY.deserialize(c.get("bias_initializer")));
    }
    seed(c.has("seed") ? (long) c.getInt("seed") : null);
    Unsupported.requireNull(c, "kernel_regularizer", "bias_regularizer", "activity_regularizer",
        "kernel_constraint", "bias_constraint");
    return self();
  }

  // ---- settings --------------------------------------------------------------------------

  /** Dropout rate on the attention probabilities, in training only (default 0). */
  public T dropout(double rate) {
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("layer '" + getName() + "' (" + kind() + ") dropout: "
          + "expected a value in [0, 1), found " + rate);
    }
    this.dropout = rate;
    return self();
  }

  public T useBias(boolean useBias) {
    this.useBias = useBias;
    return self();
  }

  public T kernelInitializer(Initializer init) {
    this.kernelInitializer = init;
    return self();
  }

  public T kernelInitializer(String name) {
    return kernelInitializer(Initializer.REGISTRY.deserialize(name));
  }

  public T biasInitializer(Initializer init) {
    this.biasInitializer = init;
    return self();
  }

  public T biasInitializer(String name) {
    return biasInitializer(Initializer.REGISTRY.deserialize(name));
  }

  /** Seed kept in the config (Keras's dropout seed). */
  public T seed(Long seed) {
    this.seed = seed;
    return self();
  }

  public double dropoutRate() {
    return dropout;
  }

  public boolean isUseBias() {
    return useBias;
  }

  /** The nested query projection (null until built). */
  public Layer queryDense() {
    return queryDense;
  }

  public Layer keyDense() {
    return keyDense;
  }

  public Layer valueDense() {
    return valueDense;
  }

  public Layer outputDense() {
    return outputDense;
  }

  // ---- calling ---------------------------------------------------------------------------

  /** Eager attention of {@code query} over {@code value} (also used as the key). */
  public Tensor apply(Tensor query, Tensor value) {
    return apply(List.of(query, value), isTraining());
  }

  /** Eager attention with a separate key. */
  public Tensor apply(Tensor query, Tensor value, Tensor key) {
    return apply(List.of(query, value, key), isTraining());
  }

  /** Symbolic call (functional API). */
  public KerasTensor apply(KerasTensor query, KerasTensor value) {
    return apply(List.of(query, value));
  }

  /** Symbolic call with a separate key. */
  public KerasTensor apply(KerasTensor query, KerasTensor value, KerasTensor key) {
    return apply(List.of(query, value, key));
  }

  /**
   * Keras's layout: the projections' groups ({@code query_dense}, {@code key_dense},
   * {@code value_dense}, {@code output_dense}, prefixed by {@link #kerasAttributePrefix()}) and
   * the empty groups of its softmax and dropout layers, in Keras's (sorted) order.
   */
  @Override
  public Map<String, Object> kerasChildren() {
    String p = kerasAttributePrefix();
    Map<String, Object> m = new TreeMap<>();
    m.put("_dropout_layer", null);
    m.put("_softmax", null);
    m.put(p + "query_dense", queryDense);
    m.put(p + "key_dense", keyDense);
    m.put(p + "value_dense", valueDense);
    m.put(p + "output_dense", outputDense);
    return m;
  }

  /** What Keras's attribute names of the projections start with: "" ({@code query_dense}). */
  protected String kerasAttributePrefix() {
    return "";
  }

  /** Query, value and key are separate arguments of Keras's {@code call}. */
  @Override
  public List<String> positionalInputNames() {
    return List.of(INPUT_NAMES);
  }

  // ---- the life cycle --------------------------------------------------------------------

  /** Heads of the query projection. */
  protected abstract int queryHeads();

  /** Heads of the key and value projections. */
  protected abstract int keyValueHeads();

  /** Size of each query and key head. */
  protected abstract int keyHeadSize();

  /** Size of each value head. */
  protected abstract int valueHeadSize();

  /** Size of the output's last axis for a query of this many features. */
  protected abstract int outputSize(int queryFeatures);

  private IllegalArgumentException oneInput(int[] shape) {
    return new IllegalArgumentException("layer '" + getName() + "' (" + kind() + ") expects "
        + "inputs [query, value] or [query, value, key], found 1 input"
        + (shape == null ? "" : " of shape " + shapeString(shape))
        + "; for self-attention pass the same tensor twice, apply(x, x)");
  }

  /** Checks the inputs' count and shapes; subclasses may check more. */
  protected void checkShapes(List<int[]> shapes) {
    if (shapes.size() == 1) {
      throw oneInput(shapes.get(0));
    }
    if (shapes.size() != 3 && shapes.size() != 2) {
      throw new IllegalArgumentException("layer '" + getName() + "' (" + kind() + ") expects "
          + "inputs [query, value] or [query, value, key], found " + shapes.size() + " inputs");
    }
    for (int i = 0; i < shapes.size(); i++) {
      int[] s = shapes.get(i);
      if (s.length != 2 || s[1] < 0) {
        throw new IllegalArgumentException("layer '" + getName() + "' (" + kind() + ") expects "
            + INPUT_NAMES[i] + " of shape (None, steps, features) with known features, found "
            + shapeString(s));
      }
    }
    if (shapes.size() == 3) {
      int vs = shapes.get(1)[0];
      int ks = shapes.get(2)[0];
      if (vs >= 0 && ks >= 0 && vs != ks) {
        throw new IllegalArgumentException("layer '" + getName() + "' (" + kind() + ") expects "
            + "value and key with the same number of steps, found value "
            + shapeString(shapes.get(1)) + " and key " + shapeString(shapes.get(2)));
      }
    }
  }

  @Override
  public void build(int[] inputShape) {
    throw oneInput(inputShape);
  }

  @Override
  public void build(List<int[]> shapes) {
    checkShapes(shapes);
    int[] q = shapes.get(0);
    int[] v = shapes.get(1);
    queryDense = projection("query", q, new int[] {queryHeads(), keyHeadSize()}, 1);
    keyDense = projection("key", shapes.size() > 2 ? shapes.get(2) : v,
        new int[] {keyValueHeads(), keyHeadSize()}, 1);
    valueDense = projection("value", v, new int[] {keyValueHeads(), valueHeadSize()}, 1);
    outputDense = projection("attention_output", new int[] {q[0], queryHeads(),
        valueHeadSize()}, new int[] {outputSize(q[1])}, 2);
  }

  private EinsumProjection projection(String name, int[] inputShape, int[] outDims,
      int contracted) {
    EinsumProjection p = track(new EinsumProjection(name, outDims, contracted, useBias,
        kernelInitializer, biasInitializer));
    p.ensureBuilt(List.of(inputShape));
    return p;
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    throw oneInput(Arrays.copyOfRange(x.shape(), 1, x.rank()));
  }

  @Override
  public Tensor call(List<Tensor> inputs, boolean training) {
    return call(CallArgs.of(inputs).training(training)).get(0);
  }

  /** Key or value heads as the query heads use them (GroupQueryAttention repeats them). */
  protected Tensor expandHeads(Tensor projected) {
    return projected;
  }

  @Override
  public List<Tensor> call(CallArgs args) {
    List<Tensor> inputs = args.inputs();
    List<int[]> shapes = new ArrayList<>();
    for (Tensor t : inputs) {
      shapes.add(Arrays.copyOfRange(t.shape(), 1, t.rank()));
    }
    checkShapes(shapes);
    List<int[]> built = buildInputShapes();
    for (int i = 0; i < shapes.size(); i++) {
      int[] b = built.get(Math.min(i, built.size() - 1));
      if (shapes.get(i)[1] != b[1]) {
        throw new IllegalArgumentException("layer '" + getName() + "' (" + kind() + ") was "
            + "built for input " + i + " of shape " + shapeString(b) + ", found "
            + shapeString(shapes.get(i)));
      }
    }
    Tensor query = inputs.get(0);
    Tensor value = inputs.get(1);
    Tensor key = inputs.size() > 2 ? inputs.get(2) : value;
    boolean scores = args.flag("return_attention_scores", false);
    boolean training = args.training();
    Tensor mask = combinedMask(args, query.dim(1), value.dim(1));
    List<Tensor> r = attend(queryDense.call(query, training),
        expandHeads(keyDense.call(key, training)), expandHeads(valueDense.call(value, training)),
        1.0 / Math.sqrt(keyHeadSize()), mask, dropout > 0 || scores, dropout, training);
    Tensor out = outputDense.call(r.get(0), training);
    return scores ? List.of(out, r.get(1)) : List.of(out);
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    throw oneInput(inputShape);
  }

  @Override
  public int[] computeOutputShape(List<int[]> shapes) {
    checkShapes(shapes);
    return new int[] {shapes.get(0)[0], outputSize(shapes.get(0)[1])};
  }

  @Override
  public List<int[]> computeOutputShapes(List<int[]> shapes, Map<String, Object> args) {
    int[] out = computeOutputShape(shapes);
    if (!Boolean.TRUE.equals(args.get("return_attention_scores"))) {
      return List.of(out);
    }
    return List.of(out, new int[] {queryHeads(), shapes.get(0)[0], shapes.get(1)[0]});
  }

  /** The output carries the query's mask (Keras sets it in {@code call}); the scores none. */
  @Override
  public List<Tensor> computeMask(CallArgs args, List<Tensor> outputs) {
    List<Tensor> out = new ArrayList<>(Collections.nCopies(outputs.size(), (Tensor) null));
    out.set(0, args.mask(0));
    return out;
  }

  /** The config keys from {@code kernel_initializer} on, in Keras's order. */
  protected void putCommonConfig(Map<String, Object> m) {
    m.put("kernel_initializer", Initializer.REGISTRY.serialize(kernelInitializer));
    m.put("bias_initializer", Initializer.REGISTRY.serialize(biasInitializer));
    m.put("kernel_regularizer", null);
    m.put("bias_regularizer", null);
    m.put("activity_regularizer", null);
    m.put("kernel_constraint", null);
    m.put("bias_constraint", null);
    m.put("seed", seed);
  }

  // ---- the math ------------------------------------------------------------------------------

  /**
   * Keras's combined attention mask {@code (batch or 1, T, S)} as 0/1 floats, or null: the
   * {@code attention_mask} argument AND the query mask {@code (B, T, 1)}, value and key masks
   * {@code (B, 1, S)} and, with {@code use_causal_mask}, the lower triangle {@code (1, T, S)}.
   * Masks come from the call's input masks (query, value, key) or its {@code *_mask} arguments.
   */
  static Tensor combinedMask(CallArgs args, int queryLength, int valueLength) {
    Tensor auto = null;
    Tensor q = maskOf(args, 0, "query_mask");
    if (q != null) {
      auto = ops().expandDims(Masks.asFloat(q), -1);
    }
    for (int i = 1; i <= 2; i++) {
      Tensor m = maskOf(args, i, i == 1 ? "value_mask" : "key_mask");
      if (m != null) {
        auto = Masks.and(auto, ops().expandDims(Masks.asFloat(m), -2));
      }
    }
    if (args.flag("use_causal_mask", false)) {
      auto = Masks.and(auto, ops().tril(ops().ones(1, queryLength, valueLength), 0));
    }
    Tensor given = args.tensor("attention_mask");
    return given == null ? auto : Masks.and(given, auto);
  }

  private static Tensor maskOf(CallArgs args, int input, String arg) {
    Tensor m = args.mask(input);
    return m != null ? m : args.tensor(arg);
  }

  /**
   * Attention of projected {@code query [B, T, H, K]} over {@code key [B, S, H, K]} and
   * {@code value [B, S, H, V]}: returns the attended values {@code [B, T, H, V]} and the
   * probabilities {@code [B, H, T, S]} (before dropout).
   *
   * @param mask {@code (B or 1, T, S)} 0/1, or null
   * @param softmaxPath Keras's Softmax-layer path (dropout or returned scores) rather than
   *     {@code dot_product_attention}
   */
  static List<Tensor> attend(Tensor query, Tensor key, Tensor value, double scale, Tensor mask,
      boolean softmaxPath, double dropout, boolean training) {
    Tensor k = ops().transpose(key, 0, 2, 3, 1);
    Tensor q = ops().transpose(query, 0, 2, 1, 3);
    Tensor m = mask == null ? null : ops().expandDims(mask, 1);
    Tensor probs;
    if (softmaxPath) {
      Tensor scores = ops().matmul(ops().multiply(q, scale), k);
      if (m != null) {
        scores = ops().add(scores, ops().multiply(ops().add(ops().negative(m), 1.0), -1e9));
      }
      probs = ops().softmax(scores, -1);
      if (m != null) {
        probs = ops().multiply(probs, m);
      }
    } else {
      Tensor scores = ops().multiply(ops().matmul(q, k), scale);
      if (m != null) {
        scores = ops().where(m, scores, ops().scalar(DOT_PRODUCT_MASK_VALUE));
      }
      probs = ops().softmax(scores, -1);
    }
    Tensor used = training && dropout > 0 ? ops().dropout(probs, dropout) : probs;
    Tensor attended = ops().matmul(used, ops().transpose(value, 0, 2, 1, 3));
    return List.of(ops().transpose(attended, 0, 2, 1, 3), probs);
  }
}
