package io.sparkeras.driver;

import io.sparkeras.api.callbacks.Callback;
import io.sparkeras.api.callbacks.History;
import io.sparkeras.api.callbacks.ProgressBar;
import io.sparkeras.api.losses.SparseCategoricalCrossentropy;
import io.sparkeras.api.metrics.AUC;
import io.sparkeras.api.metrics.Metric;
import io.sparkeras.api.metrics.Precision;
import io.sparkeras.api.metrics.Recall;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.saving.Registry;
import io.sparkeras.core.optim.schedules.LearningRateSchedule;
import io.sparkeras.core.optim.schedules.Schedules;
import io.sparkeras.ps.ParameterServer;
import io.sparkeras.ps.ParameterServerContext;
import io.sparkeras.ps.TrainingMode;
import io.sparkeras.ps.server.ShardCounter;
import io.sparkeras.worker.BadRowException;
import io.sparkeras.worker.BadRowPolicy;
import io.sparkeras.worker.ColumnSpec;
import io.sparkeras.worker.EpochResult;
import io.sparkeras.worker.EpochTask;
import io.sparkeras.worker.TrainSpec;
import io.sparkeras.worker.WorkerModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.PairFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Distributed {@code fit}, {@code evaluate} and {@code predict} of a compiled Sparkeras model
 * over Spark DataFrames, with the workers synchronised through a parameter server embedded in the
 * driver JVM.
 *
 * <pre>{@code
 * SparkTrainer trainer = SparkTrainer.of(spark, model).workers(4).mode(SyncMode.SYNC)
 *     .checkpointDir("hdfs://nn/jobs/mnist/ckpt");
 * History h = trainer.fit(train, "pixels", "label", FitOptions.epochs(5).batchSize(256), test);
 * Map<String, Double> scores = trainer.evaluate(test, "pixels", "label");
 * Dataset<Row> scored = trainer.predict(test);           // all columns + "prediction"
 * }</pre>
 *
 * <p>Each epoch is one barrier stage of {@code workers} tasks. Settings also come from the Spark
 * conf ({@code spark.sparkeras.*}, see the constants); the fluent setters override them.
 */
public final class SparkTrainer {
  /** Number of workers (barrier tasks, one partition each). Default 2. */
  public static final String WORKERS_KEY = "spark.sparkeras.workers";
  /** {@code sync} (default), {@code async:S} or {@code averaging:K}. */
  public static final String MODE_KEY = "spark.sparkeras.mode";
  /** Hadoop path where a checkpoint is written after every epoch. Default none. */
  public static final String CHECKPOINT_DIR_KEY = "spark.sparkeras.checkpointDir";
  /** Rows that cannot be read: {@code fail} (default) or {@code skip}. */
  public static final String BAD_ROWS_KEY = "spark.sparkeras.badRows";
  /** {@code true}: batches follow the DataFrame's row order (as a local shuffle=false fit). */
  public static final String PRESERVE_ROW_ORDER_KEY = "spark.sparkeras.preserveRowOrder";
  /** Batch size of distributed evaluate and predict. Default 256. */
  public static final String SCORING_BATCH_KEY = "spark.sparkeras.scoringBatchSize";
  /** Address the embedded parameter server binds; default spark.driver.host, else 127.0.0.1. */
  public static final String PS_HOST_KEY = "spark.sparkeras.ps.host";
  /** UDP port of the parameter server; 0 (default) picks a free one. */
  public static final String PS_PORT_KEY = "spark.sparkeras.ps.port";
  /** Parameter-server shards (threads). Default 1. */
  public static final String PS_SHARDS_KEY = "spark.sparkeras.ps.shards";
  /**
   * How long a worker waits for the parameter server before its task fails, ms (default 120000);
   * a sync step waits three times as long for missing workers, so that a retried stage can
   * replay its steps before the server gives the job up.
   */
  public static final String PS_TIMEOUT_KEY = "spark.sparkeras.ps.timeoutMs";
  /** Aeron term length of every channel. Default 4 MiB. */
  public static final String PS_TERM_LENGTH_KEY = "spark.sparkeras.ps.termLength";
  /** Aeron MTU. Default the parameter server's (65504). */
  public static final String PS_MTU_KEY = "spark.sparkeras.ps.mtu";
  /** Workers on the driver's host reach the server over shared memory (default true). */
  public static final String PS_IPC_KEY = "spark.sparkeras.ps.ipc";

  private static final ClassTag<EpochResult> RESULT_TAG = ClassTag$.MODULE$.apply(EpochResult.class);

  private final SparkSession spark;
  private final Model model;
  private int workers;
  private SyncMode mode;
  private String checkpointDir;
  private boolean resume;
  private List<String> featuresCols = List.of("features");
  private String labelCol = "label";
  private String predictionCol = "prediction";
  private BadRowPolicy badRows;
  private boolean preserveRowOrder;
  private int[] binaryShape;
  private ColumnSpec.BinaryEncoding binaryEncoding = ColumnSpec.BinaryEncoding.UINT8;
  private int scoringBatchSize;
  private String psHost;
  private int psPort;
  private int psShards;
  private long timeoutMs;
  private int termLength;
  private int mtu;
  private String failAt;
  private boolean ipc;
  private volatile List<EpochResult> lastEpoch = List.of();

