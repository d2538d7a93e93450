package io.sparkeras.api.layers.regularization;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.activations.Activations;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.LayerConfigs;
import java.util.Map;

/**
 * Keras's {@code AlphaDropout}, the dropout for SELU networks: in training each value is kept with
 * probability {@code 1 - rate} or set to SELU's negative saturation
 * {@code alpha' = -alpha * scale}, then {@code a * x + b} restores the mean and variance
 * ({@code a = ((1 - rate) (1 + rate alpha'^2))^-1/2}, {@code b = -a alpha' rate}). The identity at
 * inference. {@code noise_shape} works as in {@link Dropout}.
 *
 * <pre>{@code new AlphaDropout(0.1, 42L); }</pre>
 */
public class AlphaDropout extends NoiseLayer {

  public AlphaDropout(double rate) {
    this(rate, null);
  }

  public AlphaDropout(double rate, Long seed) {
    super("rate", rate, false, seed);
  }

  public static AlphaDropout fromConfig(Config c) {
    AlphaDropout d = LayerConfigs.base(new AlphaDropout(c.getDouble("rate"), seedOf(c)), c);
    d.readNoiseShape(c);
    return d;
  }

  /** As {@link Dropout#noiseShape}. */
  public AlphaDropout noiseShape(int... noiseShape) {
    setNoiseShape(noiseShape);
    return this;
  }

  @Override
  protected Tensor noise(Tensor x) {
    double rate = strength();
    double alphaP = -Activations.SELU_ALPHA * Activations.SELU_SCALE;
    Tensor u = ops().randomUniform(maskShape(x.shape()), nextSeed());
    Tensor kept = ops().greater(u, ops().scalar(rate));
    double a = Math.pow((1 - rate) * (1 + rate * alphaP * alphaP), -0.5);
    double b = -a * alphaP * rate;
    // x * kept + alpha' * (1 - kept), then a * . + b
    Tensor y = ops().add(ops().multiply(ops().subtract(x, ops().scalar(alphaP)), kept), alphaP);
    return ops().add(ops().multiply(y, a), b);
  }

  @Override
  public Map<String, Object> getConfig() {
    return noiseConfig(true);
  }
}
