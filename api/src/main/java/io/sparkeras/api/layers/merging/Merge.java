package io.sparkeras.api.layers.merging;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.CallArgs;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerConfigs;
import io.sparkeras.api.layers.Masks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The elementwise merge layers ({@link Add}, {@link Subtract}, {@link Multiply}, {@link Average},
 * {@link Maximum}, {@link Minimum}), as Keras's {@code Merge}: shapes must be equal or broadcast,
 * aligned from the right; an input of lower rank gets size-1 axes inserted after the batch axis
 * before the operation, as Keras does. The inputs are folded pairwise from the first.
 *
 * <pre>{@code KerasTensor m = new Maximum().apply(a, b, c); }</pre>
 */
public abstract class Merge extends Layer {

  protected Merge() {
    setSupportsMasking(true);
  }

  /** Reads the base keys. */
  protected static <T extends Merge> T readConfig(T layer, Config c) {
    return LayerConfigs.base(layer, c);
  }

  /** Keras's merge mask: the OR of the inputs' masks, none if some input has none. */
  @Override
  public List<Tensor> computeMask(CallArgs args, List<Tensor> outputs) {
    return java.util.Collections.singletonList(Masks.or(args.masks()));
  }

  /** The pairwise operation. */
  protected abstract Tensor merge(Tensor a, Tensor b);

  /** Applied to the folded result ({@link Average} divides by the count); default identity. */
  protected Tensor finish(Tensor merged, int count) {
    return merged;
  }

  /** Checks the number of inputs (Subtract takes exactly two); default at least one. */
  protected void checkCount(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("layer '" + getName() + "' (" + kind() + ") expects a "
          + "list of at least 1 input, found none");
    }
  }

  private String kind() {
    return getClass().getSimpleName();
  }

  @Override
  public void build(List<int[]> inputShapes) {
    computeOutputShape(inputShapes);
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    checkCount(1);
    return x;
  }

  @Override
  public Tensor call(List<Tensor> inputs, boolean training) {
    List<int[]> inner = new ArrayList<>();
    int maxRank = 0;
    for (Tensor t : inputs) {
      int[] s = t.shape();
      if (s[0] != inputs.get(0).dim(0)) {
        throw new IllegalArgumentException("layer '" + getName() + "' (" + kind() + "): inputs "
            + "have different batch sizes " + inputs.get(0).dim(0) + " and " + s[0]);
      }
      inner.add(Arrays.copyOfRange(s, 1, s.length));
      maxRank = Math.max(maxRank, s.length);
    }
    computeOutputShape(inner);
    Tensor out = null;
    for (Tensor t : inputs) {
      Tensor x = t;
      for (int r = x.rank(); r < maxRank; r++) {
        x = io.sparkeras.api.backend.Backends.ops().expandDims(x, 1);
      }
      out = out == null ? x : merge(out, x);
    }
    return finish(out, inputs.size());
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    return inputShape.clone();
  }

  @Override
  public int[] computeOutputShape(List<int[]> inputShapes) {
    checkCount(inputShapes.size());
    int[] out = inputShapes.get(0).clone();
    for (int k = 1; k < inputShapes.size(); k++) {
      out = broadcast(out, inputShapes.get(k));
    }
    return out;
  }

  private int[] broadcast(int[] a, int[] b) {
    int n = Math.max(a.length, b.length);
    int[] out = new int[n];
    for (int i = 1; i <= n; i++) {
      int x = i <= a.length ? a[a.length - i] : 1;
      int y = i <= b.length ? b[b.length - i] : 1;
      int r;
      if (x == 1) {
        r = y;
      } else if (y == 1) {
        r = x;
      } else if (x < 0) {
        r = y;
      } else if (y < 0 || x == y) {
        r = x;
      } else {
        throw new IllegalArgumentException("layer '" + getName() + "' (" + kind() + ") expects "
            + "inputs of equal or broadcastable shapes (sizes equal or 1, aligned from the right),"
            + " found " + shapeString(a) + " and " + shapeString(b));
      }
      out[n - i] = r;
    }
    return out;
  }
}
