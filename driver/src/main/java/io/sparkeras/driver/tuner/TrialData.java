package io.sparkeras.driver.tuner;

import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.models.Model;
import io.sparkeras.driver.ColumnResolver;
import io.sparkeras.driver.SparkInternals;
import io.sparkeras.driver.TrainerSettings;
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
 * TrialData data = TrialData.prepare(probe, settings, train, validation, "features", "label", 2);
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
   * Checks both tables against {@code probe} with the trainer's {@link ColumnResolver} (errors
   * name the column), caches the training table as {@code shards} partitions and collects the
   * validation table (null: none).
   */
  static TrialData prepare(Model probe, TrainerSettings settings, Dataset<Row> train,
      Dataset<Row> validation, String featuresCol, String labelCol, int shards) {
    ColumnResolver resolver = new ColumnResolver(probe, settings);
    ColumnResolver.Columns t = resolver.select(train, List.of(featuresCol), labelCol);
    ColumnResolver.Columns v = validation == null ? null
        : resolver.select(validation, List.of(featuresCol), labelCol);
    if (t.features().isRaw()) {
      throw new IllegalArgumentException("features '" + featuresCol + "': the tuner trains on "
          + "numeric feature columns; a model with preprocessing layers over raw columns is not "
          + "supported by the tuner yet (adapt and encode the features first)");
    }
    if (t.layout().inputCount() != 1 || t.layout().targetCount() != 1) {
      throw new IllegalArgumentException("features '" + featuresCol + "', label '" + labelCol
          + "': the tuner trains models with one input and one output; this one has "
          + t.layout().inputCount() + " inputs and " + t.layout().targetCount() + " outputs");
    }
    Dataset<Row> cached = t.frame().repartition(shards).persist(StorageLevel.MEMORY_AND_DISK());
    if (cached.count() == 0) {
      cached.unpersist(false);
      throw new IllegalArgumentException("the training table has no rows");
    }
    Validation collected = v == null ? null
        : collect(v, settings.get(TrainerSettings.BAD_ROWS));
    return new TrialData(t.features().numeric(), t.features().shape(), t.label(), t.labelShape(), cached,
        collected);
  }

  private static int product(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  private static Validation collect(ColumnResolver.Columns c, BadRowPolicy badRows) {
    ColumnSpec f = c.features().numeric();
    int[] fShape = c.features().shape();
    ColumnSpec l = c.label();
    int[] lShape = c.labelShape();
    FlatMapFunction<Iterator<InternalRow>, float[][]> read = rows -> {
      PartitionArrays a = PartitionArrays.read(rows, f, fShape, l, lShape, badRows);
      List<float[][]> one = new ArrayList<>();
      one.add(new float[][] {a.x().toArray(), a.y().toArray()});
      return one.iterator();
    };
    List<float[][]> parts = rows(c.frame()).mapPartitions(read).collect();
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
    return rows(cached);
  }

  private static JavaRDD<InternalRow> rows(Dataset<Row> df) {
    return new JavaRDD<>(SparkInternals.rows(df),
        scala.reflect.ClassTag$.MODULE$.apply(InternalRow.class));
  }

  @Override
  public void close() {
    cached.unpersist(false);
  }
}
