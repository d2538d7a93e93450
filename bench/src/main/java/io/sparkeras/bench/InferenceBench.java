package io.sparkeras.bench;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.datasets.FashionMnist;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.optimizers.Adam;
import io.sparkeras.driver.ml.KerasModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.VoidFunction;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.Platform;

/**
 * Batch-inference throughput (rows/s) of the MLP 784-512-256-10 over Fashion-MNIST-shaped rows
 * (784 floats) read from Parquet on a local[2] session:
 * <ol type="a">
 * <li>ours: {@code KerasModel.transform} (the path of {@code SparkTrainer.predict}), 2 tasks ×
 *     1 libtorch thread, forced with a {@code noop} write (every column, prediction included);</li>
 * <li>Spark MLlib: {@code MultilayerPerceptronClassificationModel.transform} with the same layer
 *     sizes (random weights) on a Vector column ({@code array_to_vector} of the same Parquet
 *     column), forced the same way; on the first {@code --mllib-rows} rows only (it is ~20×
 *     slower), written to their own Parquet file;</li>
 * <li>the engine alone: {@code model.predict} on in-memory batches with 2 threads;</li>
 * <li>Parquet decode alone: read the file and copy every row's features into a reused float
 *     buffer (what the scoring path does before the model).</li>
 * </ol>
 * Reports ours / min(engine, decode). The Parquet file (Debian's Fashion-MNIST training images
 * repeated to {@code --rows}, as {@code id bigint, pixels array<float>, label int}) is written
 * once to a temporary folder, removed at exit.
 *
 * <pre>{@code
 * bin/sparkeras bench inference [--rows 1000000] [--batch 1024] [--repeats 2]
 *     [--mllib-rows 20000] [--only a,b,c,d]
 * }</pre>
 *
 * Each case is warmed up once (a tenth of the rows), then the cases run {@code repeats} times,
 * interleaved; the best run of each counts. Ends with one JSON line.
 */
public final class InferenceBench {
  static final int[] LAYERS = {784, 512, 256, 10};

  private InferenceBench() {}

  /** Debian's Fashion-MNIST training images, loaded once per JVM (tasks run in this JVM). */
  static final class Images {
    static final float[] PIXELS;
    static final int[] LABELS;
    static final int N;

    static {
      try {
        FashionMnist.Data d = FashionMnist.load();
        NDArray x = FashionMnist.flatten(d.xTrain());
        PIXELS = Arrays.copyOfRange(x.data(), x.offset(), x.offset() + x.length() * 784);
        N = x.length();
        NDArray y = d.yTrain();
        LABELS = new int[N];
        for (int i = 0; i < N; i++) {
          LABELS[i] = (int) y.data()[y.offset() + i];
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Fashion-MNIST is needed (bin/setup --data-only installs "
            + "Debian's dataset-fashion-mnist): " + e.getMessage(), e);
      }
    }

    private Images() {}
  }

  /** Rows {@code [p * per, min(rows, (p + 1) * per))}: image {@code id % 60000}. */
  static final class Generate implements FlatMapFunction<Integer, Row> {
    private static final long serialVersionUID = 1L;
    private final long rows;
    private final long per;

    Generate(long rows, long per) {
      this.rows = rows;
      this.per = per;
    }

    @Override
    public Iterator<Row> call(Integer p) {
      long from = p * per;
      long to = Math.min(rows, from + per);
      return new Iterator<>() {
        long id = from;

        @Override
        public boolean hasNext() {
          return id < to;
        }

        @Override
        public Row next() {
          int img = (int) (id % Images.N);
          float[] px = Arrays.copyOfRange(Images.PIXELS, img * 784, img * 784 + 784);
          return RowFactory.create(id++, px, Images.LABELS[img]);
        }
      };
    }
  }

  /** Copies every row's features into a reused buffer; adds a checksum so nothing is skipped. */
  static final class Decode implements VoidFunction<Iterator<InternalRow>> {
    private static final long serialVersionUID = 1L;

    @Override
    public void call(Iterator<InternalRow> rows) {
      float[] buf = new float[784];
      double sum = 0;
      while (rows.hasNext()) {
        ArrayData a = rows.next().getArray(0);
        int n = a.numElements();
        if (a instanceof UnsafeArrayData) {
          UnsafeArrayData u = (UnsafeArrayData) a;
          Platform.copyMemory(u.getBaseObject(), u.getBaseOffset()
              + UnsafeArrayData.calculateHeaderPortionInBytes(n), buf, Platform.FLOAT_ARRAY_OFFSET,
              4L * n);
        } else {
          for (int i = 0; i < n; i++) {
            buf[i] = a.getFloat(i);
          }
        }
        sum += buf[n / 2];
      }
      if (sum < 0) {
        throw new IllegalStateException("negative pixels: " + sum);
      }
    }
  }

