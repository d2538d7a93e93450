package io.sparkeras.api.layers.reshaping;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerConfigs;
import java.util.Map;

/**
 * Keras's {@code RepeatVector}: repeats a {@code (batch, features)} input {@code n} times,
 * giving {@code (batch, n, features)}.
 *
 * <pre>{@code new RepeatVector(30); }</pre>
 */
public class RepeatVector extends Layer {
  private final int n;

  public RepeatVector(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("RepeatVector n: expected a positive integer, found " + n);
    }
    this.n = n;
  }

  public static RepeatVector fromConfig(Config c) {
    return LayerConfigs.base(new RepeatVector(c.getInt("n")), c);
  }

  @Override
  public void build(int[] inputShape) {
    computeOutputShape(inputShape);
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    return ops().repeat(ops().expandDims(x, 1), n, 1);
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    requireRank(inputShape, 1, "(None, features)");
    return new int[] {n, inputShape[0]};
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("n", n);
    return m;
  }
}
