package io.sparkeras.driver;

import io.sparkeras.worker.BadRowPolicy;
import io.sparkeras.worker.BatchLayout;
import io.sparkeras.worker.EpochResult;
import io.sparkeras.worker.RowPlan;
import io.sparkeras.worker.Scoring;
import io.sparkeras.worker.ValidationSplit;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.util.collection.unsafe.sort.RecordComparator;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/** The small named functions the driver ships to executors (no driver objects inside). */
final class PartitionFunctions {
  private PartitionFunctions() {}

  /** Rows per partition. */
  static final class CountRows implements Function2<Integer, Iterator<InternalRow>, Iterator<long[]>> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<long[]> call(Integer partition, Iterator<InternalRow> rows) {
      long n = 0;
      while (rows.hasNext()) {
        rows.next();
        n++;
      }
      return List.of(new long[] {partition, n}).iterator();
    }
  }

  /** What becomes of a kept row: it and its index in the whole DataFrame. */
  interface IndexedRow<T> {
    T apply(long index, InternalRow row);
  }

  /**
   * The rows of a partition whose index (counted from {@code first}) passes {@code keep}, each
   * as {@code out} makes it.
   */
  static <T> Iterator<T> keep(Iterator<InternalRow> rows, long first,
      java.util.function.LongPredicate keep, IndexedRow<T> out) {
    return new Iterator<>() {
      long at = first;
      InternalRow next;
      long nextIndex;

      @Override
      public boolean hasNext() {
        while (next == null && rows.hasNext()) {
          InternalRow r = rows.next();
          long i = at++;
          if (keep.test(i)) {
            next = r;
            nextIndex = i;
          }
        }
        return next != null;
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        InternalRow r = next;
        next = null;
        return out.apply(nextIndex, r);
      }
    };
  }

  /**
   * The training rows of one input partition as {@code (index, copy of the row)}: the index in
   * the training set's numbering (input partition k's rows start at {@code offsets[k]}, its
   * training rows at {@code trainOffsets[k]}); rows a validation split holds out are left out.
   */
  static final class IndexTrainingRows implements
      Function2<Integer, Iterator<InternalRow>, Iterator<Tuple2<Long, InternalRow>>> {
    private static final long serialVersionUID = 1L;
    private final long[] offsets;
    private final long[] trainOffsets;
    private final ValidationSplit split;

    IndexTrainingRows(long[] offsets, long[] trainOffsets, ValidationSplit split) {
      this.offsets = offsets;
      this.trainOffsets = trainOffsets;
      this.split = split;
    }

    @Override
    public Iterator<Tuple2<Long, InternalRow>> call(Integer partition, Iterator<InternalRow> rows) {
      long[] training = {trainOffsets[partition]};
      ValidationSplit s = split;
      // the deal's shuffle keeps the row: copy it (Spark reuses the objects it hands out)
      return keep(rows, offsets[partition], i -> s == null || !s.isValidation(i),
          (i, r) -> new Tuple2<>(training[0]++, r.copy()));
    }
  }

  /** The rows of one input partition that a validation split holds out. */
  static final class ValidationRows implements
      Function2<Integer, Iterator<InternalRow>, Iterator<InternalRow>> {
    private static final long serialVersionUID = 1L;
    private final long[] offsets;
    private final ValidationSplit split;

    ValidationRows(long[] offsets, ValidationSplit split) {
      this.offsets = offsets;
      this.split = split;
    }

    @Override
    public Iterator<InternalRow> call(Integer partition, Iterator<InternalRow> rows) {
      ValidationSplit s = split;
      return keep(rows, offsets[partition], s::isValidation, (i, r) -> r);
    }
  }

  /**
   * {@code (index, row)} to the row with its index appended as a last bigint column, each its
   * own {@code UnsafeRow} of {@code schema} (the dealt rows are cached for the fit's epochs).
   */
  static final class AppendIndex implements
      FlatMapFunction<Iterator<Tuple2<Long, InternalRow>>, InternalRow> {
    private static final long serialVersionUID = 1L;
    private final StructType schema;

    AppendIndex(StructType schema) {
      this.schema = schema;
    }

    @Override
    public Iterator<InternalRow> call(Iterator<Tuple2<Long, InternalRow>> rows) {
      GenericInternalRow index = new GenericInternalRow(1);
      JoinedRow joined = new JoinedRow();
      UnsafeProjection unsafe = UnsafeProjection.create(schema);
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public InternalRow next() {
          Tuple2<Long, InternalRow> t = rows.next();
          index.setLong(0, t._1());
          return unsafe.apply(joined.apply(t._2(), index)).copy();
        }
      };
    }
  }

  /**
   * One worker's rows, cached in index order, into epoch {@code epochSeed}'s order: by {@link
   * RowPlan#orderKey}, ties by index (the order {@code sortWithinPartitions(xxhash64(seed,
   * index), index)} gives), sorted inside the task ({@link SparkInternals#sortInTask}: no query
   * to plan per epoch on the driver). The index is the rows' last column.
   */
  static final class SortByEpochKey implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
    private static final long serialVersionUID = 1L;
    private final StructType schema;
    private final long epochSeed;

    SortByEpochKey(StructType schema, long epochSeed) {
      this.schema = schema;
      this.epochSeed = epochSeed;
    }

    @Override
    public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
      int fields = schema.length();
      long seed = epochSeed;
      return SparkInternals.sortInTask(rows, schema,
          r -> RowPlan.orderKey(seed, r.getLong(fields - 1)),
          () -> new EpochKeyComparator(fields, seed));
    }
  }

  /** Compares two rows in the sorter's memory by their epoch key, then their index (last field). */
  static final class EpochKeyComparator extends RecordComparator {
    private final UnsafeRow left;
    private final UnsafeRow right;
    private final int index;
    private final long seed;

    EpochKeyComparator(int fields, long seed) {
      this.left = new UnsafeRow(fields);
      this.right = new UnsafeRow(fields);
      this.index = fields - 1;
      this.seed = seed;
    }

    @Override
    public int compare(Object leftBase, long leftOffset, int leftLength, Object rightBase,
        long rightOffset, int rightLength) {
      left.pointTo(leftBase, leftOffset, leftLength);
      right.pointTo(rightBase, rightOffset, rightLength);
      long l = left.getLong(index);
      long r = right.getLong(index);
      int byKey = Long.compare(RowPlan.orderKey(seed, l), RowPlan.orderKey(seed, r));
      return byKey != 0 ? byKey : Long.compare(l, r);
    }
  }

  /** Loss and metric states of one partition. */
  static final class Evaluate implements Function2<Integer, Iterator<InternalRow>, Iterator<EpochResult>> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<byte[]> model;
    private final String key;
    private final BatchLayout layout;
    private final int batchSize;
    private final BadRowPolicy policy;

    Evaluate(Broadcast<byte[]> model, String key, BatchLayout layout, int batchSize,
        BadRowPolicy policy) {
      this.model = model;
      this.key = key;
      this.layout = layout;
      this.batchSize = batchSize;
      this.policy = policy;
    }

    @Override
    public Iterator<EpochResult> call(Integer partition, Iterator<InternalRow> rows) {
      Broadcast<byte[]> m = model;
      return List.of(Scoring.evaluate(rows, partition, key, m::value, layout, batchSize, policy))
          .iterator();
    }
  }

  /** Input rows plus prediction columns. */
  static final class Predict implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<byte[]> model;
    private final String key;
    private final BatchLayout layout;
    private final int batchSize;
    private final boolean[] scalarOutputs;

    Predict(Broadcast<byte[]> model, String key, BatchLayout layout, int batchSize,
        boolean[] scalarOutputs) {
      this.model = model;
      this.key = key;
      this.layout = layout;
      this.batchSize = batchSize;
      this.scalarOutputs = scalarOutputs;
    }

    @Override
    public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
      Broadcast<byte[]> m = model;
      return Scoring.predict(rows, key, m::value, layout, batchSize, scalarOutputs);
    }
  }
}
