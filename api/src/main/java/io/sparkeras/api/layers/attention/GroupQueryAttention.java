package io.sparkeras.api.layers.attention;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import java.util.List;
import java.util.Map;

/**
 * Grouped-query attention (Ainslie et al. 2023), as Keras's {@code GroupQueryAttention} (its
 * Python class is {@code GroupedQueryAttention}, accepted as an alias): {@code num_query_heads}
 * query heads share {@code num_key_value_heads} key/value heads, each key/value head serving
 * {@code num_query_heads / num_key_value_heads} query heads. Inputs {@code [query, value]} or
 * {@code [query, value, key]}, {@code (batch, steps, features)}; query and value have the same
 * features, which is also the output's. Weights, in Keras's order: {@code query} kernel
 * {@code [features, num_query_heads, head_dim]} and bias {@code [num_query_heads, head_dim]},
 * {@code key} and {@code value} kernels {@code [features, num_key_value_heads, head_dim]} with
 * biases, {@code attention_output} kernel {@code [num_query_heads, head_dim, features]} and bias.
 * Call arguments and masks as in {@link MultiHeadAttention}.
 *
 * <pre>{@code Tensor y = new GroupQueryAttention(16, 8, 2).apply(x, x); }</pre>
 */
public class GroupQueryAttention extends HeadAttention<GroupQueryAttention> {
  private final int headDim;
  private final int numQueryHeads;
  private final int numKeyValueHeads;

  public GroupQueryAttention(int headDim, int numQueryHeads, int numKeyValueHeads) {
    this.headDim = positive("GroupQueryAttention", "head_dim", headDim);
    this.numQueryHeads = positive("GroupQueryAttention", "num_query_heads", numQueryHeads);
    this.numKeyValueHeads = positive("GroupQueryAttention", "num_key_value_heads",
        numKeyValueHeads);
    if (numQueryHeads % numKeyValueHeads != 0) {
      throw new IllegalArgumentException("GroupQueryAttention: num_query_heads (" + numQueryHeads
          + ") must be divisible by num_key_value_heads (" + numKeyValueHeads + ")");
    }
  }

  public static GroupQueryAttention fromConfig(Config c) {
    return new GroupQueryAttention(c.getInt("head_dim"), c.getInt("num_query_heads"),
        c.getInt("num_key_value_heads")).readCommonConfig(c);
  }

  public int headDim() {
    return headDim;
  }

  public int numQueryHeads() {
    return numQueryHeads;
  }

  public int numKeyValueHeads() {
    return numKeyValueHeads;
  }

  /** Keras's GroupQueryAttention names its projections {@code _query_dense}, ... */
  @Override
  protected String kerasAttributePrefix() {
    return "_";
  }

  @Override
  protected void checkShapes(List<int[]> shapes) {
    super.checkShapes(shapes);
    if (shapes.get(0)[1] != shapes.get(1)[1]) {
      throw new IllegalArgumentException("layer '" + getName() + "' (GroupQueryAttention) "
          + "expects query and value with the same features, found "
          + shapeString(shapes.get(0)) + " and " + shapeString(shapes.get(1)));
    }
  }

  @Override
  protected int queryHeads() {
    return numQueryHeads;
  }

  @Override
  protected int keyValueHeads() {
    return numKeyValueHeads;
  }

  @Override
  protected int keyHeadSize() {
    return headDim;
  }

  @Override
  protected int valueHeadSize() {
    return headDim;
  }

  @Override
  protected int outputSize(int queryFeatures) {
    return queryFeatures;
  }

  /** Each key/value head repeated for the query heads it serves (Keras's {@code ops.repeat}). */
  @Override
  protected Tensor expandHeads(Tensor projected) {
    return ops().repeat(projected, numQueryHeads / numKeyValueHeads, 2);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("head_dim", headDim);
    m.put("num_query_heads", numQueryHeads);
    m.put("num_key_value_heads", numKeyValueHeads);
    m.put("use_bias", isUseBias());
    m.put("dropout", dropoutRate());
    putCommonConfig(m);
    return m;
  }
}
