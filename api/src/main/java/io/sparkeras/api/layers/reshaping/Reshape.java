package io.sparkeras.api.layers.reshaping;

import static io.sparkeras.api.backend.Backends.ops;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.Layer;
import java.util.Arrays;
import java.util.Map;

/**
 * Reshapes every sample (the batch dimension is kept) in row-major order, as Keras's
 * {@code Reshape}; one entry of the target shape may be -1, inferred from the input size.
 *
 * <pre>{@code
 * new Reshape(7, 7, 64);   // (None, 3136) -> (None, 7, 7, 64)
 * new Reshape(-1, 8);      // (None, 4, 6) -> (None, 3, 8)
 * }</pre>
 */
public class Reshape extends Layer {
  private final int[] targetShape;

  /** The per-sample output shape: positive sizes and at most one -1. */
  public Reshape(int... targetShape) {
    if (targetShape == null || targetShape.length == 0) {
      throw new IllegalArgumentException("Reshape target_shape: expected at least one dimension, "
          + "found " + Arrays.toString(targetShape));
    }
    int unknown = 0;
    for (int d : targetShape) {
      if (d == -1) {
        unknown++;
      } else if (d <= 0) {
        throw new IllegalArgumentException("Reshape target_shape: expected positive sizes or -1, "
            + "found " + Arrays.toString(targetShape));
      }
    }
    if (unknown > 1) {
      throw new IllegalArgumentException("Reshape target_shape: at most one dimension may be -1, "
          + "found " + Arrays.toString(targetShape));
    }
    this.targetShape = targetShape.clone();
  }

  public static Reshape fromConfig(Config c) {
    Reshape r = new Reshape(c.getInts("target_shape", -1));
    r.name(c.getString("name", null));
    r.trainable(c.getBoolean("trainable", true));
    return r;
  }

  public int[] targetShape() {
    return targetShape.clone();
  }

  @Override
  public void build(int[] inputShape) {
    computeOutputShape(inputShape);
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    int[] full = new int[targetShape.length + 1];
    full[0] = x.dim(0);
    System.arraycopy(targetShape, 0, full, 1, targetShape.length);
    return ops().reshape(x, full);
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    long in = 1;
    for (int d : inputShape) {
      if (d < 0) {
        in = -1;
        break;
      }
      in *= d;
    }
    long known = 1;
    int unknownAt = -1;
    for (int i = 0; i < targetShape.length; i++) {
      if (targetShape[i] < 0) {
        unknownAt = i;
      } else {
        known *= targetShape[i];
      }
    }
    int[] out = targetShape.clone();
    if (in < 0) {
      return out;
    }
    if (unknownAt < 0 ? known != in : in % known != 0) {
      throw new IllegalArgumentException("layer '" + getName() + "' (Reshape) cannot reshape input "
          + shapeString(inputShape) + " of " + in + " values per sample into target_shape "
          + Arrays.toString(targetShape) + (unknownAt < 0 ? " of " + known + " values"
          : ": " + in + " is not a multiple of " + known));
    }
    if (unknownAt >= 0) {
      out[unknownAt] = Math.toIntExact(in / known);
    }
    return out;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    // -1 stays -1 (Keras writes the tuple as given), unlike shape lists where -1 means None
    java.util.List<Object> target = new java.util.ArrayList<>();
    for (int d : targetShape) {
      target.add(d);
    }
    m.put("target_shape", target);
    return m;
  }
}
