package io.sparkeras.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.cluster.JvmFlags;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.server.resourcemanager.rmapp.RMApp;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shaded jar on a real YARN and HDFS (MiniYARNCluster, MiniDFSCluster; the containers are
 * separate JVMs), submitted with Spark's own {@code SparkSubmit} as docs/cluster.md's YARN
 * section says: {@code train} in client deploy mode (driver and parameter server in the
 * submitting JVM, on a pinned UDP port, the executors reaching it over UDP), then
 * {@code predict} in cluster deploy mode (the driver in the application master's container).
 * The containers get Spark from {@code spark.yarn.jars} (no SPARK_HOME anywhere) and everything
 * else from the shaded jar, which spark-submit uploads to HDFS; the NodeManager kills a
 * container that outgrows its memory (executor memory plus {@code memoryOverhead}).
 *
 * <p>Bounded: 5 minutes per spark-submit, 15 for the class; every process it started, directly
 * or through YARN, is killed at the end and the Aeron directories they left in /dev/shm are
 * removed. Its files (HDFS, YARN, logs, temporary files) are under {@code target/yarn-it},
 * deleted when it passes.
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class YarnSubmitIT {
  static final Path WORK = Path.of("target", "yarn-it").toAbsolutePath();
  static final Duration SUBMIT_LIMIT = Duration.ofMinutes(5);
  static final int FEATURES = 8;
  static final int CLASSES = 3;
  static final int TEST_ROWS = 200;
  static final Pattern SUBMITTED = Pattern.compile("Submitted application (application_\\d+_\\d+)");

  static final ProcessWatch watch = new ProcessWatch();
  static MiniHadoop hadoop;
  static SparkSession spark;
  static Path jar;
  static String sparkOnly;
  static String root;
  static boolean passed;

  record Submitted(int exitCode, String stdout, Path log, boolean portBound) {
    JsonNode json() throws IOException {
      return lastJsonLine(stdout);
    }
  }

  /** A job's JSON line: the last line of its stdout. */
  static JsonNode lastJsonLine(String stdout) throws IOException {
    String[] lines = stdout.strip().split("\n");
    return new ObjectMapper().readTree(lines[lines.length - 1]);
  }

  @BeforeAll
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  static void start() throws Exception {
    // a JVM stopped without @AfterAll (Ctrl-C on Maven) still takes its children along
    Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().descendants()
        .forEach(ProcessHandle::destroyForcibly), "YarnSubmitIT-children"));
    jar = Path.of(System.getProperty("sparkeras.jobs.jar", "missing"));
    assertTrue(Files.isRegularFile(jar), "run after packaging: " + jar);
    sparkOnly = SparkSubmitJarIT.withoutJarContents(System.getProperty("java.class.path"), jar);
    SparkSubmitJarIT.deleteRecursively(WORK);
    Files.createDirectories(WORK.resolve("tmp"));
    hadoop = MiniHadoop.start(WORK, YarnSubmitIT.class.getSimpleName(), 6144);
    root = hadoop.hdfsUri();
    spark = SparkSession.builder().master("local[1]").appName("YarnSubmitIT")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.local.dir", WORK.resolve("tmp").toString())
        .config("spark.sql.warehouse.dir", WORK.resolve("warehouse").toString())
        .getOrCreate();
    data(600, 1).write().parquet(root + "/lake/train");
    data(TEST_ROWS, 2).write().parquet(root + "/lake/test");
    FileSystem fs = FileSystem.get(hadoop.hdfs.getURI(), hadoop.hdfs.getConfiguration(0));
    try (OutputStream o = fs.create(new org.apache.hadoop.fs.Path("/models/mlp.json"))) {
      o.write(new Sequential(Input.of(FEATURES), new Dense(16).activation("relu"),
          new Dense(CLASSES).activation("softmax")).toJson().getBytes(StandardCharsets.UTF_8));
    }
  }

  @AfterAll
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  static void stop() throws Exception {
    try {
      if (spark != null) {
        spark.stop();
        // the next class in this JVM (SparkSubmitJarIT) must not find it as the active session
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
      }
      if (hadoop != null) {
        hadoop.close();
      }
    } finally {
      watch.killAll();
      System.err.println("Aeron directories left by stopped containers, removed: "
          + watch.removeAeronDirectories(Path.of("/dev/shm")));
      if (passed) {
        SparkSubmitJarIT.deleteRecursively(WORK);
      }
    }
  }

  @Test
  void trainInClientModeThenPredictInClusterMode() throws Exception {
    long started = System.nanoTime();
    String model = root + "/models/mlp.keras";
    int psPort = freeUdpPort();
    Submitted train = submit("client", 2, psPort, "train", "--model", root + "/models/mlp.json",
        "--input", root + "/lake/train", "--features", "features", "--label", "label",
        "--epochs", "2", "--batch-size", "32", "--workers", "2", "--mode", "sync",
        "--optimizer", "adam", "--learning-rate", "0.02",
        "--loss", "sparse_categorical_crossentropy", "--metrics", "accuracy", "--seed", "3",
        "--validation", root + "/lake/test", "--output", model);
    assertEquals(0, train.exitCode(), "train failed: " + train.stdout() + "; " + train.log());
    assertEquals(FinalApplicationStatus.SUCCEEDED, app(train).getFinalApplicationStatus());
    JsonNode trained = train.json();
    assertEquals("train", trained.get("command").asText());
    assertEquals(2, trained.get("epochs").asInt());
    double valAccuracy = trained.get("metrics").get("accuracy").asDouble();
    assertTrue(valAccuracy > 0.8, "validation accuracy " + valAccuracy);
    assertTrue(train.portBound(), "the parameter server bound UDP 127.0.0.1:" + psPort);

    String scores = root + "/lake/scores";
    Submitted predict = submit("cluster", 1, psPort, "predict", "--model", model,
        "--input", root + "/lake/test", "--features", "features", "--keep", "id,label",
        "--output", scores);
    RMApp app = app(predict);
    assertEquals(0, predict.exitCode(), "predict failed: " + app.getDiagnostics() + "; "
        + predict.log());
    assertEquals(FinalApplicationStatus.SUCCEEDED, app.getFinalApplicationStatus());
    JsonNode predicted = lastJsonLine(amStdout(app));
    assertEquals("predict", predicted.get("command").asText());
    assertEquals(TEST_ROWS, predicted.get("rows").asLong());

    checkScores(scores, model, valAccuracy);
    assertTrue(watch.count("YarnCoarseGrainedExecutorBackend") >= 3, "2 + 1 executors");
    System.err.printf("YarnSubmitIT: %.0f s for both jobs; peak resident memory: executors %d MB,"
        + " client-mode driver %d MB, cluster-mode driver %d MB%n",
        (System.nanoTime() - started) / 1e9, watch.peakMb("YarnCoarseGrainedExecutorBackend"),
        watch.peakMb("spark-submit"),
        watch.peakMb("org.apache.spark.deploy.yarn.ApplicationMaster"));
    passed = true;
  }

  /** The table: its columns and rows, its accuracy, and the model scores here as it did there. */
  static void checkScores(String scores, String model, double valAccuracy) throws Exception {
    Dataset<Row> out = spark.read().parquet(scores);
    assertEquals(List.of("id", "label", "prediction", "predicted_class"), List.of(out.columns()));
    assertEquals(TEST_ROWS, out.count());
    assertEquals(TEST_ROWS, out.select("id").distinct().count(), "each id once");
    double accuracy = out.filter("predicted_class = label").count() / (double) TEST_ROWS;
    assertEquals(valAccuracy, accuracy, 1e-6, "the table's accuracy = train's validation");

    Model loaded = Model.load(model);
    List<Row> rows = spark.read().parquet(root + "/lake/test").join(out.select("id", "prediction"),
        "id").orderBy("id").limit(5).collectAsList();
    float[][] x = new float[rows.size()][];
    for (int i = 0; i < x.length; i++) {
      List<Float> f = rows.get(i).getList(rows.get(i).fieldIndex("features"));
      x[i] = toFloats(f);
    }
    float[] here = loaded.predict(NDArray.ofRows(x)).toArray();
    for (int i = 0; i < x.length; i++) {
      float[] there = toFloats(rows.get(i).getList(rows.get(i).fieldIndex("prediction")));
      for (int c = 0; c < CLASSES; c++) {
        assertEquals(there[c], here[i * CLASSES + c], 1e-5, "row " + i + " class " + c);
      }
    }
  }

  /**
   * Runs SparkSubmit in a child JVM with {@code HADOOP_CONF_DIR} and that directory on its
   * classpath (what bin/spark-submit does), and waits for it; notes whether the parameter server's
   * UDP port was bound meanwhile.
   */
  static Submitted submit(String deployMode, int executors, int psPort, String... args)
      throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(JvmFlags.all());
    cmd.addAll(List.of("-Xmx512m", SparkSubmitJarIT.cacheDir(),
        "-Djava.io.tmpdir=" + WORK.resolve("tmp"), "-cp",
        hadoop.confDir() + File.pathSeparator + sparkOnly, "org.apache.spark.deploy.SparkSubmit"));
    cmd.addAll(sparkSubmitFlags(deployMode, executors, psPort));
    cmd.add(jar.toString());
    cmd.addAll(Arrays.asList(args));
    Path log = WORK.resolve("submit-" + args[0] + ".log");
    Path out = WORK.resolve("submit-" + args[0] + ".out");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(WORK.toFile())
        .redirectError(log.toFile()).redirectOutput(out.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().put("HADOOP_CONF_DIR", hadoop.confDir().toString());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().remove("SPARK_HOME");
    Process p = pb.start();
    watch.label(p.pid(), "spark-submit");
    String port = String.format(":%04X", psPort);
    boolean[] bound = {false};
    boolean exited = watch.waitFor(p, SUBMIT_LIMIT, () -> bound[0] |= udpBound(port));
    assertTrue(exited, args[0] + ": spark-submit still running after " + SUBMIT_LIMIT
        + ", killed; log " + log);
    return new Submitted(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).strip(),
        log, bound[0]);
  }

  /** docs/cluster.md's YARN flags, with this minicluster's paths. */
  static List<String> sparkSubmitFlags(String deployMode, int executors, int psPort) {
    String javaHome = System.getProperty("java.home");
    String javaOptions = JvmFlags.AERON_EXPORT + " " + SparkSubmitJarIT.cacheDir();
    List<String> f = new ArrayList<>(List.of("--master", "yarn", "--deploy-mode", deployMode,
        "--num-executors", Integer.toString(executors), "--executor-cores", "1",
        "--executor-memory", "512m", "--driver-memory", "512m",
        "--conf", "spark.executor.memoryOverhead=512m",
        "--conf", "spark.driver.memoryOverhead=512m",
        "--conf", "spark.yarn.jars=" + localJars(), "--conf", "spark.yarn.maxAppAttempts=1",
        "--conf", "spark.dynamicAllocation.enabled=false",
        "--conf", "spark.executor.extraJavaOptions=" + javaOptions,
        "--conf", "spark.driver.extraJavaOptions=" + javaOptions,
        "--conf", "spark.sparkeras.ps.port=" + psPort, "--conf", "spark.sparkeras.ps.ipc=false",
        "--conf", "spark.ui.enabled=false", "--conf", "spark.sql.shuffle.partitions=2",
        "--conf", "spark.local.dir=" + WORK.resolve("tmp")));
    for (String env : List.of("JAVA_HOME=" + javaHome, "OMP_WAIT_POLICY=PASSIVE",
        "OPENBLAS_NUM_THREADS=1", "SPARKERAS_THREADS=1")) {
      f.addAll(List.of("--conf", "spark.executorEnv." + env,
          "--conf", "spark.yarn.appMasterEnv." + env));
    }
    if (deployMode.equals("client")) {
      f.addAll(List.of("--conf", "spark.driver.host=127.0.0.1",
          "--conf", "spark.driver.bindAddress=127.0.0.1"));
    }
    f.addAll(List.of("--class", "io.sparkeras.jobs.Main"));
    return f;
  }

  /** Spark's jars (and Scala's, Hadoop's) as {@code local:} paths: present on every node. */
  static String localJars() {
    return Arrays.stream(sparkOnly.split(File.pathSeparator)).filter(e -> e.endsWith(".jar"))
        .map(e -> "local:" + e).collect(Collectors.joining(","));
  }

  /** The YARN application that spark-submit's log says it submitted. */
  static RMApp app(Submitted s) throws IOException {
    Matcher m = SUBMITTED.matcher(Files.readString(s.log(), StandardCharsets.UTF_8));
    assertTrue(m.find(), "no application id in " + s.log());
    return hadoop.yarn.getResourceManager().getRMContext().getRMApps().values().stream()
        .filter(a -> a.getApplicationId().toString().equals(m.group(1))).findFirst()
        .orElseThrow(() -> new AssertionError("YARN does not know " + m.group(1)));
  }

  /** The stdout of the application's first container: its application master (and driver). */
  static String amStdout(RMApp app) throws IOException {
    String id = app.getApplicationId().toString();
    try (Stream<Path> files = Files.walk(hadoop.yarnWorkDir().toPath())) {
      Path stdout = files.filter(f -> f.getFileName().toString().equals("stdout")
          && f.getParent().getFileName().toString().endsWith("_000001")
          && f.getParent().getParent().getFileName().toString().equals(id)).findFirst()
          .orElseThrow(() -> new AssertionError("no application master log for " + id));
      return Files.readString(stdout, StandardCharsets.UTF_8);
    }
  }

  static int freeUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Whether a UDP socket is bound to {@code :PORT} (upper-case hex), IPv4 or IPv6. */
  static boolean udpBound(String port) {
    for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
      try {
        for (String line : Files.readAllLines(Path.of(table))) {
          String[] cols = line.strip().split("\\s+");
          if (cols.length > 1 && cols[1].endsWith(port)) {
            return true;
          }
        }
      } catch (IOException e) {
        // no such table here
      }
    }
    return false;
  }

  /** Rows id, features (array<float>), label (int): class c's features lean to dimensions c, c+3. */
  static Dataset<Row> data(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int label = r.nextInt(CLASSES);
      float[] x = new float[FEATURES];
      for (int j = 0; j < FEATURES; j++) {
        x[j] = (float) ((j % CLASSES == label ? 1.5 : 0.0) + r.nextGaussian() * 0.6);
      }
      rows.add(RowFactory.create(seed * 10_000 + i, x, label));
    }
    StructType schema = new StructType()
        .add("id", DataTypes.LongType, false)
        .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
        .add("label", DataTypes.IntegerType, false);
    return spark.createDataFrame(rows, schema).repartition(2);
  }

  private static float[] toFloats(List<?> values) {
    float[] f = new float[values.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = ((Number) values.get(i)).floatValue();
    }
    return f;
  }
}
