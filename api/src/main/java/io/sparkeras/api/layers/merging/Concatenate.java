package io.sparkeras.api.layers.merging;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.CallArgs;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.Masks;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Concatenates its inputs along one axis ({@code -1}, the features, by default). Like Keras, the
 * axis counts the batch dimension: {@code axis(1)} is the first axis after the batch; the batch
 * axis itself cannot be used. Every input must have the same rank and the same sizes on the other
 * axes (unknown sizes are accepted). One input is returned unchanged, as in Keras 3.
 *
 * <pre>{@code KerasTensor merged = new Concatenate().apply(left, right); }</pre>
 */
public class Concatenate extends Layer {
  private final int axis;

  /** Concatenates along the last axis. */
  public Concatenate() {
    this(-1);
  }

  public Concatenate(int axis) {
    if (axis == 0) {
      throw new IllegalArgumentException("Concatenate axis: expected a non-batch axis (not 0), "
          + "found " + axis);
    }
    this.axis = axis;
    setSupportsMasking(true);
  }

  public static Concatenate fromConfig(Config c) {
    Concatenate l = new Concatenate(c.getInt("axis", -1));
    l.name(c.getString("name", null));
    l.trainable(c.getBoolean("trainable", true));
    return l;
  }

  public int axis() {
    return axis;
  }

  /** The axis within a shape that excludes the batch dimension, for inputs of that rank. */
  private int innerAxis(int innerRank) {
    int full = axis < 0 ? axis + innerRank + 1 : axis;
    if (full < 1 || full > innerRank) {
      throw new IllegalArgumentException("layer '" + getName() + "' (Concatenate): axis " + axis
          + " is out of range for inputs of rank " + (innerRank + 1) + " (batch included); "
          + "expected a non-batch axis");
    }
    return full - 1;
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
    if (inputs.size() == 1) {
      return inputs.get(0);
    }
    List<int[]> shapes = new java.util.ArrayList<>();
    for (Tensor t : inputs) {
      shapes.add(t.shape());
    }
    int first = shapes.get(0).length;
    computeOutputShape(shapes.stream().map(s -> Arrays.copyOfRange(s, 1, s.length)).toList());
    for (int[] s : shapes) {
      if (s[0] != shapes.get(0)[0]) {
        throw new IllegalArgumentException("layer '" + getName() + "' (Concatenate): inputs have "
            + "different batch sizes " + s[0] + " and " + shapes.get(0)[0]);
      }
    }
    return ops().concatenate(inputs, innerAxis(first - 1) + 1);
  }

  /**
   * Keras's concatenation mask: each input's mask (all ones where it has none) broadcast over
   * that input, concatenated on the axis, then "any" over the last axis.
   */
  @Override
  public List<Tensor> computeMask(CallArgs args, List<Tensor> outputs) {
    if (!args.hasMask()) {
      return java.util.Collections.singletonList(null);
    }
    List<Tensor> full = new java.util.ArrayList<>();
    for (int i = 0; i < args.inputs().size(); i++) {
      Tensor x = args.input(i);
      Tensor m = Masks.asFloat(args.mask(i));
      if (m == null) {
        full.add(ops().ones(x.shape()));
      } else if (m.rank() < x.rank()) {
        full.add(ops().multiply(ops().expandDims(m, -1), ops().ones(x.shape())));
      } else {
        full.add(m);
      }
    }
    Tensor joined = full.size() == 1 ? full.get(0)
        : ops().concatenate(full, innerAxis(full.get(0).rank() - 1) + 1);
    return java.util.Collections.singletonList(Masks.any(joined, -1));
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    return inputShape.clone();
  }

  @Override
  public int[] computeOutputShape(List<int[]> inputShapes) {
    if (inputShapes.isEmpty()) {
      throw new IllegalArgumentException("layer '" + getName() + "' (Concatenate) expects a list "
          + "of at least 1 input, found none");
    }
    int[] first = inputShapes.get(0);
    int a = innerAxis(first.length);
    int[] out = first.clone();
    for (int k = 1; k < inputShapes.size(); k++) {
      int[] s = inputShapes.get(k);
      boolean ok = s.length == first.length;
      for (int i = 0; ok && i < s.length; i++) {
        if (i != a && s[i] >= 0 && out[i] >= 0 && s[i] != out[i]) {
          ok = false;
        } else if (i != a && out[i] < 0) {
          out[i] = s[i];
        }
      }
      if (!ok) {
        throw new IllegalArgumentException("layer '" + getName() + "' (Concatenate) on axis " + axis
            + " expects inputs of equal rank and equal sizes except on that axis, found shapes "
            + shapeString(first) + " and " + shapeString(s));
      }
      out[a] = out[a] < 0 || s[a] < 0 ? -1 : out[a] + s[a];
    }
    return out;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("axis", axis);
    return m;
  }
}
