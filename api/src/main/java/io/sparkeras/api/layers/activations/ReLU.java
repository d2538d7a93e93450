package io.sparkeras.api.layers.activations;

import io.sparkeras.api.activations.Activations;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.LayerConfigs;
import io.sparkeras.api.layers.SameShapeLayer;
import java.util.Map;

/**
 * Keras's {@code ReLU} layer: {@code x} above {@code threshold} (capped at {@code max_value} when
 * set), {@code negative_slope * (x - threshold)} at or below it. All three are {@code >= 0}.
 *
 * <pre>{@code
 * new ReLU();                              // max(x, 0)
 * new ReLU().maxValue(6.0);                // relu6
 * new ReLU().negativeSlope(0.1).threshold(0.5);
 * }</pre>
 */
public class ReLU extends SameShapeLayer {
  private Double maxValue;
  private double negativeSlope;
  private double threshold;

  public ReLU() {}

  public static ReLU fromConfig(Config c) {
    ReLU r = LayerConfigs.base(new ReLU(), c);
    if (c.has("max_value")) {
      r.maxValue(c.getDouble("max_value"));
    }
    return r.negativeSlope(c.getDouble("negative_slope", 0.0))
        .threshold(c.getDouble("threshold", 0.0));
  }

  /** The cap (null: none); must be {@code >= 0}. */
  public ReLU maxValue(Double maxValue) {
    if (maxValue != null && !(maxValue >= 0)) {
      throw new IllegalArgumentException("ReLU max_value: expected a value >= 0 or none, found "
          + maxValue);
    }
    this.maxValue = maxValue;
    return this;
  }

  /** The slope below the threshold, {@code >= 0}; default 0. */
  public ReLU negativeSlope(double negativeSlope) {
    if (!(negativeSlope >= 0)) {
      throw new IllegalArgumentException("ReLU negative_slope: expected a value >= 0, found "
          + negativeSlope);
    }
    this.negativeSlope = negativeSlope;
    return this;
  }

  /** Values at or below it are damped; {@code >= 0}, default 0. */
  public ReLU threshold(double threshold) {
    if (!(threshold >= 0)) {
      throw new IllegalArgumentException("ReLU threshold: expected a value >= 0, found "
          + threshold);
    }
    this.threshold = threshold;
    return this;
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    return Activations.relu(x, negativeSlope, maxValue, threshold);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("max_value", maxValue);
    m.put("negative_slope", negativeSlope);
    m.put("threshold", threshold);
    return m;
  }
}
