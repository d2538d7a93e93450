package io.sparkeras.api.layers.core;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.CallArgs;
import io.sparkeras.api.layers.LayerConfigs;
import io.sparkeras.api.layers.SameShapeLayer;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code Masking}: a step (an entry of the second-to-last axis) whose features all equal
 * {@code mask_value} (default 0) is masked: its output is zeros and the output's mask (1 = kept)
 * tells the layers downstream (RNNs, pooling, attention) to skip it.
 *
 * <pre>{@code
 * KerasTensor x = new Masking(-1.0).apply(Input.of(50, 8));   // padded steps hold -1
 * }</pre>
 */
public class Masking extends SameShapeLayer {
  private final double maskValue;

  public Masking() {
    this(0.0);
  }

  public Masking(double maskValue) {
    this.maskValue = maskValue;
  }

  public static Masking fromConfig(Config c) {
    return LayerConfigs.base(new Masking(c.getDouble("mask_value", 0.0)), c);
  }

  public double maskValue() {
    return maskValue;
  }

  /** 1 where any feature differs from mask_value, keeping the last axis (size 1). */
  private Tensor kept(Tensor x) {
    Tensor differs = ops().add(ops().negative(ops().equal(x, ops().scalar(maskValue))), 1);
    return ops().max(differs, -1, true);
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    return ops().multiply(x, kept(x));
  }

  /** Keras's {@code compute_mask}: {@code any(x != mask_value, axis=-1)}. */
  @Override
  public List<Tensor> computeMask(CallArgs args, List<Tensor> outputs) {
    return List.of(ops().squeeze(kept(args.input(0)), -1));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("mask_value", maskValue);
    return m;
  }
}
