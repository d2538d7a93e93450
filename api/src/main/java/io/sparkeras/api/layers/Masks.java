package io.sparkeras.api.layers;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.DType;
import io.sparkeras.api.backend.Tensor;
import java.util.List;

/**
 * Keras masks as Sparkeras passes them between layers: a tensor over the leading axes of the
 * data it masks (usually {@code (batch, steps)}), {@code true} (or 1) where a step is kept and
 * {@code false} (or 0) where it is masked. Producers (Embedding with {@code mask_zero}, Masking)
 * may give bool, int64 or float32 tensors (float32 masks hold only 0 and 1); consumers read them
 * through {@link #asFloat}. The helpers here are
 * the logical operations Keras's layers apply to masks, written with float32 0/1 values.
 *
 * <pre>{@code
 * Tensor m = Masks.asFloat(args.mask(0));                       // (batch, steps) of 0 and 1
 * Tensor kept = ops().multiply(x, ops().expandDims(m, -1));     // zero the masked steps
 * }</pre>
 */
public final class Masks {
  private Masks() {}

  /** The mask as float32 0/1 values (null stays null). */
  public static Tensor asFloat(Tensor mask) {
    if (mask == null) {
      return null;
    }
    if (mask.dtype() == DType.FLOAT32) {
      return mask;
    }
    Tensor bool = mask.dtype() == DType.BOOL ? mask : ops().cast(mask, DType.BOOL);
    return ops().cast(bool, DType.FLOAT32);
  }

  /** Elementwise OR of masks (Keras's merge layers); null if any is null. */
  public static Tensor or(List<Tensor> masks) {
    Tensor out = null;
    for (Tensor m : masks) {
      if (m == null) {
        return null;
      }
      out = out == null ? asFloat(m) : ops().maximum(out, asFloat(m));
    }
    return out;
  }

  /** Elementwise AND of two masks; a null mask means "keep everything". */
  public static Tensor and(Tensor a, Tensor b) {
    if (a == null) {
      return asFloat(b);
    }
    if (b == null) {
      return asFloat(a);
    }
    return ops().multiply(asFloat(a), asFloat(b));
  }

  /** Whether any entry along {@code axis} is kept (Keras's {@code ops.any}), as 0/1. */
  public static Tensor any(Tensor mask, int axis) {
    return ops().max(asFloat(mask), axis, false);
  }
}
