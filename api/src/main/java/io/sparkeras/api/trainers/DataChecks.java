package io.sparkeras.api.trainers;

import io.sparkeras.api.data.Batch;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.models.Model;
import java.util.List;

/**
 * Checks of user data against a model before it reaches the engine: array counts, sample
 * shapes, sample counts, finite values and (with a compiled loss) targets. Every message names
 * the model, the input and what was expected.
 */
final class DataChecks {
  private DataChecks() {}

  /** Input and (when not null) target arrays match the model's inputs and outputs. */
  static void shapes(Model model, List<NDArray> x, List<NDArray> y) {
    List<int[]> expected = model.inputShapes();
    if (x.size() != expected.size()) {
      throw new IllegalArgumentException("model '" + model.getName() + "' expects "
          + expected.size() + " input arrays, found " + x.size());
    }
    for (int i = 0; i < x.size(); i++) {
      int[] want = expected.get(i);
      int[] got = x.get(i).sampleShape();
      boolean ok = want.length == got.length;
      for (int d = 0; ok && d < want.length; d++) {
        ok = want[d] < 0 || want[d] == got[d];
      }
      if (!ok) {
        throw new IllegalArgumentException("model '" + model.getName() + "' input " + i + " ("
            + model.inputNames().get(i) + "): expected samples of shape " + Layer.shapeString(want)
            + ", found " + Layer.shapeString(got));
      }
    }
    if (y != null) {
      List<int[]> outs = model.outputShapes();
      if (y.size() != outs.size()) {
        throw new IllegalArgumentException("model '" + model.getName() + "' has " + outs.size()
            + " outputs, found " + y.size() + " target arrays");
      }
      for (int i = 0; i < y.size(); i++) {
        if (y.get(i).length() != x.get(0).length()) {
          throw new IllegalArgumentException("targets " + i + " have " + y.get(i).length()
              + " samples, inputs have " + x.get(0).length());
        }
      }
    }
  }

  /**
   * Every input array holds finite values; {@code firstSample} numbers the samples in messages,
   * which call input {@code i} {@code "x[i] (name)"}.
   */
  static void finiteInputs(Model model, List<NDArray> x, long firstSample) {
    finiteInputs(model, x, "x[", "]", firstSample);
  }

  private static void finiteInputs(Model model, List<NDArray> x, String before, String after,
      long firstSample) {
    for (int i = 0; i < x.size(); i++) {
      if (firstNonFinite(x.get(i)) >= 0) {
        finite(x.get(i), before + i + after + " (" + model.inputNames().get(i) + ")",
            firstSample);
      }
    }
  }

  /** A batch: shapes, finite values and, with {@code loss}, targets the loss accepts. */
  static void batch(Model model, Batch batch, CompileLoss loss) {
    shapes(model, batch.inputs(), loss != null ? batch.targets() : null);
    finiteInputs(model, batch.inputs(), "input ", "", -1);
    if (loss != null) {
      List<int[]> outs = model.outputShapes();
      for (int i = 0; i < batch.targets().size(); i++) {
        NDArray y = batch.targets().get(i);
        if (firstNonFinite(y) >= 0) {
          finite(y, "target " + i, -1);
        }
        loss.validateTargets(i, compact(y), y.length(), outs.get(i));
      }
    }
  }

  /** The array's values without a copy when it covers its whole backing array, else a copy. */
  static float[] compact(NDArray a) {
    return a.offset() == 0 && a.data().length == a.length() * a.sampleSize() ? a.data()
        : a.toArray();
  }

  /**
   * Fails on the first NaN or infinity, naming the sample: {@code firstSample + row} when
   * {@code firstSample >= 0}, else the row within the batch.
   */
  static void finite(NDArray a, String what, long firstSample) {
    int i = firstNonFinite(a);
    if (i < 0) {
      return;
    }
    float v = a.data()[a.offset() + i];
    int per = Math.max(1, a.sampleSize());
    String where = firstSample >= 0 ? "sample " + (firstSample + i / per)
        : "sample " + (i / per) + " of the batch";
    throw new IllegalArgumentException(what + " holds " + v + " at " + where + ", value "
        + (i % per) + "; expected finite numbers");
  }

  /** The index (within the array's values) of its first NaN or infinity, or -1. */
  private static int firstNonFinite(NDArray a) {
    float[] d = a.data();
    int n = a.length() * a.sampleSize();
    for (int i = 0; i < n; i++) {
      if (!Float.isFinite(d[a.offset() + i])) {
        return i;
      }
    }
    return -1;
  }
}
