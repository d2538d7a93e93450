package io.sparkeras.api.layers.reshaping;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerConfigs;
import java.util.Arrays;
import java.util.Map;

/**
 * Keras's {@code Permute}: reorders the axes of every sample; {@code dims} is a permutation of
 * {@code 1..n} (axis 0, the batch, stays first).
 *
 * <pre>{@code new Permute(2, 1);   // (None, 10, 64) -> (None, 64, 10) }</pre>
 */
public class Permute extends Layer {
  private final int[] dims;

  public Permute(int... dims) {
    int[] sorted = dims.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      if (sorted[i] != i + 1) {
        throw new IllegalArgumentException("Permute dims: expected a permutation of 1.."
            + dims.length + " (axis 0 is the batch), found " + Arrays.toString(dims));
      }
    }
    this.dims = dims.clone();
  }

  public static Permute fromConfig(Config c) {
    return LayerConfigs.base(new Permute(c.getInts("dims", -1)), c);
  }

  @Override
  public void build(int[] inputShape) {
    computeOutputShape(inputShape);
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    int[] p = new int[dims.length + 1];
    System.arraycopy(dims, 0, p, 1, dims.length);
    return ops().transpose(x, p);
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    requireRank(inputShape, dims.length, "of rank " + (dims.length + 1) + " (batch included)");
    int[] out = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      out[i] = inputShape[dims[i] - 1];
    }
    return out;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("dims", Config.shapeList(dims));
    return m;
  }
}
