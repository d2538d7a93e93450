package io.sparkeras.api.layers.normalization;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Layer normalization, as Keras's {@code LayerNormalization}: each sample is normalised over
 * {@code axis} (one axis or several, counted in the full shape; default the last) with its own
 * mean and population variance, {@code gamma * (x - mean) / sqrt(variance + epsilon) + beta};
 * {@code gamma} and {@code beta} span the normalised axes. Same in training and inference. With
 * {@code rms_scaling} (Keras's approximation) the output is {@code x * gamma / sqrt(variance +
 * epsilon)}: no mean is subtracted and there is no {@code beta}.
 *
 * <pre>{@code
 * new LayerNormalization().epsilon(1e-6);
 * }</pre>
 */
public class LayerNormalization extends BaseNormalization<LayerNormalization> {
  private int[] axes = {-1};
  private boolean axisIsList;
  private boolean rmsScaling;

  public LayerNormalization() {}

  public static LayerNormalization fromConfig(Config c) {
    LayerNormalization l = new LayerNormalization().readScaleOffset(c);
    if (c.get("axis") instanceof List) {
      l.axis(c.getInts("axis", -1));
    } else {
      l.axis(c.getInt("axis", -1));
    }
    l.rmsScaling(c.getBoolean("rms_scaling", false));
    return l;
  }

  // ---- settings --------------------------------------------------------------------------

  /** Normalise over one axis of the full shape (batch = 0); default -1. */
  public LayerNormalization axis(int axis) {
    this.axes = checkAxes(new int[] {axis});
    this.axisIsList = false;
    return this;
  }

  /** Normalise over several axes of the full shape together (written as a list in the config). */
  public LayerNormalization axis(int[] axes) {
    this.axes = checkAxes(axes.clone());
    this.axisIsList = true;
    return this;
  }

  private static int[] checkAxes(int[] axes) {
    if (axes.length == 0) {
      throw new IllegalArgumentException("LayerNormalization axis: expected at least one axis");
    }
    for (int a : axes) {
      if (a == 0) {
        throw new IllegalArgumentException("LayerNormalization axis: the batch axis 0 cannot be "
            + "normalised over, found " + Arrays.toString(axes));
      }
    }
    return axes;
  }

  /** Keras's RMS scaling: no mean, no beta, {@code x * gamma / sqrt(variance + epsilon)}. */
  public LayerNormalization rmsScaling(boolean rmsScaling) {
    this.rmsScaling = rmsScaling;
    return this;
  }

  // ---- life cycle ------------------------------------------------------------------------

  /** The axes as indices into a full shape (batch included) of this rank, checked. */
  private int[] resolve(int fullRank, int[] inputShape) {
    int[] r = new int[axes.length];
    boolean[] seen = new boolean[fullRank];
    for (int i = 0; i < axes.length; i++) {
      int a = axes[i] < 0 ? axes[i] + fullRank : axes[i];
      if (a < 1 || a >= fullRank || seen[a]) {
        throw new IllegalArgumentException("layer '" + getName() + "' (LayerNormalization) has "
            + "axis " + axisString() + ", which is not a set of distinct feature axes of input "
            + shapeString(inputShape) + "; expected an input of rank >= 2 (batch included) with "
            + "those axes");
      }
      seen[a] = true;
      r[i] = a;
    }
    return r;
  }

  private String axisString() {
    return axisIsList ? Arrays.toString(axes) : Integer.toString(axes[0]);
  }

  @Override
  public void build(int[] inputShape) {
    int[] resolved = resolve(inputShape.length + 1, inputShape);
    int[] shape = new int[resolved.length];
    for (int i = 0; i < resolved.length; i++) {
      shape[i] = inputShape[resolved[i] - 1];
      if (shape[i] < 0) {
        throw new IllegalArgumentException("layer '" + getName() + "' (LayerNormalization) needs "
            + "known sizes on axis " + axisString() + ", found input shape "
            + shapeString(inputShape));
      }
    }
    addScaleOffset(shape, isScale() || rmsScaling, isCenter() && !rmsScaling);
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    int r = x.rank();
    int[] resolved = resolve(r, Arrays.copyOfRange(x.shape(), 1, r));
    boolean lastOnly = resolved.length == 1 && resolved[0] == r - 1;
    int[] b = new int[r];
    Arrays.fill(b, 1);
    for (int a : resolved) {
      b[a] = x.dim(a);
    }
    Tensor[] is = scaleAndShift(rmsScaling ? null : ops().mean(x, resolved, true),
        ops().variance(x, resolved, true), lastOnly ? null : b);
    Tensor y = ops().multiply(x, is[0]);
    return rmsScaling ? y : ops().add(y, is[1]);
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    resolve(inputShape.length + 1, inputShape);
    return inputShape.clone();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("axis", io.sparkeras.api.layers.LayerConfigs.axis(axes, axisIsList));
    m.put("epsilon", epsilon());
    putScaleOffset(m, true, false, false);
    m.put("rms_scaling", rmsScaling);
    putScaleOffset(m, false, true, true);
    return m;
  }
}
