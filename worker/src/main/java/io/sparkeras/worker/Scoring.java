package io.sparkeras.worker;

import io.sparkeras.api.data.Batch;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.trainers.MetricStates;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.unsafe.Platform;

/**
 * Batch inference inside a task: the model comes from the executor's cache ({@link WorkerModels},
 * keyed by the saved file's hash, so it is loaded once per JVM), rows are scored a batch at a
 * time. {@link #evaluate} reports loss and metrics with the sample count for the driver to merge;
 * {@link #predict} streams the input rows back with the prediction column(s) appended.
 */
public final class Scoring {
  private Scoring() {}

  /**
   * Loss and metrics of one partition (bad rows: {@code policy}), as states that the driver
   * merges exactly with the other partitions' ({@code Trainer.mergeStates}): the loss, the
   * sample-mean metrics, AUC, precision and recall, weighted or not.
   */
  public static EpochResult evaluate(Iterator<InternalRow> rows, int partition, String modelKey,
      Supplier<byte[]> modelFile, BatchLayout layout, int batchSize, BadRowPolicy policy) {
    Model model = WorkerModels.borrow(modelKey, modelFile);
    RowBatcher batcher = new RowBatcher(rows, layout.encoder(model, false, 0), layout, batchSize,
        policy);
    MetricStates logs = model.trainer().evaluateStates(() -> batcher);
    WorkerModels.release(modelKey, model);
    return new EpochResult(partition, 0, logs.samples(), batcher.rowsSkipped(), logs);
  }

  /**
   * The encoder of a scoring task; raw columns need the model's host prefix (any cached copy
   * of the model: their preprocessing state is the same).
   */
  private static RowEncoder scoringEncoder(FeatureColumns features, String modelKey,
      Supplier<byte[]> modelFile) {
    if (!features.isRaw()) {
      return features.encoder(null, false, 0);
    }
    Model model = WorkerModels.borrow(modelKey, modelFile);
    try {
      return features.encoder(model, false, 0);
    } finally {
      WorkerModels.release(modelKey, model);
    }
  }

  /**
   * The input rows, each followed by the model's outputs: one float column when an output has
   * one value per sample, else an {@code array<float>} column (one column per model output).
   *
   * <p>Allocation per batch, not per row: the batch's input rows are kept in reused
   * {@link UnsafeRow} buffers (other row classes are copied), and every output row is one reused
   * {@link JoinedRow} of the input row and a reused prediction row whose arrays point into
   * reused buffers. A returned row is valid until the next call, as usual for Spark iterators.
   */
  public static Iterator<InternalRow> predict(Iterator<InternalRow> rows, String modelKey,
      Supplier<byte[]> modelFile, BatchLayout layout, int batchSize, boolean[] scalarOutputs) {
    return new Iterator<>() {
      final InternalRow[] held = new InternalRow[batchSize];
      int heldCount;
      final Iterator<InternalRow> tee = new Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public InternalRow next() {
          InternalRow r = rows.next();
          held[heldCount] = keep(r, held[heldCount]);
          heldCount++;
          return r;
        }
      };
      final RowBatcher batcher = new RowBatcher(tee, scoringEncoder(layout.features(), modelKey,
          modelFile), layout.inputsOnly(), batchSize, BadRowPolicy.FAIL);
      final GenericInternalRow predictions = new GenericInternalRow(scalarOutputs.length);
      final UnsafeArrayData[] arrays = new UnsafeArrayData[scalarOutputs.length];
      final JoinedRow joined = new JoinedRow();
      List<NDArray> out;
      int cursor;
      int size;

      @Override
      public boolean hasNext() {
        if (cursor < size) {
          return true;
        }
        heldCount = 0;
        cursor = 0;
        size = 0;
        Batch b = batcher.hasNext() ? batcher.next() : null;
        if (b == null) {
          return false;
        }
        Model model = WorkerModels.borrow(modelKey, modelFile);
        try {
          out = model.predictAll(b.inputs(), batchSize);
        } finally {
          WorkerModels.release(modelKey, model);
        }
        size = b.size();
        return true;
      }

      @Override
      public InternalRow next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        for (int o = 0; o < out.size(); o++) {
          NDArray a = out.get(o);
          int per = a.sampleSize();
          int from = a.offset() + cursor * per;
          if (scalarOutputs[o]) {
            predictions.setFloat(o, a.data()[from]);
          } else {
            if (arrays[o] == null) {
              arrays[o] = UnsafeArrayData.fromPrimitiveArray(new float[per]);
            }
            UnsafeArrayData u = arrays[o];
            Platform.copyMemory(a.data(), Platform.FLOAT_ARRAY_OFFSET + 4L * from,
                u.getBaseObject(), u.getBaseOffset()
                    + UnsafeArrayData.calculateHeaderPortionInBytes(per), 4L * per);
            predictions.update(o, u);
          }
        }
        return joined.apply(held[cursor++], predictions);
      }
    };
  }

  /** {@code row} kept past the iterator's next call, in {@code slot}'s buffer when possible. */
  static InternalRow keep(InternalRow row, InternalRow slot) {
    if (row instanceof UnsafeRow && slot instanceof UnsafeRow) {
      ((UnsafeRow) slot).copyFrom((UnsafeRow) row);
      return slot;
    }
    return row.copy();
  }
}