  static Model mlp() {
    Model m = new Sequential(Input.of(784), new Dense(512).activation("relu"),
        new Dense(256).activation("relu"), new Dense(10).activation("softmax"));
    m.compile(new Adam(1e-3), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
    return m;
  }

  /** One measured case: its warm-up, its timed run over {@code rows} rows, its rates. */
  static final class Case {
    final String key;
    final String name;
    final long rows;
    final int threads;
    final Runnable warmUp;
    final Runnable run;
    final List<Double> rates = new ArrayList<>();

    Case(String key, String name, long rows, int threads, Runnable warmUp, Runnable run) {
      this.key = key;
      this.name = name;
      this.rows = rows;
      this.threads = threads;
      this.warmUp = warmUp;
      this.run = run;
    }

    /** Prints the best and every rate; returns the best. */
    double report() {
      double best = rates.stream().mapToDouble(Double::doubleValue).max().orElse(0);
      List<String> all = new ArrayList<>();
      for (double r : rates) {
        all.add(String.format(Locale.ROOT, "%.0f", r));
      }
      System.out.printf(Locale.ROOT, "%-60s %8.0f rows/s  (runs: %s)%n", name, best, all);
      return best;
    }
  }

  static double seconds(Runnable r) {
    long t = System.nanoTime();
    r.run();
    return (System.nanoTime() - t) / 1e9;
  }

  static void noop(Dataset<Row> df) {
    df.write().format("noop").mode("overwrite").save();
  }

  public static void main(String[] args) throws IOException {
    long rows = 1_000_000;
    int batch = 1024;
    int repeats = 2;
    long mllibRows = 20_000;
    String only = "a,b,c,d";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rows": rows = Long.parseLong(args[++i]); break;
        case "--batch": batch = Integer.parseInt(args[++i]); break;
        case "--repeats": repeats = Integer.parseInt(args[++i]); break;
        case "--only": only = args[++i]; break;
        case "--mllib-rows": mllibRows = Long.parseLong(args[++i]); break;
        default:
          System.err.println("usage: bin/sparkeras bench inference [--rows N] [--batch B] "
              + "[--repeats R] [--mllib-rows M] [--only a,b,c,d]");
          System.exit(2);
      }
    }
    run(rows, batch, repeats, mllibRows, Arrays.asList(only.split(",")));
  }