  private SparkTrainer(SparkSession spark, Model model) {
    this.spark = spark;
    this.model = model;
    org.apache.spark.SparkConf conf = spark.sparkContext().getConf();
    workers = intKey(conf, WORKERS_KEY, 2);
    mode = SyncMode.parse(conf.get(MODE_KEY, "sync"));
    checkpointDir = conf.get(CHECKPOINT_DIR_KEY, null);
    String bad = conf.get(BAD_ROWS_KEY, "fail").trim().toLowerCase();
    if (!bad.equals("fail") && !bad.equals("skip")) {
      throw new IllegalArgumentException(BAD_ROWS_KEY + ": expected fail or skip, found '" + bad + "'");
    }
    badRows = bad.equals("skip") ? BadRowPolicy.SKIP : BadRowPolicy.FAIL;
    preserveRowOrder = Boolean.parseBoolean(conf.get(PRESERVE_ROW_ORDER_KEY, "false"));
    scoringBatchSize = intKey(conf, SCORING_BATCH_KEY, 256);
    psHost = conf.get(PS_HOST_KEY, conf.get("spark.driver.host", "127.0.0.1"));
    psPort = intKey(conf, PS_PORT_KEY, 0);
    psShards = intKey(conf, PS_SHARDS_KEY, 1);
    timeoutMs = intKey(conf, PS_TIMEOUT_KEY, 120_000);
    termLength = intKey(conf, PS_TERM_LENGTH_KEY, 4 * 1024 * 1024);
    mtu = intKey(conf, PS_MTU_KEY, ParameterServerContext.MTU_LENGTH_DEFAULT);
    ipc = Boolean.parseBoolean(conf.get(PS_IPC_KEY, "true"));
  }

