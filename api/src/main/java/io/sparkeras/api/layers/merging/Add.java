package io.sparkeras.api.layers.merging;

import static io.sparkeras.api.backend.Backends.ops;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.Layer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Adds its inputs elementwise. Shapes must be equal or broadcast: aligned from the right (an
 * input of lower rank gets size-1 axes inserted after the batch axis, as Keras does), each size
 * must equal the others or be 1. One input is returned unchanged, as in Keras 3.
 *
 * <pre>{@code KerasTensor residual = new Add().apply(x, block); }</pre>
 */
public class Add extends Layer {
  public Add() {}

  public static Add fromConfig(Config c) {
    Add l = new Add();
    l.name(c.getString("name", null));
    l.trainable(c.getBoolean("trainable", true));
    return l;
  }

  @Override
  public void build(List<int[]> inputShapes) {
    computeOutputShape(inputShapes);
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    return x;
  }

  @Override
  public Tensor call(List<Tensor> inputs, boolean training) {
    List<int[]> inner = new ArrayList<>();
    int maxRank = 0;
    for (Tensor t : inputs) {
      int[] s = t.shape();
      if (s[0] != inputs.get(0).dim(0)) {
        throw new IllegalArgumentException("layer '" + getName() + "' (Add): inputs have different "
            + "batch sizes " + inputs.get(0).dim(0) + " and " + s[0]);
      }
      inner.add(Arrays.copyOfRange(s, 1, s.length));
      maxRank = Math.max(maxRank, s.length);
    }
    computeOutputShape(inner);
    Tensor sum = null;
    for (Tensor t : inputs) {
      Tensor x = t;
      for (int r = x.rank(); r < maxRank; r++) {
        x = ops().expandDims(x, 1);
      }
      sum = sum == null ? x : ops().add(sum, x);
    }
    return sum;
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    return inputShape.clone();
  }

  @Override
  public int[] computeOutputShape(List<int[]> inputShapes) {
    if (inputShapes.isEmpty()) {
      throw new IllegalArgumentException("layer '" + getName() + "' (Add) expects a list of at "
          + "least 1 input, found none");
    }
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
        throw new IllegalArgumentException("layer '" + getName() + "' (Add) expects inputs of "
            + "equal or broadcastable shapes (sizes equal or 1, aligned from the right), found "
            + shapeString(a) + " and " + shapeString(b));
      }
      out[n - i] = r;
    }
    return out;
  }
}
