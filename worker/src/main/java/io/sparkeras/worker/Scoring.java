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
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.types.DataType;

/**
 * Batch inference inside a task: the model comes from the executor's cache ({@link WorkerModels},
 * keyed by the saved file's hash, so it is loaded once per JVM), rows are scored a batch at a
 * time. {@link #evaluate} reports loss and metrics with the sample count for the driver to merge;
 * {@link #predict} streams the input rows back with the prediction column(s) appended.
 */
public final class Scoring {
  private Scoring() {}

  /** Loss and metrics of one partition (bad rows: {@code policy}). */
  public static EpochResult evaluate(Iterator<InternalRow> rows, int partition, String modelKey,
      Supplier<byte[]> modelFile, ColumnSpec features, int[] featureShape, ColumnSpec label,
      int[] labelShape, int batchSize, BadRowPolicy policy) {
    Model model = WorkerModels.borrow(modelKey, modelFile);
    RowBatcher batcher = new RowBatcher(rows, features, featureShape, label, labelShape,
        batchSize, policy);
    long[] samples = new long[1];
    Iterable<Batch> data = () -> new Iterator<>() {
      @Override
      public boolean hasNext() {
        return batcher.hasNext();
      }

      @Override
      public Batch next() {
        Batch b = batcher.next();
        samples[0] += b.size();
        return b;
      }
    };
    Map<String, Double> logs = model.evaluate(data);
    WorkerModels.release(modelKey, model);
    return new EpochResult(partition, 0, samples[0], batcher.rowsSkipped(), logs);
  }

  /**
   * The input rows, each followed by the model's outputs: one float column when an output has
   * one value per sample, else an {@code array<float>} column (one column per model output).
   */
  public static Iterator<InternalRow> predict(Iterator<InternalRow> rows, DataType[] inputTypes,
      String modelKey, Supplier<byte[]> modelFile, ColumnSpec features, int[] featureShape,
      int batchSize, boolean[] scalarOutputs) {
    return new Iterator<>() {
      final List<InternalRow> held = new ArrayList<>(batchSize);
      final Iterator<InternalRow> tee = new Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public InternalRow next() {
          InternalRow r = rows.next();
          held.add(r.copy());
          return r;
        }
      };
      final RowBatcher batcher = new RowBatcher(tee, features, featureShape, null, null,
          batchSize, BadRowPolicy.FAIL);
      List<NDArray> out;
      int cursor;
      int size;

      @Override
      public boolean hasNext() {
        if (cursor < size) {
          return true;
        }
        held.clear();
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
        InternalRow in = held.get(cursor);
        Object[] values = new Object[inputTypes.length + out.size()];
        for (int i = 0; i < inputTypes.length; i++) {
          values[i] = in.isNullAt(i) ? null : in.get(i, inputTypes[i]);
        }
        for (int o = 0; o < out.size(); o++) {
          NDArray a = out.get(o);
          int per = a.sampleSize();
          int from = a.offset() + cursor * per;
          if (scalarOutputs[o]) {
            values[inputTypes.length + o] = a.data()[from];
          } else {
            float[] v = new float[per];
            System.arraycopy(a.data(), from, v, 0, per);
            values[inputTypes.length + o] = UnsafeArrayData.fromPrimitiveArray(v);
          }
        }
        cursor++;
        return new GenericInternalRow(values);
      }
    };
  }
}
