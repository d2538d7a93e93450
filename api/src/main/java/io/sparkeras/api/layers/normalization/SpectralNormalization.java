package io.sparkeras.api.layers.normalization;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.initializers.TruncatedNormal;
import io.sparkeras.api.layers.KerasWeightLayout;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerConfigs;
import io.sparkeras.api.layers.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code SpectralNormalization} wrapper: keeps the spectral norm of the wrapped layer's
 * {@code kernel} (or {@code embeddings}) at 1. In training, each call runs
 * {@code power_iterations} steps of the power method on the kernel reshaped to
 * {@code [-1, last axis]} (the estimate {@code vector_u} is a non-trainable weight), divides the
 * kernel by the estimated largest singular value in place, then calls the layer; at inference it
 * just calls the layer. Weights in Keras's order: the kernel (Keras tracks it as the wrapper's
 * own), {@code vector_u}, then the layer's other weights.
 *
 * <pre>{@code new SpectralNormalization(new Dense(64)).powerIterations(2); }</pre>
 */
public class SpectralNormalization extends Layer implements KerasWeightLayout {
  private final Layer layer;
  private int powerIterations = 1;
  private Variable kernel;
  private Variable vectorU;

  public SpectralNormalization(Layer layer) {
    if (layer == null) {
      throw new IllegalArgumentException("SpectralNormalization: expected a layer to wrap");
    }
    this.layer = track(layer);
  }

  public static SpectralNormalization fromConfig(Config c) {
    if (!(c.get("layer") instanceof Map)) {
      throw new IllegalArgumentException(c.getString("name", "SpectralNormalization")
          + ": config key 'layer' expected the wrapped layer's serialised config, found "
          + c.get("layer"));
    }
    SpectralNormalization s = new SpectralNormalization(Layer.REGISTRY.deserialize(
        c.get("layer")));
    return LayerConfigs.base(s, c).powerIterations(c.getInt("power_iterations", 1));
  }

  /** Power-method steps per training call, {@code >= 1}; default 1. */
  public SpectralNormalization powerIterations(int powerIterations) {
    if (powerIterations <= 0) {
      throw new IllegalArgumentException("SpectralNormalization power_iterations: expected a "
          + "positive integer, found " + powerIterations);
    }
    this.powerIterations = powerIterations;
    return this;
  }

  public Layer layer() {
    return layer;
  }

  public Variable vectorU() {
    return vectorU;
  }

  @Override
  public void build(int[] inputShape) {
    layer.ensureBuilt(List.of(inputShape));
    for (Variable v : layer.weights()) {
      if (v.name().equals("kernel") || v.name().equals("embeddings")) {
        kernel = v;
        break;
      }
    }
    if (kernel == null) {
      throw new IllegalArgumentException("layer '" + getName() + "' (SpectralNormalization): the "
          + "wrapped " + layer.getClass().getSimpleName() + " has no weight named 'kernel' or "
          + "'embeddings'");
    }
    int[] ks = kernel.shape();
    vectorU = addWeight("vector_u", new int[] {1, ks[ks.length - 1]},
        new TruncatedNormal(0, 0.02, null), false);
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    if (training) {
      normalizeKernel();
    }
    return layer.apply(x, training);
  }

  /** One training call's update: vector_u by the power method, kernel divided by sigma. */
  private void normalizeKernel() {
    Tensor k = ops().stopGradient(kernel.value());
    int[] ks = kernel.shape();
    Tensor w = ops().reshape(k, -1, ks[ks.length - 1]);
    Tensor allZero = ops().sum(ops().abs(w));
    if (allZero.item() == 0f) {
      return; // Keras leaves an all-zero kernel (and vector_u) unchanged
    }
    Tensor wt = ops().transpose(w, 1, 0);
    int[] all = {0, 1};
    Tensor u = vectorU.value();
    Tensor v = null;
    for (int i = 0; i < powerIterations; i++) {
      v = ops().normalize(ops().matmul(u, wt), all, 1e-7);
      u = ops().normalize(ops().matmul(v, w), all, 1e-7);
    }
    Tensor sigma = ops().matmul(ops().matmul(v, w), ops().transpose(u, 1, 0));
    ops().assign(vectorU.value(), u);
    int[] ones = new int[ks.length];
    java.util.Arrays.fill(ones, 1);
    ops().assign(kernel.value(), ops().divide(k, ops().reshape(sigma, ones)));
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    return layer.computeOutputShape(inputShape);
  }

  /** Keras's order: the kernel, vector_u, then the wrapped layer's other weights. */
  @Override
  public List<Variable> weights() {
    if (kernel == null) {
      return super.weights();
    }
    List<Variable> out = new ArrayList<>();
    out.add(kernel);
    out.add(vectorU);
    for (Variable v : layer.weights()) {
      if (v != kernel) {
        out.add(v);
      }
    }
    return out;
  }

  /**
   * Keras's layout: the kernel (tracked by the wrapper too) and {@code vector_u} in its own
   * group, the wrapped layer's weights, kernel included, under {@code layer}.
   */
  @Override
  public List<Variable> kerasOwnVariables() {
    return kernel == null ? List.of() : List.of(kernel, vectorU);
  }

  @Override
  public Map<String, Object> kerasChildren() {
    return Map.of("layer", layer);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("layer", Layer.REGISTRY.serialize(layer));
    m.put("power_iterations", powerIterations);
    return m;
  }
}
