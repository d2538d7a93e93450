package io.sparkeras.driver.tuner;

import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.losses.SparseCategoricalCrossentropy;
import io.sparkeras.api.models.Model;
import io.sparkeras.driver.SparkTrainer;
import io.sparkeras.worker.BadRowPolicy;
import io.sparkeras.worker.ColumnSpec;
import io.sparkeras.worker.tuner.PartitionArrays;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.storage.StorageLevel;

/**
 * The tables of a search, prepared once: the columns checked against a model built with the
 * default hyperparameters (every trial's model must have the same input and output shapes), the
 * training table split into cached shards (a trial trains on one), and the validation table
 * collected into arrays that every trial validates on.
 *
 * <pre>{@code
 * TrialData data = TrialData.prepare(probe, train, validation, "features", "label", 2, FAIL);
 * JavaRDD<InternalRow> shard = data.shards();
 * }</pre>
 */
final class TrialData implements AutoCloseable {
  /** The validation arrays, as broadcast to the trials. */
  static final class Validation implements Serializable {
    private static final long serialVersionUID = 1L;
    final float[] x;
    final int[] xShape;
    final float[] y;
    final int[] yShape;

    Validation(float[] x, int[] xShape, float[] y, int[] yShape) {
      this.x = x;
      this.xShape = xShape;
      this.y = y;
      this.yShape = yShape;
    }

    NDArray xs() {
      return NDArray.of(x, xShape);
    }

    NDArray ys() {
      return NDArray.of(y, yShape);
    }
  }

  final ColumnSpec features;
  final int[] featureShape;
  final ColumnSpec label;
  final int[] labelShape;
  final Dataset<Row> cached;
  final Validation validation;

  private TrialData(ColumnSpec features, int[] featureShape, ColumnSpec label, int[] labelShape,
      Dataset<Row> cached, Validation validation) {
    this.features = features;
    this.featureShape = featureShape;
    this.label = label;
    this.labelShape = labelShape;
    this.cached = cached;
    this.validation = validation;
  }

  /**
   * Checks both tables against {@code probe} (errors name the column), caches the training
   * table as {@code shards} partitions and collects the validation table (null: none).
   */
  static TrialData prepare(Model probe, Dataset<Row> train, Dataset<Row> validation,
      String featuresCol, String labelCol, int shards, BadRowPolicy badRows) {
    SparkTrainer checker = SparkTrainer.of(train.sparkSession(), probe);
    checker.validate(train, featuresCol, labelCol);
    if (validation != null) {
      checker.validate(validation, featuresCol, labelCol);
    }
    int[] in = probe.inputShapes().get(0);
    int[] out = probe.outputShapes().get(0);
    Dataset<Row> selected = train.select(train.col("`" + featuresCol + "`"),
        train.col("`" + labelCol + "`"));
    ColumnSpec f = ColumnSpec.resolve(selected.schema(), "features", List.of(featuresCol), 0,
        null).withWidth(product(in));
    ColumnSpec l = ColumnSpec.resolve(selected.schema(), "label", List.of(labelCol), 0, null);
    boolean sparse = probe.getLosses().get(0) instanceof SparseCategoricalCrossentropy;
    int[] labelShape = l.kind() == ColumnSpec.Kind.NUMERIC && sparse ? new int[0] : out.clone();
    if (l.width() < 0) {
      l = l.withWidth(product(labelShape));
    }
    Dataset<Row> cached = selected.repartition(shards).persist(StorageLevel.MEMORY_AND_DISK());
    long rows = cached.count();
    if (rows == 0) {
      throw new IllegalArgumentException("the training table has no rows");
    }
    Validation v = validation == null ? null
        : collect(validation.select(validation.col("`" + featuresCol + "`"),
            validation.col("`" + labelCol + "`")), f, in, l, labelShape, badRows);
    return new TrialData(f, in, l, labelShape, cached, v);
  }

  private static int product(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  private static Validation collect(Dataset<Row> df, ColumnSpec f, int[] fShape, ColumnSpec l,
      int[] lShape, BadRowPolicy badRows) {
    FlatMapFunction<Iterator<InternalRow>, float[][]> read = rows -> {
      PartitionArrays a = PartitionArrays.read(rows, f, fShape, l, lShape, badRows);
      List<float[][]> one = new ArrayList<>();
      one.add(new float[][] {a.x().toArray(), a.y().toArray()});
      return one.iterator();
    };
    List<float[][]> parts = new JavaRDD<>(df.queryExecution().toRdd(),
        scala.reflect.ClassTag$.MODULE$.apply(InternalRow.class)).mapPartitions(read).collect();
    int fw = product(fShape);
    int n = 0;
    for (float[][] p : parts) {
      n += p[0].length / fw;
    }
    float[] x = new float[n * fw];
    float[] y = new float[n * product(lShape)];
    int xa = 0;
    int ya = 0;
    for (float[][] p : parts) {
      System.arraycopy(p[0], 0, x, xa, p[0].length);
      System.arraycopy(p[1], 0, y, ya, p[1].length);
      xa += p[0].length;
      ya += p[1].length;
    }
    return new Validation(x, prepend(n, fShape), y, prepend(n, lShape));
  }

  private static int[] prepend(int n, int[] shape) {
    int[] s = new int[shape.length + 1];
    s[0] = n;
    System.arraycopy(shape, 0, s, 1, shape.length);
    return s;
  }

  /** The cached training rows, one partition per shard. */
  JavaRDD<InternalRow> shards() {
    return new JavaRDD<>(cached.queryExecution().toRdd(),
        scala.reflect.ClassTag$.MODULE$.apply(InternalRow.class));
  }

  @Override
  public void close() {
    cached.unpersist(false);
  }
}
