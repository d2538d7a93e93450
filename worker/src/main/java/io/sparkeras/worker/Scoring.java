package io.sparkeras.worker;

import io.sparkeras.api.data.Batch;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.models.Model;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
   * Loss and metrics of one partition (bad rows: {@code policy}). With {@code gather} the
   * partition's targets and predictions are returned too, for metrics whose state is not a
   * sample mean (AUC, precision, recall), which the driver then computes over all of them.
   */
  public static EpochResult evaluate(Iterator<InternalRow> rows, int partition, String modelKey,
      Supplier<byte[]> modelFile, ColumnSpec features, int[] featureShape, ColumnSpec label,
      int[] labelShape, int batchSize, BadRowPolicy policy, boolean gather) {
    return evaluate(rows, partition, modelKey, modelFile, FeatureColumns.numeric(features,
        featureShape), label, labelShape, batchSize, policy, gather);
  }

  /** {@link #evaluate} of numeric or raw feature columns ({@link FeatureColumns}). */
  public static EpochResult evaluate(Iterator<InternalRow> rows, int partition, String modelKey,
      Supplier<byte[]> modelFile, FeatureColumns features, ColumnSpec label, int[] labelShape,
      int batchSize, BadRowPolicy policy, boolean gather) {
    Model model = WorkerModels.borrow(modelKey, modelFile);
    RowBatcher batcher = new RowBatcher(rows, features.encoder(model, false, 0), label,
        labelShape, batchSize, policy);
    long[] samples = new long[1];
    List<float[]> ys = new ArrayList<>();
    List<float[]> preds = new ArrayList<>();
    Iterable<Batch> data = () -> new Iterator<>() {
      @Override
      public boolean hasNext() {
        return batcher.hasNext();
      }

      @Override
      public Batch next() {
        Batch b = batcher.next();
        samples[0] += b.size();
        if (gather) {
          ys.add(b.targets().get(0).toArray());
          preds.add(model.predictAll(b.inputs(), b.size()).get(0).toArray());
        }
        return b;
      }
    };
    Map<String, Double> logs = model.evaluate(data);
    WorkerModels.release(modelKey, model);
    EpochResult r = new EpochResult(partition, 0, samples[0], batcher.rowsSkipped(), logs);
    if (gather) {
      r.yTrue = concat(ys);
      r.yPred = concat(preds);
    }
    return r;
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

  private static float[] concat(List<float[]> parts) {
    int n = 0;
    for (float[] p : parts) {
      n += p.length;
    }
    float[] out = new float[n];
    int at = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
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
      Supplier<byte[]> modelFile, ColumnSpec features, int[] featureShape, int batchSize,
      boolean[] scalarOutputs) {
    return predict(rows, modelKey, modelFile, FeatureColumns.numeric(features, featureShape),
        batchSize, scalarOutputs);
  }

  /** {@link #predict} of numeric or raw feature columns ({@link FeatureColumns}). */
  public static Iterator<InternalRow> predict(Iterator<InternalRow> rows, String modelKey,
      Supplier<byte[]> modelFile, FeatureColumns features, int batchSize,
      boolean[] scalarOutputs) {
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
      final RowBatcher batcher = new RowBatcher(tee, scoringEncoder(features, modelKey,
          modelFile), null, null, batchSize, BadRowPolicy.FAIL);
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
