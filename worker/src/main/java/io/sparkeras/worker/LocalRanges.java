package io.sparkeras.worker;

import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.models.Model;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The non-trainable ranges of a model's flat parameter vector (batch normalization's moving
 * statistics, frozen layers) that every worker keeps for itself in sync and async mode, and the
 * one gather / scatter pair that moves their values between the flat vector and a compact
 * {@code float[]}: used by the task at every pull ({@link EpochTask}) and by the driver at every
 * epoch's start and end.
 *
 * <pre>{@code
 * int[] ranges = LocalRanges.of(model);                 // {from0, to0, from1, to1, ...}
 * float[] values = new float[LocalRanges.length(ranges)];
 * LocalRanges.gather(params, ranges, values);           // flat -> compact
 * LocalRanges.scatter(values, ranges, params);          // compact -> flat
 * }</pre>
 */
public final class LocalRanges {
  private LocalRanges() {}

  /**
   * {@code [from, to)} pairs of the flat vector that the optimizer does not update (non-trainable
   * weights and frozen layers), merged where adjacent; empty when every weight is trainable.
   */
  public static int[] of(Model model) {
    int size = 0;
    for (Variable v : model.weights()) {
      size += v.size();
    }
    List<Integer> pairs = new ArrayList<>();
    int at = 0;
    for (int[] r : model.trainableRanges()) {
      if (r[0] > at) {
        pairs.add(at);
        pairs.add(r[0]);
      }
      at = r[1];
    }
    if (at < size) {
      pairs.add(at);
      pairs.add(size);
    }
    return pairs.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Floats in the ranges together. */
  public static int length(int[] ranges) {
    int n = 0;
    for (int i = 0; i < ranges.length; i += 2) {
      n += ranges[i + 1] - ranges[i];
    }
    return n;
  }

  /** Copies the ranges of {@code flat} into {@code out}, back to back (absolute indexing). */
  public static void gather(FloatBuffer flat, int[] ranges, float[] out) {
    int o = 0;
    for (int i = 0; i < ranges.length; i += 2) {
      int n = ranges[i + 1] - ranges[i];
      flat.get(ranges[i], out, o, n);
      o += n;
    }
  }

  /** The inverse of {@link #gather}: writes {@code values} back into the ranges of {@code flat}. */
  public static void scatter(float[] values, int[] ranges, FloatBuffer flat) {
    int o = 0;
    for (int i = 0; i < ranges.length; i += 2) {
      int n = ranges[i + 1] - ranges[i];
      flat.put(ranges[i], values, o, n);
      o += n;
    }
  }
}
