package io.sparkeras.api.layers.attention;

import static io.sparkeras.api.backend.Backends.ops;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.initializers.GlorotUniform;
import io.sparkeras.api.initializers.Initializer;
import io.sparkeras.api.initializers.Zeros;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.layers.core.Unsupported;
import io.sparkeras.api.saving.keras.KerasWeightLayout;
import java.util.List;
import java.util.Map;

/**
 * Multi-head scaled dot-product attention (Vaswani et al. 2017) with Keras 3's weights and math.
 * Inputs: {@code [query, value]} or {@code [query, value, key]} (key defaults to value), each
 * {@code (batch, steps, features)}; the output is {@code (batch, query_steps, out)} with
 * {@code out} the query's features unless {@code outputShape} is set.
 *
 * <p>Weights, in Keras's order (the nested layers {@code query}, {@code key}, {@code value},
 * {@code attention_output}, each kernel then bias): query and key kernels
 * {@code [features, num_heads, key_dim]} with biases {@code [num_heads, key_dim]}, the value kernel
 * {@code [features, num_heads, value_dim]} with bias {@code [num_heads, value_dim]}, the output
 * kernel {@code [num_heads, value_dim, out]} with bias {@code [out]}. Per head:
 * {@code softmax(q k^T / sqrt(key_dim)) v}, then the heads are projected together to {@code out}.
 * Dropout (on the attention probabilities) applies in training only.
 *
 * <p>Not supported yet: attention masks and causal masks, returning the attention scores,
 * {@code attention_axes} other than the steps axis, inputs of rank other than 3, and a
 * multi-dimensional {@code output_shape}.
 *
 * <pre>{@code Tensor y = new MultiHeadAttention(4, 16).apply(query, value); }</pre>
 */
public class MultiHeadAttention extends Layer implements KerasWeightLayout {
  private final int numHeads;
  private final int keyDim;
  private int valueDim;
  private double dropout;
  private boolean useBias = true;
  private int outputShape = -1;
  private boolean attentionAxesGiven;
  private Initializer kernelInitializer = new GlorotUniform();
  private Initializer biasInitializer = new Zeros();
  private Long seed;
  private EinsumProjection queryDense;
  private EinsumProjection keyDense;
  private EinsumProjection valueDense;
  private EinsumProjection outputDense;

  public MultiHeadAttention(int numHeads, int keyDim) {
    if (numHeads <= 0) {
      throw new IllegalArgumentException("MultiHeadAttention num_heads: expected a positive "
          + "integer, found " + numHeads);
    }
    if (keyDim <= 0) {
      throw new IllegalArgumentException("MultiHeadAttention key_dim: expected a positive integer, "
          + "found " + keyDim);
    }
    this.numHeads = numHeads;
    this.keyDim = keyDim;
    this.valueDim = keyDim;
  }

  public static MultiHeadAttention fromConfig(Config c) {
    MultiHeadAttention m = new MultiHeadAttention(c.getInt("num_heads"), c.getInt("key_dim"));
    m.name(c.getString("name", null));
    m.trainable(c.getBoolean("trainable", true));
    if (c.has("value_dim")) {
      m.valueDim(c.getInt("value_dim"));
    }
    m.dropout(c.getDouble("dropout", 0.0));
    m.useBias(c.getBoolean("use_bias", true));
    if (c.has("output_shape")) {
      Object o = c.get("output_shape");
      int[] dims = o instanceof Number ? new int[] {c.getInt("output_shape")}
          : c.getInts("output_shape", -1);
      if (dims.length != 1) {
        throw new IllegalArgumentException(c.getString("name", "MultiHeadAttention")
            + ": config key 'output_shape' expected null or one integer (multi-dimensional output "
            + "shapes are not supported by Sparkeras yet), found " + o);
      }
      m.outputShape(dims[0]);
    }
    if (c.has("attention_axes")) {
      Object o = c.get("attention_axes");
      int[] axes = o instanceof Number ? new int[] {c.getInt("attention_axes")}
          : c.getInts("attention_axes", -1);
      // Keras writes the resolved default, (1,) for rank-3 inputs, once the layer is built
      if (axes.length != 1 || (axes[0] != 1 && axes[0] != -2)) {
        throw new IllegalArgumentException(c.getString("name", "MultiHeadAttention")
            + ": config key 'attention_axes' expected null or [1] (attention over the steps axis; "
            + "other axes are not supported by Sparkeras yet), found " + o);
      }
      m.attentionAxesGiven = true;
    }
    if (c.has("kernel_initializer")) {
      m.kernelInitializer(Initializer.REGISTRY.deserialize(c.get("kernel_initializer")));
    }
    if (c.has("bias_initializer")) {
      m.biasInitializer(Initializer.REGISTRY.deserialize(c.get("bias_initializer")));
    }
    m.seed(c.has("seed") ? (long) c.getInt("seed") : null);
    Unsupported.requireNull(c, "kernel_regularizer", "bias_regularizer", "activity_regularizer",
        "kernel_constraint", "bias_constraint");
    return m;
  }