  static void run(long rows, int batch, int repeats, long mllibRows, List<String> cases)
      throws IOException {
    Sparkeras.setRandomSeed(1);
    Model model = mlp();
    Path dir = Files.createTempDirectory("sparkeras-inference-bench-");
    SparkSession spark = SparkSession.builder().master("local[2]").appName("InferenceBench")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
    Map<String, Double> results = new LinkedHashMap<>();
    try {
      String parquet = dir.resolve("rows.parquet").toUri().toString();
      double writeS = seconds(() -> writeParquet(spark, parquet, rows));
      System.out.printf(Locale.ROOT, "%d rows (Fashion-MNIST train images repeated) written as "
          + "Parquet in %.1f s, %.0f MB; batch %d, local[2], nested vectorized reader %s%n", rows,
          writeS, size(dir) / 1e6, batch, spark.conf().get(
              "spark.sql.parquet.enableNestedColumnVectorizedReader"));
      long warm = Math.max(batch, rows / 10);
      Dataset<Row> all = spark.read().parquet(parquet);
      Dataset<Row> warmRows = all.limit((int) warm);
      int b = batch;
      List<Case> list = new ArrayList<>();
      if (cases.contains("d")) {
        Runnable decode = () -> all.select("pixels").queryExecution().toRdd().toJavaRDD()
            .foreachPartition(new Decode());
        list.add(new Case("parquet_decode", "(d) Parquet decode (read + copy features)", rows,
            1, decode, decode));
      }
      if (cases.contains("a")) {
        // 2 tasks x 1 intra-op thread on 2 cores
        KerasModel ours = KerasModel.of(model).setFeaturesCol("pixels").setScoringBatchSize(b);
        list.add(new Case("ours", "(a) ours: KerasModel.transform, noop write", rows, 1,
            () -> noop(ours.transform(warmRows)), () -> noop(ours.transform(all))));
      }
      if (cases.contains("b")) {
        // MLlib scores ~1k rows/s here: it runs on the first mllibRows rows (own Parquet file)
        long n = Math.min(rows, mllibRows);
        String sample = n == rows ? parquet : dir.resolve("mllib.parquet").toUri().toString();
        if (n < rows) {
          writeParquet(spark, sample, n);
        }
        Dataset<Row> in = spark.read().parquet(sample);
        Dataset<Row> vectors = in.withColumn("features",
            org.apache.spark.ml.functions.array_to_vector(in.col("pixels")));
        MultilayerPerceptronClassificationModel mllib = mllibModel(spark);
        list.add(new Case("mllib", "(b) MLlib MultilayerPerceptron transform, noop"
            + (n < rows ? " (" + n + " rows)" : ""), n, 1,
            () -> noop(mllib.transform(vectors.limit((int) Math.max(1000, n / 20)))),
            () -> noop(mllib.transform(vectors))));
      }
      if (cases.contains("c")) {
        NDArray x = NDArray.of(Images.PIXELS, Images.N, 784);
        long passes = Math.max(1, Math.min(rows, 240_000) / Images.N);
        list.add(new Case("engine_forward", "(c) engine forward, model.predict, 2 threads",
            passes * Images.N, 2, () -> model.predict(x, b), () -> {
              for (int p = 0; p < passes; p++) {
                model.predict(x, b);
              }
            }));
      }
      // interleaved, so that a change in the machine's load hits every case alike
      for (Case c : list) {
        Sparkeras.backend().setThreads(c.threads);
        c.warmUp.run();
      }
      for (int r = 0; r < repeats; r++) {
        for (Case c : list) {
          Sparkeras.backend().setThreads(c.threads);
          c.rates.add(c.rows / seconds(c.run));
        }
      }
      for (Case c : list) {
        results.put(c.key, c.report());
      }
      if (results.containsKey("ours") && results.containsKey("engine_forward")
          && results.containsKey("parquet_decode")) {
        double bound = Math.min(results.get("engine_forward"), results.get("parquet_decode"));
        results.put("ours_over_bound", results.get("ours") / bound);
        double serial = 1 / (1 / results.get("engine_forward") + 1 / results.get("parquet_decode"));
        System.out.printf(Locale.ROOT, "ours / min(engine, decode) = %.2f (target >= 0.8); "
            + "decode then forward on the same cores would give %.0f rows/s (%.2f)%n",
            results.get("ours_over_bound"), serial, serial / bound);
      }
      if (results.containsKey("ours") && results.containsKey("mllib")) {
        System.out.printf(Locale.ROOT, "ours / MLlib = %.2f%n",
            results.get("ours") / results.get("mllib"));
      }
      System.out.println(json(rows, batch, results));
    } finally {
      spark.stop();
      deleteTree(dir);
    }
  }

  /** Fashion-MNIST train images repeated to {@code rows} rows, >= 2 files of <= 62,500 rows. */
  static void writeParquet(SparkSession spark, String path, long rows) {
    int parts = (int) Math.max(2, (rows + 62_499) / 62_500);
    long per = (rows + parts - 1) / parts;
    List<Integer> ids = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      ids.add(p);
    }
    StructType schema = StructType.fromDDL("id bigint, pixels array<float>, label int");
    spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(ids, parts).flatMap(new Generate(rows, per)), schema).write().parquet(path);
  }

  static String json(long rows, int batch, Map<String, Double> results) {
    StringBuilder s = new StringBuilder("{\"rows\": " + rows + ", \"batch\": " + batch);
    for (Map.Entry<String, Double> e : results.entrySet()) {
      s.append(String.format(Locale.ROOT, e.getKey().equals("ours_over_bound") ? ", \"%s\": %.3f"
          : ", \"%s\": %.0f", e.getKey(), e.getValue()));
    }
    return s.append('}').toString();
  }

  /** The MLlib MLP with our layer sizes: one iteration on 100 random rows (weights ~ random). */
  static MultilayerPerceptronClassificationModel mllibModel(SparkSession spark) {
    SplittableRandom r = new SplittableRandom(5);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      double[] v = new double[784];
      for (int j = 0; j < v.length; j++) {
        v[j] = r.nextDouble();
      }
      Vector vec = Vectors.dense(v);
      rows.add(RowFactory.create(vec, (double) (i % 10)));
    }
    StructType schema = new StructType(new StructField[] {
        new StructField("features", new VectorUDT(), false, Metadata.empty()),
        new StructField("label", DataTypes.DoubleType, false, Metadata.empty())});
    return new MultilayerPerceptronClassifier().setLayers(LAYERS).setMaxIter(1).setSeed(7)
        .fit(spark.createDataFrame(rows, schema));
  }

  static long size(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
