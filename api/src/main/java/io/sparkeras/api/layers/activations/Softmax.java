package io.sparkeras.api.layers.activations;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerConfigs;
import io.sparkeras.api.saving.Config;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code Softmax} layer over one axis (default -1) or several together. With a mask (a
 * second input of the same shape, 1 = keep), masked positions get {@code -1e9} added before the
 * softmax and 0 after it, so a fully masked slice gives zeros.
 *
 * <pre>{@code
 * KerasTensor p = new Softmax(1).apply(scores);
 * KerasTensor q = new Softmax().apply(scores, mask);   // mask: 1 keep, 0 drop
 * }</pre>
 */
public class Softmax extends Layer {
  private final int[] axes;
  private final boolean axisList;

  /** Over the last axis. */
  public Softmax() {
    this(-1);
  }

  public Softmax(int axis) {
    this(new int[] {axis}, false);
  }

  /** Over several axes together (full-shape axes, batch = 0). */
  public Softmax(int... axes) {
    this(axes, true);
  }

  private Softmax(int[] axes, boolean axisList) {
    if (axes.length == 0) {
      throw new IllegalArgumentException("Softmax axis: expected at least one axis");
    }
    this.axes = axes.clone();
    this.axisList = axisList;
  }

  public static Softmax fromConfig(Config c) {
    Softmax s = c.get("axis") instanceof List ? new Softmax(c.getInts("axis", -1), true)
        : new Softmax(c.getInt("axis", -1));
    return LayerConfigs.base(s, c);
  }

  @Override
  public void build(List<int[]> inputShapes) {
    computeOutputShape(inputShapes);
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    return softmax(x);
  }

  @Override
  public Tensor call(List<Tensor> inputs, boolean training) {
    if (inputs.size() != 2) {
      throw new IllegalArgumentException("layer '" + getName() + "' (Softmax) takes an input and "
          + "optionally a mask, found " + inputs.size() + " inputs");
    }
    Tensor mask = inputs.get(1);
    Tensor adder = ops().multiply(ops().add(ops().negative(mask), 1), -1e9);
    return ops().multiply(softmax(ops().add(inputs.get(0), adder)), mask);
  }

  private Tensor softmax(Tensor x) {
    if (axes.length == 1) {
      return ops().softmax(x, axes[0]);
    }
    Tensor shifted = ops().subtract(x, ops().max(x, axes, true));
    Tensor e = ops().exp(shifted);
    return ops().divide(e, ops().sum(e, axes, true));
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    return inputShape.clone();
  }

  @Override
  public int[] computeOutputShape(List<int[]> inputShapes) {
    if (inputShapes.size() == 2 && !java.util.Arrays.equals(inputShapes.get(0),
        inputShapes.get(1))) {
      throw new IllegalArgumentException("layer '" + getName() + "' (Softmax): the mask must have "
          + "the input's shape " + shapeString(inputShapes.get(0)) + ", found "
          + shapeString(inputShapes.get(1)));
    }
    return inputShapes.get(0).clone();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("axis", LayerConfigs.axis(axes, axisList));
    return m;
  }
}