  // ---- settings --------------------------------------------------------------------------

  /** Size of each head for the value (Keras default: key_dim). */
  public MultiHeadAttention valueDim(int valueDim) {
    if (valueDim <= 0) {
      throw new IllegalArgumentException("layer '" + getName() + "' (MultiHeadAttention) "
          + "value_dim: expected a positive integer, found " + valueDim);
    }
    this.valueDim = valueDim;
    return this;
  }

  /** Dropout rate on the attention probabilities, in training only (default 0). */
  public MultiHeadAttention dropout(double rate) {
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("layer '" + getName() + "' (MultiHeadAttention) dropout: "
          + "expected a value in [0, 1), found " + rate);
    }
    this.dropout = rate;
    return this;
  }

  public MultiHeadAttention useBias(boolean useBias) {
    this.useBias = useBias;
    return this;
  }

  /** Size of the output's last axis (default: the query's features). */
  public MultiHeadAttention outputShape(int size) {
    if (size <= 0) {
      throw new IllegalArgumentException("layer '" + getName() + "' (MultiHeadAttention) "
          + "output_shape: expected a positive integer, found " + size);
    }
    this.outputShape = size;
    return this;
  }

  public MultiHeadAttention kernelInitializer(Initializer init) {
    this.kernelInitializer = init;
    return this;
  }

  public MultiHeadAttention kernelInitializer(String name) {
    return kernelInitializer(Initializer.REGISTRY.deserialize(name));
  }

  public MultiHeadAttention biasInitializer(Initializer init) {
    this.biasInitializer = init;
    return this;
  }

  public MultiHeadAttention biasInitializer(String name) {
    return biasInitializer(Initializer.REGISTRY.deserialize(name));
  }

  /** Seed kept in the config (Keras's dropout seed). */
  public MultiHeadAttention seed(Long seed) {
    this.seed = seed;
    return this;
  }

  public int numHeads() {
    return numHeads;
  }

  public int keyDim() {
    return keyDim;
  }

  public int valueDim() {
    return valueDim;
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

  // ---- the life cycle --------------------------------------------------------------------

  private IllegalArgumentException oneInput(int[] shape) {
    return new IllegalArgumentException("layer '" + getName() + "' (MultiHeadAttention) expects "
        + "inputs [query, value] or [query, value, key], found 1 input"
        + (shape == null ? "" : " of shape " + shapeString(shape))
        + "; for self-attention pass the same tensor twice, apply(x, x)");
  }

  @Override
  public void build(int[] inputShape) {
    throw oneInput(inputShape);
  }

  private void checkShapes(List<int[]> shapes) {
    if (shapes.size() != 2 && shapes.size() != 3) {
      throw new IllegalArgumentException("layer '" + getName() + "' (MultiHeadAttention) expects "
          + "inputs [query, value] or [query, value, key], found " + shapes.size() + " inputs");
    }
    String[] names = {"query", "value", "key"};
    for (int i = 0; i < shapes.size(); i++) {
      int[] s = shapes.get(i);
      if (s.length != 2 || s[1] < 0) {
        throw new IllegalArgumentException("layer '" + getName() + "' (MultiHeadAttention) expects "
            + names[i] + " of shape (None, steps, features) with known features, found "
            + shapeString(s));
      }
    }
    if (shapes.size() == 3) {
      int vs = shapes.get(1)[0];
      int ks = shapes.get(2)[0];
      if (vs >= 0 && ks >= 0 && vs != ks) {
        throw new IllegalArgumentException("layer '" + getName() + "' (MultiHeadAttention) expects "
            + "value and key with the same number of steps, found value "
            + shapeString(shapes.get(1)) + " and key " + shapeString(shapes.get(2)));
      }
    }
  }

  @Override
  public void build(List<int[]> shapes) {
    checkShapes(shapes);
    int[] q = shapes.get(0);
    int[] v = shapes.get(1);
    int[] k = shapes.size() > 2 ? shapes.get(2) : v;
    queryDense = track(new EinsumProjection("query", new int[] {numHeads, keyDim}, 1, useBias,
        kernelInitializer, biasInitializer));
    queryDense.ensureBuilt(List.of(q));
    keyDense = track(new EinsumProjection("key", new int[] {numHeads, keyDim}, 1, useBias,
        kernelInitializer, biasInitializer));
    keyDense.ensureBuilt(List.of(k));
    valueDense = track(new EinsumProjection("value", new int[] {numHeads, valueDim}, 1, useBias,
        kernelInitializer, biasInitializer));
    valueDense.ensureBuilt(List.of(v));
    int out = outputShape > 0 ? outputShape : q[1];
    outputDense = track(new EinsumProjection("attention_output", new int[] {out}, 2, useBias,
        kernelInitializer, biasInitializer));
    outputDense.ensureBuilt(List.of(new int[] {q[0], numHeads, valueDim}));
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    throw oneInput(java.util.Arrays.copyOfRange(x.shape(), 1, x.rank()));
  }

  @Override
  public Tensor call(List<Tensor> inputs, boolean training) {
    List<int[]> shapes = new java.util.ArrayList<>();
    for (Tensor t : inputs) {
      shapes.add(java.util.Arrays.copyOfRange(t.shape(), 1, t.rank()));
    }
    checkShapes(shapes);
    List<int[]> built = buildInputShapes();
    for (int i = 0; i < shapes.size(); i++) {
      int[] b = built.get(Math.min(i, built.size() - 1));
      if (shapes.get(i)[1] != b[1]) {
        throw new IllegalArgumentException("layer '" + getName() + "' (MultiHeadAttention) was "
            + "built for input " + i + " of shape " + shapeString(b) + ", found "
            + shapeString(shapes.get(i)));
      }
    }
    Tensor query = inputs.get(0);
    Tensor value = inputs.get(1);
    Tensor key = inputs.size() > 2 ? inputs.get(2) : value;
    Tensor q = ops().multiply(queryDense.call(query, training), 1.0 / Math.sqrt(keyDim));
    Tensor k = keyDense.call(key, training);
    Tensor v = valueDense.call(value, training);
    // [B, T, H, K] x [B, S, H, K] -> scores [B, H, T, S]
    Tensor scores = ops().matmul(ops().transpose(q, 0, 2, 1, 3), ops().transpose(k, 0, 2, 3, 1));
    Tensor probs = ops().softmax(scores, -1);
    if (training && dropout > 0) {
      probs = ops().dropout(probs, dropout);
    }
    // [B, H, T, S] x [B, H, S, V] -> [B, H, T, V] -> [B, T, H, V]
    Tensor attended = ops().matmul(probs, ops().transpose(v, 0, 2, 1, 3));
    return outputDense.call(ops().transpose(attended, 0, 2, 1, 3), training);
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    throw oneInput(inputShape);
  }

  @Override
  public int[] computeOutputShape(List<int[]> shapes) {
    if (shapes.size() == 1) {
      throw oneInput(shapes.get(0));
    }
    checkShapes(shapes);
    int[] q = shapes.get(0);
    return new int[] {q[0], outputShape > 0 ? outputShape : q[1]};
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("num_heads", numHeads);
    m.put("key_dim", keyDim);
    m.put("value_dim", valueDim);
    m.put("dropout", dropout);
    m.put("use_bias", useBias);
    m.put("output_shape", outputShape > 0 ? List.of(outputShape) : null);
    m.put("attention_axes", attentionAxesGiven ? List.of(1) : null);
    m.put("kernel_initializer", Initializer.REGISTRY.serialize(kernelInitializer));
    m.put("bias_initializer", Initializer.REGISTRY.serialize(biasInitializer));
    m.put("kernel_regularizer", null);
    m.put("bias_regularizer", null);
    m.put("activity_regularizer", null);
    m.put("kernel_constraint", null);
    m.put("bias_constraint", null);
    m.put("seed", seed);
    return m;
  }

  /**
   * Keras's layout: the projections' groups {@code query_dense}, {@code key_dense},
   * {@code value_dense}, {@code output_dense}, and empty {@code _softmax} and
   * {@code _dropout_layer} groups.
   */
  @Override
  public Map<String, List<Variable>> kerasWeightGroups() {
    return KerasWeightLayout.groups("", List.of(), "query_dense", queryDense.weights(),
        "key_dense", keyDense.weights(), "value_dense", valueDense.weights(), "output_dense",
        outputDense.weights(), "_softmax", List.of(), "_dropout_layer", List.of());
  }
}
