package io.sparkeras.bench;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.data.Columns;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.optimizers.Adam;
import io.sparkeras.api.utils.FeatureSpace;
import io.sparkeras.api.utils.FeatureSpaceBuilder;
import io.sparkeras.driver.SparkTrainer;
import io.sparkeras.driver.preprocessing.SparkAdapt;
import io.sparkeras.ps.SyncMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Training throughput with the preprocessing inside the model against pre-materialised features:
 * the same 10 raw columns of {@link PreprocessingBench#table}, a FeatureSpace (hashed where a
 * vocabulary would make the one-hot vector wide) and the same 2-layer head, fitted by
 * {@link SparkTrainer} (sync, one worker per core) once on the raw columns (the executors run the
 * FeatureSpace's layers on every row of every epoch) and once on an {@code array<float>} column
 * holding exactly what those layers give, encoded once beforehand. Epoch time after the first.
 */
final class PreprocessingFitBench {
  private PreprocessingFitBench() {}

  static FeatureSpace featureSpace() {
    FeatureSpaceBuilder b = FeatureSpace.builder()
        .feature("job", FeatureSpace.stringCategorical())
        .feature("city", FeatureSpace.stringHashed(64))
        .feature("zip", FeatureSpace.stringHashed(64));
    for (String s : PreprocessingBench.INTS) {
      b.feature(s, FeatureSpace.integerCategorical());
    }
    for (String s : PreprocessingBench.FLOATS) {
      b.feature(s, FeatureSpace.floatNormalized());
    }
    for (String s : PreprocessingBench.BINNED) {
      b.feature(s, FeatureSpace.floatDiscretized(16));
    }
    return b.build();
  }

  private static Model head(Model m) {
    m.compile(new Adam(1e-3), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
    return m;
  }

  /**
   * Runs the comparison {@code repeats} times, the two sides taking turns (so a load change on
   * the machine hits both), and keeps each side's best; returns the JSON fields of its figures.
   */
  static String run(SparkSession spark, long rows, int cores, int epochs, int batch,
      int repeats) {
    Sparkeras.backend().setThreads(1); // each task: one intra-op thread
    Dataset<Row> raw = PreprocessingBench.table(spark, rows).repartition(cores).cache();
    raw.count();
    FeatureSpace fs = SparkAdapt.adapt(featureSpace(), raw);
    Model inside = head(new Model(fs.inputList(), List.of(new Dense(2).activation("softmax")
        .apply(new Dense(64).activation("relu").apply(fs.encodedFeatures())))));
    Dataset<Row> encoded = materialise(spark, raw, fs, inside, cores);
    int width = inside.inputShapes().get(0)[0];
    Model outside = head(new Sequential(Input.of(width), new Dense(64).activation("relu"),
        new Dense(2).activation("softmax")));

    double in = 0;
    double out = 0;
    for (int rep = 0; rep < repeats; rep++) {
      SparkFitBench.EpochTimer tIn = new SparkFitBench.EpochTimer();
      SparkTrainer.of(spark, inside).workers(cores).mode(SyncMode.SYNC).fit(raw, fs.columns(),
          "label", FitOptions.epochs(epochs).batchSize(batch).verbose(0).callbacks(tIn), null);
      SparkFitBench.EpochTimer tOut = new SparkFitBench.EpochTimer();
      SparkTrainer.of(spark, outside).workers(cores).mode(SyncMode.SYNC).fit(encoded,
          List.of("features"), "label",
          FitOptions.epochs(epochs).batchSize(batch).verbose(0).callbacks(tOut), null);
      System.err.printf(Locale.ROOT, "training run %d: inside %.0f, pre-materialised %.0f "
          + "samples/s%n", rep, rows / tIn.meanAfterFirst(), rows / tOut.meanAfterFirst());
      in = Math.max(in, rows / tIn.meanAfterFirst());
      out = Math.max(out, rows / tOut.meanAfterFirst());
    }
    System.out.printf(Locale.ROOT, "training, %d rows, encoded width %d, head %d-64-2, global "
        + "batch %d, %d sync workers, %d epochs (first excluded), best of %d%n", rows, width,
        width, batch, cores, epochs, repeats);
    System.out.printf(Locale.ROOT, "preprocessing inside the model (raw columns): %8.0f "
        + "samples/s%n", in);
    System.out.printf(Locale.ROOT, "pre-materialised features (array<float>):     %8.0f "
        + "samples/s%n", out);
    System.out.printf(Locale.ROOT, "ratio inside / pre-materialised: %.2f (target >= 0.8)%n",
        in / out);
    return String.format(Locale.ROOT, "\"train_rows\": %d, \"encoded_width\": %d, "
        + "\"inside_samples_per_s\": %.0f, \"materialised_samples_per_s\": %.0f, "
        + "\"train_ratio\": %.2f", rows, width, in, out, in / out);
  }

  /**
   * The encoded table: the raw rows collected to the driver (the table is a benchmark's size),
   * encoded by the model's own host prefix, back as {@code features array<float>, label int}.
   */
  private static Dataset<Row> materialise(SparkSession spark, Dataset<Row> raw, FeatureSpace fs,
      Model model, int cores) {
    List<Row> all = raw.collectAsList();
    int n = all.size();
    Columns cols = null;
    StructType schema = raw.schema();
    for (String c : fs.columns()) {
      int at = schema.fieldIndex(c);
      Object values = column(all, at, schema.fields()[at].dataType().typeName(), n);
      cols = cols == null ? Columns.of(c, values) : cols.with(c, values);
    }
    NDArray x = model.hostPlan().encode(cols, false, 0).get(0);
    float[] flat = x.toArray();
    int w = flat.length / n;
    int label = schema.fieldIndex("label");
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[] f = java.util.Arrays.copyOfRange(flat, i * w, (i + 1) * w);
      Float[] boxed = new Float[w];
      for (int k = 0; k < w; k++) {
        boxed[k] = f[k];
      }
      rows.add(RowFactory.create(boxed, all.get(i).getInt(label)));
    }
    Dataset<Row> df = spark.createDataFrame(rows,
        StructType.fromDDL("features array<float>, label int")).repartition(cores).cache();
    df.count();
    return df;
  }

  private static Object column(List<Row> rows, int at, String type, int n) {
    switch (type) {
      case "string": {
        String[] v = new String[n];
        for (int i = 0; i < n; i++) {
          v[i] = rows.get(i).getString(at);
        }
        return v;
      }
      case "integer": case "long": {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
          v[i] = ((Number) rows.get(i).get(at)).longValue();
        }
        return v;
      }
      default: {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
          v[i] = ((Number) rows.get(i).get(at)).doubleValue();
        }
        return v;
      }
    }
  }
}
