package io.sparkeras.driver;

import io.sparkeras.worker.BadRowPolicy;
import io.sparkeras.worker.ColumnSpec;
import io.sparkeras.worker.EpochResult;
import io.sparkeras.worker.Scoring;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.api.java.function.PairFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;
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

  /** A copy of each row (Spark reuses the row objects it hands out). */
  static final class CopyRow implements Function<InternalRow, InternalRow> {
    private static final long serialVersionUID = 1L;

    @Override
    public InternalRow call(InternalRow r) {
      return r.copy();
    }
  }

  /** {@code (row, index)} to {@code (index, row)}. */
  static final class IndexFirst implements PairFunction<Tuple2<InternalRow, Long>, Long, InternalRow> {
    private static final long serialVersionUID = 1L;

    @Override
    public Tuple2<Long, InternalRow> call(Tuple2<InternalRow, Long> t) {
      return new Tuple2<>(t._2(), t._1());
    }
  }

  /** Loss and metrics of one partition. */
  static final class Evaluate implements Function2<Integer, Iterator<InternalRow>, Iterator<EpochResult>> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<byte[]> model;
    private final String key;
    private final ColumnSpec features;
    private final int[] featureShape;
    private final ColumnSpec label;
    private final int[] labelShape;
    private final int batchSize;
    private final BadRowPolicy policy;
    private final boolean gather;

    Evaluate(Broadcast<byte[]> model, String key, ColumnSpec features, int[] featureShape,
        ColumnSpec label, int[] labelShape, int batchSize, BadRowPolicy policy, boolean gather) {
      this.gather = gather;
      this.model = model;
      this.key = key;
      this.features = features;
      this.featureShape = featureShape;
      this.label = label;
      this.labelShape = labelShape;
      this.batchSize = batchSize;
      this.policy = policy;
    }

    @Override
    public Iterator<EpochResult> call(Integer partition, Iterator<InternalRow> rows) {
      Broadcast<byte[]> m = model;
      return List.of(Scoring.evaluate(rows, partition, key, m::value, features, featureShape,
          label, labelShape, batchSize, policy, gather)).iterator();
    }
  }

  /** Input rows plus prediction columns. */
  static final class Predict implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<byte[]> model;
    private final String key;
    private final ColumnSpec features;
    private final int[] featureShape;
    private final int batchSize;
    private final boolean[] scalarOutputs;

    Predict(Broadcast<byte[]> model, String key, ColumnSpec features, int[] featureShape,
        int batchSize, boolean[] scalarOutputs) {
      this.model = model;
      this.key = key;
      this.features = features;
      this.featureShape = featureShape;
      this.batchSize = batchSize;
      this.scalarOutputs = scalarOutputs;
    }

    @Override
    public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
      Broadcast<byte[]> m = model;
      return Scoring.predict(rows, key, m::value, features, featureShape, batchSize,
          scalarOutputs);
    }
  }
}
