package io.sparkeras.api.layers.activations;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.CallArgs;
import io.sparkeras.api.layers.LayerConfigs;
import io.sparkeras.api.layers.Masks;
import io.sparkeras.api.layers.SameShapeLayer;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code Softmax} layer over one axis (default -1) or several together. With a mask
 * (Keras's {@code mask=} argument, the input's shape, 1 = keep), masked positions get
 * {@code -1e9} added before the softmax and 0 after it, so a fully masked slice gives zeros. A
 * mask over fewer axes (a {@code (batch, steps)} mask flowing from an Embedding) masks whole
 * steps (Keras's broadcasting would fail there).
 *
 * <pre>{@code
 * KerasTensor p = new Softmax(1).apply(scores);
 * KerasTensor q = new Softmax().applyAll(List.of(scores), Map.of("mask", mask)).get(0);
 * }</pre>
 */
public class Softmax extends SameShapeLayer {
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
  public Tensor call(Tensor x, boolean training) {
    return softmax(x);
  }

  @Override
  public List<Tensor> call(CallArgs args) {
    Tensor mask = Masks.asFloat(args.mask(0));
    if (mask == null) {
      return super.call(args);
    }
    // a mask over the leading axes only (one flowing from an Embedding) masks whole rows
    for (int r = mask.rank(); r < args.input(0).rank(); r++) {
      mask = ops().expandDims(mask, -1);
    }
    Tensor adder = ops().multiply(ops().add(ops().negative(mask), 1), -1e9);
    return List.of(ops().multiply(softmax(ops().add(args.input(0), adder)), mask));
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
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("axis", LayerConfigs.axis(axes, axisList));
    return m;
  }
}