  private static int intKey(org.apache.spark.SparkConf conf, String key, int def) {
    String v = conf.get(key, null);
    if (v == null) {
      return def;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": expected an integer, found '" + v + "'");
    }
  }

  /** A trainer for a compiled model; settings start from the session's spark.sparkeras.* conf. */
  public static SparkTrainer of(SparkSession spark, Model model) {
    return new SparkTrainer(spark, model);
  }

  /** Number of workers: barrier tasks, one partition each (needs that many free task slots). */
  public SparkTrainer workers(int n) {
    if (n < 1) {
      throw new IllegalArgumentException(WORKERS_KEY + ": expected >= 1, found " + n);
    }
    workers = n;
    return this;
  }

  public SparkTrainer mode(SyncMode m) {
    mode = m;
    return this;
  }

  /** Writes model + parameter-server state after every epoch under this Hadoop path. */
  public SparkTrainer checkpointDir(String path) {
    checkpointDir = path;
    return this;
  }

  /** Continue from the newest checkpoint in {@link #checkpointDir} (if any) at its next epoch. */
  public SparkTrainer resume(boolean r) {
    resume = r;
    return this;
  }

  /** Default feature column (or several numeric columns, one float each). */
  public SparkTrainer featuresCol(String... cols) {
    featuresCols = List.of(cols);
    return this;
  }

  public SparkTrainer labelCol(String col) {
    labelCol = col;
    return this;
  }

  /** Name of the prediction column (several outputs: name_0, name_1, ...). */
  public SparkTrainer predictionCol(String col) {
    predictionCol = col;
    return this;
  }

  public SparkTrainer badRows(BadRowPolicy p) {
    badRows = p;
    return this;
  }

  /**
   * Batches follow the DataFrame's row order: with N workers and global batch B, global step t
   * trains on rows {@code [tB, (t+1)B)}, worker p on the p-th slice of B/N of them. Costs an
   * index and a sort; without it rows are dealt round-robin by {@code repartition(N)}.
   */
  public SparkTrainer preserveRowOrder(boolean v) {
    preserveRowOrder = v;
    return this;
  }

  /** Shape of one sample of a binary feature column, and how its bytes encode floats. */
  public SparkTrainer binaryShape(ColumnSpec.BinaryEncoding encoding, int... shape) {
    binaryEncoding = encoding;
    binaryShape = shape.clone();
    return this;
  }

  public SparkTrainer scoringBatchSize(int n) {
    scoringBatchSize = n;
    return this;
  }

  /** Parameter-server shards (one thread each). */
  /**
   * Whether workers on the driver's host (all of them on {@code local[*]}) talk to the parameter
   * server over Aeron's shared-memory channel through the server's media driver (the default;
   * conf key {@value #PS_IPC_KEY}) or over UDP like workers on other hosts.
   */
  public SparkTrainer ipc(boolean v) {
    this.ipc = v;
    return this;
  }

  public SparkTrainer psShards(int n) {
    psShards = n;
    return this;
  }

  /** How long a worker waits for the server (and a sync step for missing workers). */
  public SparkTrainer timeout(long value, TimeUnit unit) {
    timeoutMs = unit.toMillis(value);
    return this;
  }

  /** Test hook: fail the first attempt of {@code partition}'s task at that epoch and step. */
  SparkTrainer failFirstAttemptAt(int epoch, int partition, int step) {
    failAt = epoch + ":" + partition + ":" + step;
    return this;
  }

  public Model model() {
    return model;
  }

  /**
   * Where the workers' time went in the last epoch of the last fit, averaged over workers:
   * {@code compute_s} (reading rows, forward and backward), {@code push_s}, {@code pull_s}
   * (waiting for the others and for the new parameters), {@code steps}, and {@code
   * rows_skipped}, the bad rows all workers skipped in that epoch ({@code badRows(SKIP)}).
   */
  public Map<String, Double> lastEpochStats() {
    Map<String, Double> m = new LinkedHashMap<>();
    List<EpochResult> rs = lastEpoch;
    if (rs.isEmpty()) {
      return m;
    }
    double c = 0;
    double pu = 0;
    double pl = 0;
    for (EpochResult r : rs) {
      c += r.computeSeconds;
      pu += r.pushSeconds;
      pl += r.pullSeconds;
    }
    m.put("steps", (double) rs.get(0).steps);
    m.put("compute_s", c / rs.size());
    m.put("push_s", pu / rs.size());
    m.put("pull_s", pl / rs.size());
    m.put("rows_skipped", (double) rs.stream().mapToLong(r -> r.skipped).sum());
    return m;
  }

  // ---- column validation ---------------------------------------------------------------------

  /** Resolved columns against a DataFrame that holds exactly them (features first, then label). */
  static final class Columns {
    final ColumnSpec features;
    final int[] featureShape;
    final ColumnSpec label;
    final int[] labelShape;

    Columns(ColumnSpec features, int[] featureShape, ColumnSpec label, int[] labelShape) {
      this.features = features;
      this.featureShape = featureShape;
      this.label = label;
      this.labelShape = labelShape;
    }
  }

  private static int product(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  private int[] inputShape() {
    List<int[]> in = model.inputShapes();
    if (in == null) {
      throw new IllegalStateException("model '" + model.getName() + "' is not built: build it "
          + "(or give it an Input) before distributed training");
    }
    if (in.size() != 1 || model.outputShapes().size() != 1) {
      throw new UnsupportedOperationException("SparkTrainer supports models with one input and one "
          + "output; model '" + model.getName() + "' has " + in.size() + " inputs and "
          + model.outputShapes().size() + " outputs");
    }
    int[] s = in.get(0);
    for (int d : s) {
      if (d < 0) {
        throw new IllegalArgumentException("model '" + model.getName() + "': input shape "
            + Arrays.toString(s) + " has an unknown dimension; distributed training needs it fixed");
      }
    }
    return s;
  }

  /** Width of column {@code ordinal} of {@code df} in its first non-null row. */
  private static int firstWidth(Dataset<Row> df, ColumnSpec spec, String column) {
    Dataset<Row> one = df.where(df.col("`" + column + "`").isNotNull()).limit(1);
    InternalRow[] rows = (InternalRow[]) one.queryExecution().executedPlan().executeCollect();
    if (rows.length == 0) {
      throw new IllegalArgumentException("column '" + column + "' has no non-null value: cannot "
          + "tell its width");
    }
    return spec.widthIn(rows[0]);
  }

  private Columns features(Dataset<Row> selected, List<String> cols) {
    int[] shape = inputShape();
    int want = product(shape);
    ColumnSpec f = ColumnSpec.resolve(selected.schema(), "features", cols,
        binaryShape == null ? 0 : product(binaryShape), binaryEncoding);
    if (f.width() < 0) {
      f = f.withWidth(firstWidth(selected, f, cols.get(0)));
    }
    if (f.width() != want) {
      throw new IllegalArgumentException("features " + f.describe() + ": expected " + want
          + " values per row (model input shape " + Arrays.toString(shape) + "), found "
          + f.width());
    }
    return new Columns(f, shape, null, null);
  }

  Columns resolve(Dataset<Row> selected, List<String> featureCols, String label) {
    Columns fc = features(selected, featureCols);
    int[] out = model.outputShapes().get(0);
    int outSize = product(out);
    boolean sparse = model.getLosses().get(0) instanceof SparseCategoricalCrossentropy;
    String lossName = model.getLosses().get(0).getClass().getSimpleName();
    ColumnSpec l = ColumnSpec.resolve(selected.schema(), "label", List.of(label), 0, null);
    int[] labelShape;
    if (l.kind() == ColumnSpec.Kind.NUMERIC) {
      if (sparse) {
        labelShape = new int[0];
      } else if (outSize == 1) {
        labelShape = out.clone();
      } else {
        throw new IllegalArgumentException("label column '" + label + "': holds one number per "
            + "row; loss " + lossName + " expects " + outSize + " values per row (model output "
            + "shape " + Arrays.toString(out) + "): give an array or vector column, or use "
            + "sparse_categorical_crossentropy for class ids");
      }
    } else if (l.kind() == ColumnSpec.Kind.ARRAY || l.kind() == ColumnSpec.Kind.VECTOR) {
      if (sparse) {
        throw new IllegalArgumentException("label column '" + label + "': loss " + lossName
            + " expects one class id per row (a numeric column), found "
            + selected.schema().apply(label).dataType().simpleString());
      }
      l = l.withWidth(firstWidth(selected, l, label));
      if (l.width() != outSize) {
        throw new IllegalArgumentException("label column '" + label + "': expected " + outSize
            + " values per row (model output shape " + Arrays.toString(out) + "), found "
            + l.width());
      }
      labelShape = out.clone();
    } else {
      throw new IllegalArgumentException("label column '" + label + "': expected a numeric, "
          + "array or vector column, found "
          + selected.schema().apply(label).dataType().simpleString());
    }
    return new Columns(fc.features, fc.featureShape, l, labelShape);
  }

  private static Dataset<Row> select(Dataset<Row> df, List<String> featureCols, String label) {
    List<Column> cols = new ArrayList<>();
    for (String c : featureCols) {
      requireColumn(df, c, "features");
      cols.add(df.col("`" + c + "`"));
    }
    if (label != null) {
      requireColumn(df, label, "label");
      cols.add(df.col("`" + label + "`"));
    }
    return df.select(cols.toArray(new Column[0]));
  }

  private static void requireColumn(Dataset<Row> df, String c, String role) {
    if (!Arrays.asList(df.schema().fieldNames()).contains(c)) {
      throw new IllegalArgumentException(role + " column '" + c + "' does not exist; the "
          + "DataFrame has " + Arrays.toString(df.schema().fieldNames()));
    }
  }

  /**
   * Checks {@code df} against the model without training: columns exist, their types are
   * supported, widths match the model's input and output, the label suits the loss.
   */
  public void validate(Dataset<Row> df, String featuresCol, String label) {
    resolve(select(df, List.of(featuresCol), label), List.of(featuresCol), label);
  }

  // ---- fit ---------------------------------------------------------------------------------

  /** {@link #fit(Dataset, List, String, FitOptions, Dataset)} with the default columns. */
  public History fit(Dataset<Row> df, FitOptions options) {
    return fit(df, featuresCols, labelCol, options, null);
  }

  public History fit(Dataset<Row> df, String featuresCol, String labelCol, FitOptions options) {
    return fit(df, List.of(featuresCol), labelCol, options, null);
  }

  /** Fit with validation on another DataFrame after every epoch ({@code val_*} logs). */
  public History fit(Dataset<Row> df, String featuresCol, String labelCol, FitOptions options,
      Dataset<Row> validation) {
    return fit(df, List.of(featuresCol), labelCol, options, validation);
  }

  /**
   * Trains the model on {@code df}; the trained weights are put back into the model. The global
   * batch is {@code options.batchSize()}, each worker takes {@code batchSize / workers} rows per
   * step (sync mode needs it to divide evenly). Rows are read as they come from
   * {@code repartition(workers)} (or in order, see {@link #preserveRowOrder}); FitOptions'
   * shuffle and validationSplit are not used (give {@code validation} instead).
   */
  public History fit(Dataset<Row> df, List<String> featureCols, String labelCol,
      FitOptions options, Dataset<Row> validation) {
    if (!model.isCompiled()) {
      throw new IllegalStateException("model '" + model.getName() + "' must be compiled before fit");
    }
    if (options.validationSplit() > 0) {
      throw new UnsupportedOperationException("SparkTrainer.fit: validationSplit is not supported; "
          + "pass a validation DataFrame (e.g. from df.randomSplit)");
    }
    Dataset<Row> selected = select(df, featureCols, labelCol);
    Columns cols = resolve(selected, featureCols, labelCol);
    Dataset<Row> valSelected = null;
    Columns valCols = null;
    if (validation != null) {
      valSelected = select(validation, featureCols, labelCol);
      valCols = resolve(valSelected, featureCols, labelCol);
    }
    int n = workers;
    int global = options.batchSize();
    if (mode.kind() == TrainSpec.Mode.SYNC && global % n != 0) {
      throw new IllegalArgumentException("batch_size " + global + " must be a multiple of the "
          + "number of workers (" + n + ") in sync mode");
    }
    int perWorker = Math.max(1, (global + n - 1) / n);
    String optimizerName = model.getOptimizer().getClass().getSimpleName().toLowerCase();
    Map<String, Object> optimizerConfig = psOptimizerConfig(model);

    TrainingCheckpoints.Found ck = null;
    if (resume) {
      if (checkpointDir == null) {
        throw new IllegalStateException("resume(true) needs a checkpointDir");
      }
      ck = TrainingCheckpoints.latest(checkpointDir);
    }
    int initialEpoch = ck != null ? ck.epoch + 1 : options.initialEpoch();
    if (ck != null) {
      try {
        model.setFlatWeights(Model.load(ck.model()).getFlatWeights());
      } catch (IOException e) {
        throw new UncheckedIOException("resume from " + ck.dir + ": " + e.getMessage(), e);
      }
    }

    SparkContext sc = spark.sparkContext();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(sc);
    RDD<InternalRow> data = prepare(selected, n, perWorker);
    long[] rows = countRows(data, n);
    long total = Arrays.stream(rows).sum();
    if (total == 0) {
      throw new IllegalArgumentException("fit: the DataFrame has no rows");
    }
    SecureRandom random = new SecureRandom();
    long jobId = random.nextLong() & Long.MAX_VALUE;
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    int port = psPort != 0 ? psPort : freeUdpPort(psHost);
    int window = Math.min(ParameterServerContext.RECEIVER_WINDOW_DEFAULT, termLength / 2);
    int socket = ParameterServerContext.SOCKET_BUFFER_DEFAULT;
    byte[] file = WorkerModels.toBytes(model);
    TrainSpec spec = new TrainSpec()
        .psEndpoint(psHost + ":" + port).jobId(jobId).secret(secret)
        .channel(mtu, termLength, socket, window).clientTimeoutMs(timeoutMs)
        .mode(mode.kind(), mode.staleness(), mode.averagingSteps())
        .batching(n, perWorker, rows)
        .features(cols.features, cols.featureShape).label(cols.label, cols.labelShape)
        .badRows(badRows).modelKey(WorkerModels.key(file)).failAt(failAt)
        .localRanges(nonTrainableRanges(model));
    int steps = spec.steps();

    ParameterServerContext psc = new ParameterServerContext()
        .bind(psHost + ":" + port).shards(psShards).workers(n)
        .mode(TrainingMode.valueOf(mode.kind().name())).staleness(mode.staleness())
        .optimizer(optimizerName, optimizerConfig).jobId(jobId).jobSecret(secret)
        .syncTimeout(3 * timeoutMs, TimeUnit.MILLISECONDS).mtuLength(mtu).termLength(termLength)
        .socketBufferLength(socket).receiverWindowLength(window);
    List<io.sparkeras.core.constraints.RangeConstraint> constraints = model.constraintRanges();
    if (clips(optimizerConfig) || !constraints.isEmpty()) {
      // Keras clips and constrains per variable: the server needs the layout, and aligns its
      // shards to it
      psc.variableRanges(variableRanges(model));
    }
    // weight constraints (max_norm, ...) are applied by the shards after every update
    psc.constraints(constraints);
    // the rate (or schedule) is read from the driver's optimizer at every epoch's start, so that
    // callbacks that change it (ReduceLROnPlateau, LearningRateScheduler) reach the server
    AtomicReference<io.sparkeras.ps.LearningRateSchedule> rate =
        new AtomicReference<>(psLearningRate(model));
    psc.learningRateSchedule(iterations -> rate.get().learningRate(iterations));
    float[] flat = model.getFlatWeights();
    if (ck != null) {
      psc.restoreFrom(ck.ps());
    } else {
      FloatBuffer init = ByteBuffer.allocateDirect(flat.length * 4).order(ByteOrder.nativeOrder())
          .asFloatBuffer();
      init.put(flat).flip();
      psc.initialParameters(init);
    }

    History history = new History();
    List<Callback> callbacks = new ArrayList<>(options.callbacks());
    callbacks.add(history);
    ProgressBar bar = null;
    if (options.verbose() > 0) {
      bar = new ProgressBar(options.verbose(), options.epochs(), steps, System.out);
      callbacks.add(bar);
    }
    for (Callback c : callbacks) {
      c.setModel(model);
    }
    Broadcast<byte[]> broadcast = jsc.broadcast(file);
    model.setStopTraining(false);
    Map<String, Double> logs = new LinkedHashMap<>();
    try (ParameterServer ps = ParameterServer.launch(psc)) {
      // tasks on this host (all of them in local mode) use the server's media driver, and with
      // ipc its shared-memory channel: no sockets, no second driver's threads on the same cores
      spec.aeronDirectory(ps.context().aeronDirectoryName()).ipc(ipc);
      FloatBuffer readBack = ByteBuffer.allocateDirect(flat.length * 4)
          .order(ByteOrder.nativeOrder()).asFloatBuffer();
      long pushes = ck != null ? ck.baseStep : 0;
      for (Callback c : callbacks) {
        c.onTrainBegin(logs);
      }
      for (int epoch = initialEpoch; epoch < options.epochs() && !model.isStopTraining(); epoch++) {
        for (Callback c : callbacks) {
          c.onEpochBegin(epoch, logs);
        }
        rate.set(psLearningRate(model));
        long version = ps.readParameters(readBack);
        long base = mode.kind() == TrainSpec.Mode.ASYNC ? pushes : version;
        String description = "sparkeras fit epoch " + (epoch + 1) + "/" + options.epochs();
        float[] localStart = gather(model.getFlatWeights(), spec.localRanges());
        TrainEpochFunction fn = new TrainEpochFunction(spec, broadcast, epoch, base, localStart);
        List<EpochResult> results = runEpoch(data, fn, description, ps, bar, steps);
        pushes += steps;
        lastEpoch = results;
        long skipped = results.stream().mapToLong(r -> r.skipped).sum();
        if (skipped > 0) {
          System.err.println("sparkeras: " + description + ": skipped " + skipped + " bad rows "
              + "(null, wrong width, NaN or infinite values)");
        }
        readBack.clear();
        ps.readParameters(readBack);
        float[] trained = new float[flat.length];
        readBack.get(0, trained);
        if (localStart != null && mode.kind() != TrainSpec.Mode.AVERAGING) {
          // the server's copy of the non-trainable weights is unused: take the workers' mean
          float[] merged = EpochResult.mergeLocalWeights(results);
          scatter(merged != null ? merged : localStart, spec.localRanges(), trained);
        }
        model.setFlatWeights(trained);
        Map<String, Double> epochLogs = new LinkedHashMap<>(EpochResult.merge(results));
        if (valCols != null) {
          for (Map.Entry<String, Double> e : evaluate(valSelected, valCols).entrySet()) {
            epochLogs.put("val_" + e.getKey(), e.getValue());
          }
        }
        for (Callback c : callbacks) {
          c.onEpochEnd(epoch, epochLogs);
        }
        logs = epochLogs;
        if (checkpointDir != null) {
          long nextBase = mode.kind() == TrainSpec.Mode.ASYNC ? pushes : version + steps;
          TrainingCheckpoints.write(checkpointDir, epoch, nextBase, tmp -> {
            model.save(tmp + "/" + TrainingCheckpoints.MODEL);
            ps.checkpoint(tmp + "/" + TrainingCheckpoints.PS);
          });
        }
      }
      for (Callback c : callbacks) {
        c.onTrainEnd(logs);
      }
    } finally {
      broadcast.destroy();
    }
    return history;
  }

  static boolean clips(Map<String, Object> optimizerConfig) {
    for (String k : new String[] {"clipnorm", "clipvalue", "global_clipnorm"}) {
      Object v = optimizerConfig.get(k);
      if (v instanceof Number && ((Number) v).doubleValue() > 0) {
        return true;
      }
    }
    return false;
  }

  /** One {@code [from, to)} pair per weight variable, in flat-vector order. */
  static int[] variableRanges(Model model) {
    List<io.sparkeras.api.layers.Variable> vars = model.weights();
    int[] pairs = new int[2 * vars.size()];
    int off = 0;
    for (int i = 0; i < vars.size(); i++) {
      pairs[2 * i] = off;
      off += vars.get(i).size();
      pairs[2 * i + 1] = off;
    }
    return pairs;
  }

  /**
   * {@code [from, to)} pairs of the flat vector that the optimizer does not update (non-trainable
   * weights and frozen layers), merged where adjacent; empty when every weight is trainable.
   */
  static int[] nonTrainableRanges(Model model) {
    int size = 0;
    for (io.sparkeras.api.layers.Variable v : model.weights()) {
      size += v.size();
    }
    List<Integer> pairs = new ArrayList<>();
    int at = 0;
    for (int[] r : model.trainableRanges()) {
      if (r[0] > at) {
        pairs.add(at);
        pairs.add(r[0]);
      }
      at = r[1];
    }
    if (at < size) {
      pairs.add(at);
      pairs.add(size);
    }
    return pairs.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The ranges' values back to back, or null when there are no ranges. */
  static float[] gather(float[] flat, int[] ranges) {
    if (ranges.length == 0) {
      return null;
    }
    int n = 0;
    for (int i = 0; i < ranges.length; i += 2) {
      n += ranges[i + 1] - ranges[i];
    }
    float[] out = new float[n];
    int o = 0;
    for (int i = 0; i < ranges.length; i += 2) {
      int len = ranges[i + 1] - ranges[i];
      System.arraycopy(flat, ranges[i], out, o, len);
      o += len;
    }
    return out;
  }

  static void scatter(float[] values, int[] ranges, float[] flat) {
    int o = 0;
    for (int i = 0; i < ranges.length; i += 2) {
      int len = ranges[i + 1] - ranges[i];
      System.arraycopy(values, o, flat, ranges[i], len);
      o += len;
    }
  }

  /** The optimizer's Keras config as the parameter server takes it (numbers and booleans). */
  static Map<String, Object> psOptimizerConfig(Model model) {
    Map<String, Object> cfg = model.getOptimizer().getConfig();
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : cfg.entrySet()) {
      Object v = e.getValue();
      String k = e.getKey();
      if (k.equals("name") || v == null) {
        continue;
      }
      if (k.equals("learning_rate") && v instanceof Map) {
        // a schedule: the server evaluates it (see psLearningRate); the number is its first value
        out.put(k, (double) Schedules.fromKerasConfig((Map<?, ?>) v).learningRate(0));
        continue;
      }
      if (!(v instanceof Number) && !(v instanceof Boolean)) {
        throw new UnsupportedOperationException("SparkTrainer: optimizer setting " + k + " = " + v
            + " is not supported by the parameter server");
      }
      out.put(k, v);
    }
    return out;
  }

  /**
   * The optimizer's learning rate for the server: its schedule, evaluated by the server at
   * {@code iterations} = its version (the steps applied so far, in sync mode the local
   * optimizer's {@code iterations}), or its current constant rate.
   */
  static io.sparkeras.ps.LearningRateSchedule psLearningRate(Model model) {
    Object lr = model.getOptimizer().getConfig().get("learning_rate");
    if (!(lr instanceof Map)) {
      double constant = model.getOptimizer().getLearningRate();
      return iterations -> constant;
    }
    LearningRateSchedule s = Schedules.fromKerasConfig((Map<?, ?>) lr);
    return iterations -> s.learningRate(iterations);
  }

  private List<EpochResult> runEpoch(RDD<InternalRow> data, TrainEpochFunction fn,
      String description, ParameterServer ps, ProgressBar bar, int steps) {
    SparkContext sc = spark.sparkContext();
    AtomicReference<Object> result = new AtomicReference<>();
    String group = "sparkeras-fit-" + Long.toHexString(System.nanoTime());
    // A bad row fails on every attempt: stop the job at the first one instead of letting Spark
    // retry the stage (the other workers' tasks are killed and stop waiting at once)
    AtomicReference<String> badRow = new AtomicReference<>();
    org.apache.spark.scheduler.SparkListener listener = new BadRowListener(sc, group, badRow);
    sc.addSparkListener(listener);
    Thread job = new Thread(() -> {
      sc.setJobGroup(group, description, false);
      try {
        // The barrier stage feeds a one-partition shuffle so that it is a ShuffleMapStage: Spark
        // retries a failed barrier ShuffleMapStage as a whole (a barrier ResultStage it aborts).
        RDD<EpochResult> out = data.barrier().mapPartitions(fn, false, RESULT_TAG);
        result.set(new JavaRDD<>(out, RESULT_TAG).repartition(1).collect());
      } catch (Throwable t) {
        result.set(t);
      }
    }, "sparkeras-epoch");
    job.setDaemon(true);
    long startCounter = ps.counter(0, ShardCounter.STEPS);
    job.start();
    int perStep = mode.kind() == TrainSpec.Mode.ASYNC ? workers : 1;
    int stepsPerCount = mode.kind() == TrainSpec.Mode.AVERAGING ? mode.averagingSteps() : 1;
    double[] lossAtStart = ps.trainingLoss();
    Map<String, Double> running = new LinkedHashMap<>();
    try {
      while (job.isAlive()) {
        job.join(100);
        if (bar != null) {
          long done = (ps.counter(0, ShardCounter.STEPS) - startCounter) * stepsPerCount / perStep;
          if (done > 0) {
            // the workers send each step's loss with their push: the epoch's running mean
            double[] loss = ps.trainingLoss();
            double n = loss[1] - lossAtStart[1];
            running.clear();
            if (n > 0) {
              running.put("loss", (loss[0] - lossAtStart[0]) / n);
            }
            bar.onTrainBatchEnd((int) Math.min(steps, done) - 1, running);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sc.cancelJobGroup(group);
      throw new IllegalStateException("fit interrupted", e);
    } finally {
      sc.removeSparkListener(listener);
    }
    Object r = result.get();
    if (badRow.get() != null) {
      throw new IllegalArgumentException(description + ": bad input " + badRow.get()
          + " (badRows(BadRowPolicy.SKIP) skips and counts such rows)",
          r instanceof Throwable ? (Throwable) r : null);
    }
    if (r instanceof Throwable) {
      String failure = ps.failure();
      Throwable t = (Throwable) r;
      throw new IllegalStateException(description + " failed: " + t.getMessage()
          + (failure == null ? "" : " (parameter server: " + failure + ")"), t);
    }
    @SuppressWarnings("unchecked")
    List<EpochResult> list = (List<EpochResult>) r;
    return list;
  }

  /** Cancels the job group when a task fails on a bad row, keeping the row's message. */
  static final class BadRowListener extends org.apache.spark.scheduler.SparkListener {
    private final SparkContext sc;
    private final String group;
    private final AtomicReference<String> message;

    BadRowListener(SparkContext sc, String group, AtomicReference<String> message) {
      this.sc = sc;
      this.group = group;
      this.message = message;
    }

    @Override
    public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
      if (end.reason() instanceof org.apache.spark.ExceptionFailure) {
        org.apache.spark.ExceptionFailure f = (org.apache.spark.ExceptionFailure) end.reason();
        if (f.className().equals(BadRowException.class.getName())
            && message.compareAndSet(null, f.description())) {
          sc.cancelJobGroup(group);
        }
      }
    }
  }

  private RDD<InternalRow> prepare(Dataset<Row> selected, int n, int perWorker) {
    if (!preserveRowOrder) {
      return selected.repartition(n).queryExecution().toRdd();
    }
    JavaPairRDD<Long, InternalRow> indexed = selected.queryExecution().toRdd().toJavaRDD()
        .map(new CopyRow()).zipWithIndex().mapToPair(new IndexFirst());
    return indexed.repartitionAndSortWithinPartitions(new RowIndexPartitioner(n, perWorker))
        .values().rdd();
  }

  private static long[] countRows(RDD<InternalRow> data, int n) {
    long[] rows = new long[n];
    for (long[] pc : data.toJavaRDD().mapPartitionsWithIndex(new PartitionFunctions.CountRows(),
        false).collect()) {
      rows[(int) pc[0]] = pc[1];
    }
    return rows;
  }

  private static int freeUdpPort(String host) {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName(host))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free UDP port on " + host + " for the parameter server ("
          + PS_HOST_KEY + "): " + e.getMessage(), e);
    }
  }

  static final class CopyRow implements Function<InternalRow, InternalRow> {
    private static final long serialVersionUID = 1L;

    @Override
    public InternalRow call(InternalRow r) {
      return r.copy();
    }
  }

  static final class IndexFirst implements PairFunction<Tuple2<InternalRow, Long>, Long, InternalRow> {
    private static final long serialVersionUID = 1L;

    @Override
    public Tuple2<Long, InternalRow> call(Tuple2<InternalRow, Long> t) {
      return new Tuple2<>(t._2(), t._1());
    }
  }

  // ---- evaluate / predict --------------------------------------------------------------------

  /**
   * Loss and metrics of the model on {@code df}, computed on the executors: each partition
   * reports its loss and metric results with its sample count, the driver merges them weighted
   * by samples: exact for the loss and sample-mean metrics (accuracy, MSE, MAE). AUC, precision
   * and recall, whose state is not a sample mean, are computed on the driver over every
   * partition's targets and predictions, gathered (n × outputs floats twice: fine for
   * evaluation sets that fit in the driver's memory).
   */
  public Map<String, Double> evaluate(Dataset<Row> df, String featuresCol, String label) {
    if (!model.isCompiled()) {
      throw new IllegalStateException("model '" + model.getName() + "' must be compiled before evaluate");
    }
    Dataset<Row> selected = select(df, List.of(featuresCol), label);
    return evaluate(selected, resolve(selected, List.of(featuresCol), label));
  }

  private Map<String, Double> evaluate(Dataset<Row> selected, Columns cols) {
    byte[] file = WorkerModels.toBytes(model);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<byte[]> b = jsc.broadcast(file);
    List<Metric> gathered = new ArrayList<>();
    for (Metric m : model.getCompiledMetrics()) {
      if (m instanceof AUC || m instanceof Precision || m instanceof Recall) {
        gathered.add(m);
      }
    }
    try {
      List<EpochResult> results = selected.queryExecution().toRdd().toJavaRDD()
          .mapPartitionsWithIndex(new PartitionFunctions.Evaluate(b, WorkerModels.key(file),
              cols.features, cols.featureShape, cols.label, cols.labelShape, scoringBatchSize,
              badRows, !gathered.isEmpty()), false)
          .collect();
      Map<String, Double> logs = EpochResult.merge(results);
      if (!gathered.isEmpty()) {
        // these metrics' state is not a sample mean: compute them over every partition's
        // targets and predictions, gathered on the driver
        List<float[]> ys = new ArrayList<>();
        List<float[]> ps = new ArrayList<>();
        long rows = 0;
        for (EpochResult r : results) {
          ys.add(r.yTrue);
          ps.add(r.yPred);
          rows += r.samples;
        }
        float[] yTrue = concat(ys);
        float[] yPred = concat(ps);
        int[] outShape = model.outputShapes().get(0);
        for (Metric m : gathered) {
          Metric copy = Registry.METRICS.deserialize(Registry.METRICS.serialize(m));
          copy.resetState();
          if (rows > 0) {
            copy.updateState(yTrue, yPred, (int) rows, outShape);
          }
          logs.put(m.name(), copy.result());
        }
      }
      return logs;
    } finally {
      b.destroy();
    }
  }

  private static float[] concat(List<float[]> parts) {
    int n = 0;
    for (float[] p : parts) {
      n += p == null ? 0 : p.length;
    }
    float[] out = new float[n];
    int at = 0;
    for (float[] p : parts) {
      if (p != null) {
        System.arraycopy(p, 0, out, at, p.length);
        at += p.length;
      }
    }
    return out;
  }

  /** {@link #predict(Dataset, String)} with the default feature column. */
  public Dataset<Row> predict(Dataset<Row> df) {
    return predict(df, featuresCols.get(0));
  }

  /**
   * All input columns plus the model's prediction: a float column named {@link #predictionCol}
   * when the output has one value per sample, else {@code array<float>}. Scored in batches on
   * the executors; the model is loaded once per executor JVM (cached by its file's hash).
   */
  public Dataset<Row> predict(Dataset<Row> df, String featuresCol) {
    requireColumn(df, featuresCol, "features");
    Columns cols = features(df, List.of(featuresCol));
    StructType schema = predictionSchema(df.schema());
    List<int[]> outs = model.outputShapes();
    boolean[] scalar = new boolean[outs.size()];
    for (int i = 0; i < outs.size(); i++) {
      scalar[i] = product(outs.get(i)) == 1;
    }
    byte[] file = WorkerModels.toBytes(model);
    Broadcast<byte[]> b = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(file);
    RDD<InternalRow> scored = df.queryExecution().toRdd().toJavaRDD()
        .mapPartitions(new PartitionFunctions.Predict(b, WorkerModels.key(file), cols.features,
            cols.featureShape, scoringBatchSize, scalar)).rdd();
    return spark.internalCreateDataFrame(scored, schema, false);
  }

  /**
   * The schema {@link #predict} returns for an input schema: every input column, then one
   * prediction column per model output ({@link #predictionCol}, or {@code name_0, name_1, ...}
   * for several), {@code float} when an output has one value per sample, else
   * {@code array<float>}. Fails if a prediction column already exists.
   *
   * <pre>{@code
   * StructType out = SparkTrainer.of(spark, model).predictionCol("p")
   *     .predictionSchema(df.schema());
   * }</pre>
   */
  public StructType predictionSchema(StructType input) {
    List<int[]> outs = model.outputShapes();
    StructType schema = input;
    for (int i = 0; i < outs.size(); i++) {
      boolean scalar = product(outs.get(i)) == 1;
      String name = outs.size() == 1 ? predictionCol : predictionCol + "_" + i;
      if (Arrays.asList(schema.fieldNames()).contains(name)) {
        throw new IllegalArgumentException("predict: the DataFrame already has a column '" + name
            + "'; choose another prediction column (predictionCol)");
      }
      schema = schema.add(new StructField(name, scalar ? DataTypes.FloatType
          : DataTypes.createArrayType(DataTypes.FloatType, false), false,
          org.apache.spark.sql.types.Metadata.empty()));
    }
    return schema;
  }

  /** Rounds of averaging per epoch (exposed for tests and the README). */
  static int averagingRounds(int steps, int k) {
    return EpochTask.roundsPerEpoch(steps, k);
  }
}
