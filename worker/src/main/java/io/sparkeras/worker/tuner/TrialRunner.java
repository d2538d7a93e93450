package io.sparkeras.worker.tuner;

import io.sparkeras.api.callbacks.Callback;
import io.sparkeras.api.callbacks.History;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.tuner.BestEpoch;
import io.sparkeras.worker.WorkerModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Runs one trial with the local backend: every execution loads its model, starts from the
 * checkpoint it continues (Hyperband), and fits the in-memory training arrays for the trial's
 * epochs with the user's callbacks (early stopping ends a run as in Keras) and validation after
 * each epoch; the best epoch over all executions is saved as the trial's checkpoint. The same
 * code runs inside a Spark task (over the partition's rows) and in one JVM (the benchmark's
 * sequential baseline).
 *
 * <pre>{@code
 * TrialOutcome out = TrialRunner.run(spec, x, y, xVal, yVal);
 * }</pre>
 */
public final class TrialRunner {
  private TrialRunner() {}

  /** Inside a task: reads the partition's rows, then {@link #run}. */
  public static TrialOutcome runOnRows(TrialSpec spec, Iterator<InternalRow> rows, NDArray xVal,
      NDArray yVal) {
    long start = System.nanoTime();
    PartitionArrays data = PartitionArrays.read(rows, spec.features, spec.featureShape,
        spec.label, spec.labelShape, spec.badRows);
    if (data.rows() == 0) {
      throw new IllegalStateException("trial " + spec.trialId + ": its partition has no rows to "
          + "train on");
    }
    return run(spec, data.x(), data.y(), xVal, yVal)
        .withSeconds((System.nanoTime() - start) / 1e9);
  }

  /** Trains the trial on in-memory arrays; validation arrays may be null (no val_ logs). */
  public static TrialOutcome run(TrialSpec spec, NDArray x, NDArray y, NDArray xVal,
      NDArray yVal) {
    long start = System.nanoTime();
    float[] startWeights = spec.continueFrom == null ? null : checkpointWeights(spec);
    BestEpoch best = new BestEpoch(spec.objective());
    List<Map<String, List<Double>>> histories = new ArrayList<>();
    Model last = null;
    for (byte[] bytes : spec.models) {
      Model model = WorkerModels.load(bytes);
      if (startWeights != null) {
        model.setFlatWeights(startWeights);
      }
      List<Callback> callbacks = new ArrayList<>(spec.callbacks.create());
      callbacks.add(best);
      FitOptions options = FitOptions.epochs(spec.epochs).initialEpoch(spec.initialEpoch)
          .batchSize(spec.batchSize).verbose(0).callbacks(callbacks.toArray(new Callback[0]));
      if (xVal != null) {
        options.validationData(xVal, yVal);
      }
      History h = model.fit(x, y, options);
      histories.add(h.history());
      last = model;
    }
    if (spec.checkpoint != null && best.weights() != null) {
      last.setFlatWeights(best.weights());
      try {
        last.save(spec.checkpoint);
      } catch (IOException e) {
        throw new UncheckedIOException("trial " + spec.trialId + ": cannot save its checkpoint "
            + spec.checkpoint + ": " + e.getMessage(), e);
      }
    }
    return new TrialOutcome(spec.initialEpoch, histories, x.length(),
        (System.nanoTime() - start) / 1e9);
  }

  private static float[] checkpointWeights(TrialSpec spec) {
    try {
      return Model.load(spec.continueFrom).getFlatWeights();
    } catch (IOException e) {
      throw new UncheckedIOException("trial " + spec.trialId + ": cannot read the checkpoint it "
          + "continues, " + spec.continueFrom + ": " + e.getMessage(), e);
    }
  }
}
