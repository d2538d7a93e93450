package io.sparkeras.api.layers.attention;

import io.sparkeras.api.config.Config;
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
 * <p>Call arguments, as in Keras: {@code attention_mask} ({@code (batch, T, S)}, true where a
 * query step may attend to a key step), {@code use_causal_mask} (each step attends to itself and
 * earlier steps) and {@code return_attention_scores} (a second output, the probabilities
 * {@code (batch, num_heads, T, S)}). The masks of the query, value and key (from
 * {@code Embedding(mask_zero=True)} or {@code Masking}) are combined with them, and the output
 * carries the query's mask; see {@link HeadAttention} for a step with nothing to attend to.
 *
 * <p>Not supported yet: {@code attention_axes} other than the steps axis, inputs of rank other
 * than 3, and a multi-dimensional {@code output_shape}.
 *
 * <pre>{@code
 * Tensor y = new MultiHeadAttention(4, 16).apply(query, value);
 * List<KerasTensor> out = new MultiHeadAttention(2, 8).applyAll(List.of(x, x),
 *     Map.of("use_causal_mask", true, "return_attention_scores", true));
 * }</pre>
 */
public class MultiHeadAttention extends HeadAttention<MultiHeadAttention> {
  private final int numHeads;
  private final int keyDim;
  private int valueDim;
  private int outputShape = -1;
  private boolean attentionAxesGiven;

  public MultiHeadAttention(int numHeads, int keyDim) {
    this.numHeads = positive("MultiHeadAttention", "num_heads", numHeads);
    this.keyDim = positive("MultiHeadAttention", "key_dim", keyDim);
    this.valueDim = keyDim;
  }

  public static MultiHeadAttention fromConfig(Config c) {
    MultiHeadAttention m = new MultiHeadAttention(c.getInt("num_heads"), c.getInt("key_dim"))
        .readCommonConfig(c);
    if (c.has("value_dim")) {
      m.valueDim(c.getInt("value_dim"));
    }
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
    return m;
  }

  /** Size of each head for the value (Keras default: key_dim). */
  public MultiHeadAttention valueDim(int valueDim) {
    this.valueDim = positive("layer '" + getName() + "' (MultiHeadAttention)", "value_dim",
        valueDim);
    return this;
  }

  /** Size of the output's last axis (default: the query's features). */
  public MultiHeadAttention outputShape(int size) {
    this.outputShape = positive("layer '" + getName() + "' (MultiHeadAttention)",
        "output_shape", size);
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

  @Override
  protected int queryHeads() {
    return numHeads;
  }

  @Override
  protected int keyValueHeads() {
    return numHeads;
  }

  @Override
  protected int keyHeadSize() {
    return keyDim;
  }

  @Override
  protected int valueHeadSize() {
    return valueDim;
  }

  @Override
  protected int outputSize(int queryFeatures) {
    return outputShape > 0 ? outputShape : queryFeatures;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("num_heads", numHeads);
    m.put("key_dim", keyDim);
    m.put("value_dim", valueDim);
    m.put("dropout", dropoutRate());
    m.put("use_bias", isUseBias());
    m.put("output_shape", outputShape > 0 ? List.of(outputShape) : null);
    m.put("attention_axes", attentionAxesGiven ? List.of(1) : null);
    putCommonConfig(m);
    return m;
  }
}
