package io.sparkeras.api.layers.attention;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.initializers.GlorotUniform;
import io.sparkeras.api.layers.Variable;
import java.util.Map;

/**
 * Additive attention (Bahdanau-style), as Keras's {@code AdditiveAttention}: like
 * {@link Attention} with scores {@code sum(scale * tanh(q + k), -1)}, {@code scale} a learned
 * {@code [dim]} vector (with {@code use_scale}, the default) initialised Glorot-uniform.
 * Masks, causal masking, returned scores and dropout work as in {@link Attention}.
 *
 * <pre>{@code KerasTensor context = new AdditiveAttention().apply(List.of(query, value)); }</pre>
 */
public class AdditiveAttention extends Attention {
  private Variable scale;

  public AdditiveAttention() {
    useScale(true);
  }

  public static AdditiveAttention fromConfig(Config c) {
    AdditiveAttention a = new AdditiveAttention();
    a.readConfig(c, true);
    return a;
  }

  /** AdditiveAttention has no score modes (Keras drops the key from its config). */
  @Override
  public Attention scoreMode(String scoreMode) {
    if (!"dot".equals(scoreMode)) {
      throw new IllegalArgumentException("layer '" + getName() + "' (AdditiveAttention) has no "
          + "score_mode; found \"" + scoreMode + "\"");
    }
    return this;
  }

  @Override
  public Variable scale() {
    return scale;
  }

  @Override
  protected void buildScores(int dim) {
    if (isUseScale()) {
      scale = addWeight("scale", new int[] {dim}, new GlorotUniform(), true);
    }
  }

  @Override
  protected Tensor scores(Tensor query, Tensor key) {
    Tensor t = ops().tanh(ops().add(ops().expandDims(query, -2), ops().expandDims(key, -3)));
    return ops().sum(scale == null ? t : ops().multiply(scale.value(), t), new int[] {-1}, false);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = baseConfig();
    m.put("dropout", dropoutRate());
    if (seedValue() != null) {
      m.put("seed", seedValue());
    }
    return m;
  }
}
