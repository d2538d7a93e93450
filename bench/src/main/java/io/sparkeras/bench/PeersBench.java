package io.sparkeras.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The peer benchmark: every system trains the same Fashion-MNIST workloads on the same 2 cores
 * (a local[2] Spark: 2 workers x 1 core), with the same epochs and batch size per worker, each in
 * its own JVM, one after the other; writes {@code peers-<date>[-tag].md}, {@code .csv} and
 * {@code .png} (time vs test accuracy).
 *
 * <pre>{@code
 * bin/sparkeras bench peers [--epochs 3] [--train-rows 60000] [--cnn-train-rows 60000]
 *     [--test-rows 10000] [--batch 128] [--workloads mlp,cnn] [--systems all|a,b,..]
 *     [--mllib-seconds 300] [--repeats 1] [--out bench/results] [--no-ps] [--no-inference]
 *     [--tag NAME] [--system-timeout 3600] [--logs DIR]
 * }</pre>
 *
 * Systems: {@code sparkeras-sync}, {@code sparkeras-async}, {@code sparkeras-averaging} and
 * {@code single-jvm}, {@code mllib-mlp} ({@link PeerRun}, this module's classpath),
 * {@code dl4j-shared} and {@code dl4j-averaging} (bench-dl4j's main with bench-dl4j's own
 * classpath, {@code bench-dl4j/target/classpath.txt}). Samples/s: the median (and min-max) over
 * every epoch after the first of every repeat; times to 85% / 88% test accuracy count training
 * time only. Peak RSS: the largest VmHWM of the system's JVM and its child processes (with
 * local[2] the driver and both executors are that one JVM). Each child's log, and the JVM's
 * crash report if one dies ({@code <log>.hs_err_pid<pid>.log}), go to {@code --logs} (default a
 * temporary folder, deleted when every system succeeded); a failed system's error names both.
 */
public final class PeersBench {
  /** Every system, in the order of the tables. */
  public static final List<String> SYSTEMS = List.of("sparkeras-sync", "sparkeras-async",
      "sparkeras-averaging", "dl4j-shared", "dl4j-averaging", "mllib-mlp", "single-jvm");
  /** The batch-inference benchmark, run when its class is on the classpath. */
  static final String INFERENCE_CLASS = "io.sparkeras.bench.InferenceBench";
  /** JVM flags of every child (Spark's opens, Aeron's export; see docs/platform.md). */
  static final List<String> JVM_FLAGS = List.of("-XX:+IgnoreUnrecognizedVMOptions",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
      "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
      "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
      "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
      "-Djdk.reflect.useDirectMethodHandle=false",
      "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");

  private static final ObjectMapper JSON = new ObjectMapper();

  private PeersBench() {}

  /** What to run. */
  public static final class Options {
    int epochs = 3;
    int trainRows = 60_000;
    int cnnTrainRows = 60_000;
    int testRows = 10_000;
    int batch = 128;
    int repeats = 1;
    double mllibSeconds = 300;
    long systemTimeoutSeconds = 3600;
    List<String> workloads = List.of("mlp", "cnn");
    List<String> systems = SYSTEMS;
    Path out;
    Path home;
    boolean ps = true;
    boolean inference = true;
    String tag = "";
    Path logs;

    /** Parses the command line flags above. */
    public static Options parse(String... args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String v = i + 1 < args.length ? args[i + 1] : null;
        switch (args[i]) {
          case "--epochs": o.epochs = Integer.parseInt(v); i++; break;
          case "--train-rows": o.trainRows = Integer.parseInt(v); i++; break;
          case "--cnn-train-rows": o.cnnTrainRows = Integer.parseInt(v); i++; break;
          case "--test-rows": o.testRows = Integer.parseInt(v); i++; break;
          case "--batch": o.batch = Integer.parseInt(v); i++; break;
          case "--repeats": o.repeats = Integer.parseInt(v); i++; break;
          case "--mllib-seconds": o.mllibSeconds = Double.parseDouble(v); i++; break;
          case "--system-timeout": o.systemTimeoutSeconds = Long.parseLong(v); i++; break;
          case "--workloads": o.workloads = Arrays.asList(v.split(",")); i++; break;
          case "--systems":
            o.systems = v.equals("all") ? SYSTEMS : Arrays.asList(v.split(","));
            i++;
            break;
          case "--out": o.out = Paths.get(v); i++; break;
          case "--home": o.home = Paths.get(v); i++; break;
          case "--no-ps": o.ps = false; break;
          case "--no-inference": o.inference = false; break;
          case "--tag": o.tag = "-" + v; i++; break;
          case "--logs": o.logs = Paths.get(v); i++; break;
          default:
            throw new IllegalArgumentException("bench peers: unknown argument " + args[i]);
        }
      }
      for (String s : o.systems) {
        if (!SYSTEMS.contains(s)) {
          throw new IllegalArgumentException("--systems: unknown system " + s + "; expected "
              + SYSTEMS);
        }
      }
      for (String w : o.workloads) {
        if (!w.equals("mlp") && !w.equals("cnn")) {
          throw new IllegalArgumentException("--workloads: expected mlp and/or cnn, found " + w);
        }
      }
      if (o.home == null) {
        o.home = findHome();
      }
      if (o.out == null) {
        o.out = o.home.resolve("bench/results");
      }
      return o;
    }
  }

  /** One system on one workload. */
  public static final class Result {
    final String system;
    final String workload;
    final List<JsonNode> epochs = new ArrayList<>();
    final List<Double> rates = new ArrayList<>();
    JsonNode profile;
    double peakRssMb = -1;
    String error;
    String note = "";

    Result(String system, String workload) {
      this.system = system;
      this.workload = workload;
    }

    /** The system's name as in the CSV. */
    public String system() {
      return system;
    }

    /** {@code mlp} or {@code cnn}. */
    public String workload() {
      return workload;
    }

    /** Why the system produced no numbers, or null. */
    public String error() {
      return error;
    }

    /** Test accuracy after the last epoch, NaN without one. */
    public double finalAccuracy() {
      return epochs.isEmpty() ? Double.NaN : last().get("test_accuracy").asDouble();
    }

    /** Median samples/s over the measured epochs, NaN without one. */
    public double samplesPerSecondMedian() {
      if (rates.isEmpty()) {
        return Double.NaN;
      }
      double[] r = rates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return r.length % 2 == 1 ? r[r.length / 2] : (r[r.length / 2 - 1] + r[r.length / 2]) / 2;
    }

    double rateMin() {
      return rates.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double rateMax() {
      return rates.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** Training seconds until the test accuracy first reached {@code target}, NaN if never. */
    public double secondsTo(double target) {
      for (JsonNode e : epochs) {
        if (e.get("test_accuracy").asDouble() >= target) {
          return e.get("seconds").asDouble();
        }
      }
      return Double.NaN;
    }

    JsonNode last() {
      return epochs.get(epochs.size() - 1);
    }
  }

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    run(o);
  }

  /** Runs every system of {@code o} on every workload and writes the report files. */
  public static List<Result> run(Options o) throws IOException, InterruptedException {
    Files.createDirectories(o.out);
    String date = LocalDate.now(ZoneOffset.UTC).toString();
    boolean ownLogs = o.logs == null;
    Path logs = ownLogs ? Files.createTempDirectory("sparkeras-peers-logs")
        : Files.createDirectories(o.logs);
    String loadBefore = loadAverage();
    long started = System.nanoTime();
    List<Result> results = new ArrayList<>();
    for (String workload : o.workloads) {
      for (String system : o.systems) {
        Result r = new Result(system, workload);
        results.add(r);
        if (system.equals("mllib-mlp") && workload.equals("cnn")) {
          r.error = "not applicable: MLlib has no convolution layers";
          continue;
        }
        for (int rep = 0; rep < o.repeats; rep++) {
          Result one = new Result(system, workload);
          runSystem(o, one, logs.resolve(system + "-" + workload + "-" + rep + ".log"));
          merge(r, one, rep == 0);
          System.out.printf(Locale.ROOT, "%-20s %-4s run %d: %s%n", system, workload, rep + 1,
              one.error != null ? "FAILED " + one.error : summary(one));
          if (one.error != null) {
            break;
          }
        }
      }
    }
    Map<String, String> extras = new LinkedHashMap<>();
    if (o.ps) {
      extras.put("Parameter server vs raw Aeron (`bin/sparkeras bench ps --sizes 1000000,10000000 "
          + "--clients 2 --repeat 1 --latency-steps 100`)", runExtra(o, PsBenchmark.class.getName(),
          List.of("-Xmx4g", "-XX:MaxDirectMemorySize=12g"), List.of("--sizes", "1000000,10000000",
          "--clients", "2", "--repeat", "1", "--latency-steps", "100"), logs.resolve("ps.log")));
    }
    if (o.inference) {
      if (classExists(INFERENCE_CLASS)) {
        extras.put("Batch inference (`bin/sparkeras bench inference`)", runExtra(o,
            INFERENCE_CLASS, List.of(), List.of(), logs.resolve("inference.log")));
      } else {
        extras.put("Batch inference", "not run: " + INFERENCE_CLASS + " is not in this build");
      }
    }
    double minutes = (System.nanoTime() - started) / 60e9;
    String base = "peers-" + date + o.tag;
    writeCsv(results, o.out.resolve(base + ".csv"));
    writePlot(results, o.workloads, o.out.resolve(base + ".png"));
    writeMarkdown(results, o, extras, loadBefore, loadAverage(), minutes, base,
        o.out.resolve(base + ".md"));
    boolean failed = results.stream().anyMatch(r -> r.error != null && r.epochs.isEmpty()
        && !r.error.startsWith("not applicable"));
    if (failed || !ownLogs) {
      System.out.println("wrote " + o.out.resolve(base + ".md") + " (.csv, .png); child logs "
          + "kept in " + logs);
    } else {
      try (java.util.stream.Stream<Path> files = Files.list(logs)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.delete(f);
        }
      }
      Files.delete(logs);
      System.out.println("wrote " + o.out.resolve(base + ".md") + " (.csv, .png)");
    }
    return results;
  }

  private static void merge(Result into, Result one, boolean first) {
    if (first) {
      into.epochs.addAll(one.epochs);
      into.profile = one.profile;
      into.note = one.note;
    }
    into.rates.addAll(one.rates);
    into.peakRssMb = Math.max(into.peakRssMb, one.peakRssMb);
    if (one.error != null && into.error == null) {
      into.error = one.error;
    }
  }

  private static String summary(Result r) {
    return String.format(Locale.ROOT, "%.0f samples/s, final accuracy %.4f, to 85%% %s s, "
        + "peak RSS %.0f MB", r.samplesPerSecondMedian(), r.finalAccuracy(),
        fmt(r.secondsTo(0.85), 1), r.peakRssMb);
  }

  // ---- children --------------------------------------------------------------------------------

  static Path findHome() {
    String prop = System.getProperty("sparkeras.home");
    if (prop != null) {
      return Paths.get(prop);
    }
    Path p = Paths.get("").toAbsolutePath();
    while (p != null) {
      if (Files.isRegularFile(p.resolve("bench-dl4j/pom.xml"))) {
        return p;
      }
      p = p.getParent();
    }
    throw new IllegalStateException("bench peers: cannot find the Sparkeras checkout (a folder "
        + "with bench-dl4j/pom.xml) above " + Paths.get("").toAbsolutePath()
        + "; pass --home DIR or -Dsparkeras.home=DIR");
  }

  /** A child's command line; a JVM crash report goes beside {@code log} (see crashReport). */
  private static List<String> javaCommand(List<String> extraFlags, String classpath, String main,
      Path log) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(JVM_FLAGS);
    cmd.add("-XX:ErrorFile=" + log.toAbsolutePath() + ".hs_err_pid%p.log");
    String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
    if (cache != null) {
      cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
    }
    // Sparkeras's own settings (-Dsparkeras.*, and the trainer's -Dspark.sparkeras.*, which a
    // SparkSession reads from the system properties) reach every system's JVM
    for (String key : System.getProperties().stringPropertyNames()) {
      if ((key.startsWith("sparkeras.") || key.startsWith("spark.sparkeras."))
          && !key.equals("sparkeras.home")) {
        cmd.add("-D" + key + "=" + System.getProperty(key));
      }
    }
    cmd.addAll(extraFlags);
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(main);
    return cmd;
  }

  /** The crash report the child {@code pid} logging to {@code log} left, or null. */
  static Path crashReport(Path log, long pid) {
    Path f = log.toAbsolutePath().resolveSibling(log.getFileName() + ".hs_err_pid" + pid + ".log");
    return Files.isRegularFile(f) ? f : null;
  }

  private static String dl4jClasspath(Path home) throws IOException {
    Path file = home.resolve("bench-dl4j/target/classpath.txt");
    Path classes = home.resolve("bench-dl4j/target/classes");
    if (!Files.isRegularFile(file) || !Files.isDirectory(classes)) {
      throw new IOException(file + " or " + classes + " is missing: build bench-dl4j first "
          + "(bin/setup, or mvn -pl bench-dl4j package)");
    }
    return classes + ":" + Files.readString(file).trim();
  }

  private static void runSystem(Options o, Result r, Path log) throws InterruptedException {
    boolean cnn = r.workload.equals("cnn");
    int trainRows = cnn ? o.cnnTrainRows : o.trainRows;
    List<String> cmd;
    Map<String, String> env = new LinkedHashMap<>();
    try {
      if (r.system.startsWith("dl4j-")) {
        cmd = javaCommand(List.of("-Xmx4g", "-Ddl4j.port=" + freeUdpPort()), dl4jClasspath(o.home),
            "io.sparkeras.benchdl4j.Dl4jSparkBench", log);
        cmd.addAll(List.of("--model", r.workload, "--master", r.system.substring(5)));
        env.put("OMP_NUM_THREADS", "1"); // ND4J: one core per task, 2 tasks
        r.note = "DL4J 1.0.0-M2, local[2], " + (r.system.equals("dl4j-shared")
            ? "SharedTrainingMaster (gradient sharing, workersPerNode 1)"
            : "ParameterAveragingTrainingMaster (averaging every "
            + "5 steps)") + ", OMP_NUM_THREADS=1";
      } else {
        cmd = javaCommand(List.of("-Xmx4g"), System.getProperty("java.class.path"),
            PeerRun.class.getName(), log);
        cmd.addAll(List.of("--system", r.system, "--workload", r.workload,
            "--mllib-seconds", String.valueOf(o.mllibSeconds)));
        r.note = noteFor(r.system);
      }
    } catch (IOException e) {
      r.error = e.getMessage();
      return;
    }
    cmd.addAll(List.of("--epochs", String.valueOf(o.epochs), "--train-rows",
        String.valueOf(trainRows), "--test-rows", String.valueOf(o.testRows), "--batch",
        String.valueOf(o.batch)));
    // the children's logs go to stderr: a separate file, so that no log line can split a result
    Path errLog = log.resolveSibling(log.getFileName() + ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(errLog.toFile());
    pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    pb.environment().put("OPENBLAS_NUM_THREADS", "1");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().putAll(env);
    List<String> tail = new ArrayList<>();
    AtomicLong peakKb = new AtomicLong(-1);
    List<Path> shmBefore = dl4jAeronDirs();
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      r.error = "cannot start " + cmd.get(0) + ": " + e.getMessage();
      return;
    }
    Thread sampler = new Thread(() -> {
      while (p.isAlive()) {
        peakKb.accumulateAndGet(vmHwmKb(p.toHandle()), Math::max);
        try {
          Thread.sleep(250);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "peers-rss");
    sampler.setDaemon(true);
    sampler.start();
    double reported = -1;
    AtomicBoolean timedOut = new AtomicBoolean();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8)); PrintWriter w = new PrintWriter(Files.newBufferedWriter(log))) {
      Thread killer = new Thread(() -> {
        try {
          if (!p.waitFor(o.systemTimeoutSeconds, TimeUnit.SECONDS)) {
            timedOut.set(true);
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "peers-timeout");
      killer.setDaemon(true);
      killer.start();
      String line;
      while ((line = in.readLine()) != null) {
        w.println(line);
        JsonNode n = resultLine(line, "PEER_EPOCH ");
        if (n != null) {
          r.epochs.add(n);
        } else if ((n = resultLine(line, "PEER_PROFILE ")) != null) {
          r.profile = n;
        } else if ((n = resultLine(line, "PEER_DONE ")) != null) {
          reported = n.path("vm_hwm_mb").asDouble(-1);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int rc = p.waitFor();
    if (r.system.startsWith("dl4j-")) {
      deleteNewAeronDirs(shmBefore);
    }
    try {
      for (String l : Files.readAllLines(errLog, StandardCharsets.ISO_8859_1)) {
        if (l.contains("Exception") || l.contains("Error")) {
          tail.add(l.trim());
        }
      }
    } catch (IOException e) {
      tail.add("cannot read " + errLog + ": " + e.getMessage());
    }
    sampler.interrupt();
    sampler.join(1000);
    r.peakRssMb = Math.max(reported, peakKb.get() / 1024.0);
    if (timedOut.get() && !r.epochs.isEmpty()) {
      // a time budget, not a failure: the epochs it finished count (DL4J's slow masters)
      r.note = r.note + " Stopped at the " + o.systemTimeoutSeconds + " s time budget after "
          + r.epochs.size() + " epoch(s).";
    } else if (rc != 0 || r.epochs.isEmpty()) {
      Path crash = crashReport(log, p.pid());
      r.error = (timedOut.get() ? "no epoch within the " + o.systemTimeoutSeconds
          + " s time budget, " : "") + "exit code " + rc
          + (crash != null ? ", the JVM crashed: " + crash : "")
          + (tail.isEmpty() ? "" : ": " + tail.get(0)) + " (log " + log + ")";
    }
    for (int i = 0; i < r.epochs.size(); i++) {
      if (i == 0 && r.epochs.size() > 1) {
        continue; // the first epoch carries JIT, start-up and caching
      }
      JsonNode e = r.epochs.get(i);
      r.rates.add(e.get("samples").asDouble() / e.get("epoch_seconds").asDouble());
    }
  }

  /** DL4J's embedded Aeron media driver directories ({@code /dev/shm/aeron-root-<uuid>}). */
  private static List<Path> dl4jAeronDirs() {
    Path shm = Paths.get("/dev/shm");
    String prefix = "aeron-" + System.getProperty("user.name") + "-";
    List<Path> out = new ArrayList<>();
    try (java.util.stream.Stream<Path> files = Files.list(shm)) {
      files.filter(f -> f.getFileName().toString().startsWith(prefix)).forEach(out::add);
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  /** DL4J leaves its media driver's directory behind (~47 MB each): delete the child's. */
  private static void deleteNewAeronDirs(List<Path> before) {
    for (Path d : dl4jAeronDirs()) {
      if (before.contains(d)) {
        continue;
      }
      try (java.util.stream.Stream<Path> walk = Files.walk(d)) {
        List<Path> all = new ArrayList<>();
        walk.forEach(all::add);
        for (int i = all.size() - 1; i >= 0; i--) {
          Files.deleteIfExists(all.get(i));
        }
      } catch (IOException e) {
        System.err.println("bench peers: cannot delete " + d + ": " + e.getMessage());
      }
    }
  }

  /** The JSON after {@code prefix} on a result line, or null for any other (or a broken) line. */
  private static JsonNode resultLine(String line, String prefix) {
    if (!line.startsWith(prefix)) {
      return null;
    }
    try {
      return JSON.readTree(line.substring(prefix.length()));
    } catch (IOException e) {
      return null;
    }
  }

  private static String noteFor(String system) {
    switch (system) {
      case "sparkeras-sync": return "local[2], 2 workers x 1 libtorch thread, sync";
      case "sparkeras-async": return "local[2], 2 workers x 1 libtorch thread, async staleness "
          + PeerRun.STALENESS;
      case "sparkeras-averaging": return "local[2], 2 workers x 1 libtorch thread, averaging "
          + "every " + PeerRun.AVERAGING_STEPS + " steps";
      case "single-jvm": return "model.fit in one JVM, 2 libtorch threads (MLP: BLAS on both, "
          + "CNN: BLAS on one, the faster for each), same global batch";
      case "mllib-mlp": return "local[2], sigmoid hidden layers, L-BFGS in rounds (5, 5, 10, "
          + "10, 20, ..) continued from the last weights; an epoch is one round; samples/s counts "
          + "one pass per iteration";
      default: return "";
    }
  }

  private static int freeUdpPort() throws IOException {
    try (java.net.DatagramSocket s = new java.net.DatagramSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Largest VmHWM (kB) of the process and its descendants. */
  static long vmHwmKb(ProcessHandle h) {
    long max = readHwm(h.pid());
    for (ProcessHandle c : (Iterable<ProcessHandle>) h.descendants()::iterator) {
      max = Math.max(max, readHwm(c.pid()));
    }
    return max;
  }

  private static long readHwm(long pid) {
    try {
      for (String l : Files.readAllLines(Paths.get("/proc", String.valueOf(pid), "status"))) {
        if (l.startsWith("VmHWM:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException | UncheckedIOException e) {
      return -1;
    }
    return -1;
  }

  private static String runExtra(Options o, String main, List<String> flags, List<String> args,
      Path log) throws InterruptedException, IOException {
    List<String> cmd = javaCommand(flags, System.getProperty("java.class.path"), main, log);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    pb.environment().put("OPENBLAS_NUM_THREADS", "1");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = pb.start();
    if (!p.waitFor(o.systemTimeoutSeconds, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor();
      return "timed out after " + o.systemTimeoutSeconds + " s";
    }
    List<String> lines = Files.readAllLines(log);
    String json = null;
    for (String l : lines) {
      if (l.trim().startsWith("{")) {
        json = l.trim();
      }
    }
    if (p.exitValue() != 0 || json == null) {
      Path crash = crashReport(log, p.pid());
      return "failed (exit code " + p.exitValue() + (crash != null ? ", the JVM crashed: " + crash
          : "") + ", log " + log + ")";
    }
    return "`" + json + "`";
  }

  private static boolean classExists(String name) {
    try {
      Class.forName(name, false, PeersBench.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  // ---- reports ---------------------------------------------------------------------------------

  static String fmt(double v, int decimals) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  private static void writeCsv(List<Result> results, Path file) throws IOException {
    StringBuilder sb = new StringBuilder("system,workload,samples_per_s_median,samples_per_s_min,"
        + "samples_per_s_max,seconds_to_85,seconds_to_88,final_test_accuracy,peak_rss_mb,"
        + "epochs,status\n");
    for (Result r : results) {
      sb.append(String.join(",", r.system, r.workload, fmt(r.samplesPerSecondMedian(), 0),
          fmt(r.rateMin(), 0), fmt(r.rateMax(), 0), fmt(r.secondsTo(0.85), 1),
          fmt(r.secondsTo(0.88), 1), fmt(r.finalAccuracy(), 4),
          r.peakRssMb > 0 ? fmt(r.peakRssMb, 0) : "", String.valueOf(r.epochs.size()),
          r.error == null ? "ok" : "\"" + r.error.replace("\"", "'") + "\"")).append('\n');
    }
    Files.writeString(file, sb.toString());
  }

  private static void writePlot(List<Result> results, List<String> workloads, Path file)
      throws IOException {
    List<Chart<?, ?>> charts = new ArrayList<>();
    for (String w : workloads) {
      XYChart c = new XYChartBuilder().width(700).height(480)
          .title("Fashion-MNIST " + (w.equals("mlp") ? "MLP 784-512-256-10" : "small CNN")
              + ": test accuracy vs training time")
          .xAxisTitle("training seconds (2 cores)").yAxisTitle("test accuracy").build();
      c.getStyler().setXAxisLogarithmic(true);
      c.getStyler().setYAxisMin(0.2);
      c.getStyler().setYAxisMax(0.95);
      boolean any = false;
      for (Result r : results) {
        if (!r.workload.equals(w) || r.epochs.isEmpty()) {
          continue;
        }
        double[] x = r.epochs.stream().mapToDouble(e -> e.get("seconds").asDouble()).toArray();
        double[] y = r.epochs.stream().mapToDouble(e -> e.get("test_accuracy").asDouble())
            .toArray();
        XYSeries s = c.addSeries(r.system, x, y);
        s.setMarker(SeriesMarkers.CIRCLE);
        any = true;
      }
      if (!any) {
        c.addSeries("no results", new double[] {1}, new double[] {0.5});
      }
      charts.add(c);
    }
    BitmapEncoder.saveBitmap(charts, 1, charts.size(), file.toString(),
        BitmapEncoder.BitmapFormat.PNG);
  }

  private static void writeMarkdown(List<Result> results, Options o, Map<String, String> extras,
      String loadBefore, String loadAfter, double minutes, String base, Path file)
      throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("# Peer benchmark ").append(base.substring(6)).append("\n\n");
    String command = "bin/sparkeras bench peers --epochs " + o.epochs + " --train-rows "
        + o.trainRows + " --cnn-train-rows " + o.cnnTrainRows + " --repeats " + o.repeats
        + " --mllib-seconds " + fmt(o.mllibSeconds, 0) + " --workloads "
        + String.join(",", o.workloads) + " --systems " + String.join(",", o.systems)
        + (o.tag.isEmpty() ? "" : " --tag " + o.tag.substring(1));
    sb.append(String.format(Locale.ROOT, "Machine: %d cores (%s), %s; Java %s. Load average "
        + "before %s, after %s: a shared machine, numbers are noisy (min-max given). Versions: "
        + "Spark %s / Scala 2.12, Sparkeras on libtorch 2.13 (org.bytedeco:pytorch 2.13.0-1.5.14), "
        + "Deeplearning4j / ND4J 1.0.0-M2 (dl4j-spark-parameterserver_2.12), Spark MLlib %s.%n%n",
        Runtime.getRuntime().availableProcessors(), cpuModel(), memory(),
        System.getProperty("java.version"), loadBefore, loadAfter, sparkVersion(),
        sparkVersion()));
    sb.append(String.format(Locale.ROOT, "Setup: Fashion-MNIST (Debian dataset-fashion-mnist), "
        + "%d training rows (CNN: %d), %d test rows; %d epochs; batch %d per worker (global %d); "
        + "Adam 1e-3; 2 workers x 1 core on local[2] unless noted; %d run(s) per system; "
        + "samples/s = median (min-max) over the epochs after the first; times count training "
        + "only (test evaluation excluded). Whole run %.1f min. Rerun: `%s`.%n%n", o.trainRows,
        o.cnnTrainRows, o.testRows, o.epochs, o.batch, 2 * o.batch, o.repeats, minutes, command));
    for (String w : o.workloads) {
      sb.append("## ").append(w.equals("mlp") ? "MLP 784-512-256-10 (ReLU)"
          : "CNN conv32-pool-conv64-pool-dense128").append("\n\n");
      sb.append("| system | samples/s median (min-max) | s to 85% | s to 88% | final test acc "
          + "| peak RSS MB | epochs | notes |\n|---|---|---|---|---|---|---|---|\n");
      for (Result r : results) {
        if (!r.workload.equals(w)) {
          continue;
        }
        String note = r.error != null ? "**" + r.error.replaceAll("\\(log [^)]*\\)", "")
            .replace("|", "/") + "** " + r.note : r.note;
        if (r.profile != null) {
          note += String.format(Locale.ROOT, "; last epoch per worker: compute %.1f s, push %.1f "
              + "s, pull/wait %.1f s over %d steps", r.profile.get("compute_s").asDouble(),
              r.profile.get("push_s").asDouble(), r.profile.get("pull_s").asDouble(),
              r.profile.get("steps").asInt());
        }
        sb.append(String.format(Locale.ROOT, "| %s | %s (%s-%s) | %s | %s | %s | %s | %d | %s |%n",
            r.system, fmt(r.samplesPerSecondMedian(), 0), fmt(r.rateMin(), 0),
            fmt(r.rateMax(), 0), dash(r.secondsTo(0.85)), dash(r.secondsTo(0.88)),
            fmt(r.finalAccuracy(), 4), r.peakRssMb > 0 ? fmt(r.peakRssMb, 0) : "",
            r.epochs.size(), note));
      }
      sb.append('\n').append(targets(results, w)).append('\n');
    }
    for (Map.Entry<String, String> e : extras.entrySet()) {
      sb.append("## ").append(e.getKey()).append("\n\n").append(e.getValue()).append("\n\n");
    }
    sb.append("Plot: `").append(base).append(".png`; rows: `").append(base).append(".csv`. "
        + "Peak RSS is the largest VmHWM of the system's JVM and its children: with local[2] the "
        + "driver and both executors are one JVM.\n");
    Files.writeString(file, sb.toString());
  }

  private static String dash(double v) {
    return Double.isNaN(v) ? "not reached" : fmt(v, 1);
  }

  private static Result find(List<Result> results, String system, String workload) {
    for (Result r : results) {
      if (r.system.equals(system) && r.workload.equals(workload) && !r.epochs.isEmpty()) {
        return r;
      }
    }
    return null;
  }

  /** The targets, computed from this run (met or missed, and by how much). */
  static String targets(List<Result> results, String w) {
    StringBuilder sb = new StringBuilder("Targets (" + w + "):\n");
    Result sync = find(results, "sparkeras-sync", w);
    if (sync == null) {
      return sb.append("- sparkeras-sync has no result: no target can be computed\n").toString();
    }
    Result shared = find(results, "dl4j-shared", w);
    Result avg = find(results, "dl4j-averaging", w);
    Result dl4j = shared == null ? avg : avg == null ? shared
        : shared.samplesPerSecondMedian() >= avg.samplesPerSecondMedian() ? shared : avg;
    if (dl4j != null) {
      double ratio = sync.samplesPerSecondMedian() / dl4j.samplesPerSecondMedian();
      sb.append(String.format(Locale.ROOT, "- sync vs the faster DL4J master (%s): %.2fx "
          + "samples/s (target >= 10x: %s), final accuracy %.4f vs %.4f%n", dl4j.system, ratio,
          ratio >= 10 ? "met" : String.format(Locale.ROOT, "missed by %.1fx", 10 / ratio),
          sync.finalAccuracy(), dl4j.finalAccuracy()));
    } else {
      sb.append("- sync vs DL4J: no DL4J result\n");
    }
    Result single = find(results, "single-jvm", w);
    if (single != null) {
      double ratio = sync.samplesPerSecondMedian() / single.samplesPerSecondMedian();
      sb.append(String.format(Locale.ROOT, "- sync vs the single-JVM engine: %.2fx (target >= "
          + "0.85x: %s)%n", ratio, ratio >= 0.85 ? "met" : String.format(Locale.ROOT,
          "missed by %.0f points", 100 * (0.85 - ratio))));
    }
    Result mllib = find(results, "mllib-mlp", w);
    if (mllib != null) {
      double s = sync.secondsTo(0.88);
      double m = mllib.secondsTo(0.88);
      if (Double.isNaN(s)) {
        sb.append("- time to 88% vs MLlib: sync did not reach 88% in this run");
      } else if (Double.isNaN(m)) {
        sb.append(String.format(Locale.ROOT, "- time to 88%%: sync %.1f s; MLlib did not reach "
            + "88%% (best %.4f after %.1f s), so the ratio is > %.1fx (target >= 10x)", s,
            mllib.epochs.stream().mapToDouble(e -> e.get("test_accuracy").asDouble()).max()
                .orElse(0), mllib.last().get("seconds").asDouble(),
            mllib.last().get("seconds").asDouble() / s));
      } else {
        sb.append(String.format(Locale.ROOT, "- time to 88%%: MLlib / sync = %.1fx (target >= 10x:"
            + " %s)", m / s, m / s >= 10 ? "met" : "missed"));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String cpuModel() {
    try {
      for (String l : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
        if (l.startsWith("model name")) {
          return l.substring(l.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      return "unknown CPU";
    }
    return "unknown CPU";
  }

  private static String memory() {
    try {
      for (String l : Files.readAllLines(Paths.get("/proc/meminfo"))) {
        if (l.startsWith("MemTotal:")) {
          return (Long.parseLong(l.replaceAll("[^0-9]", "")) >> 20) + " GiB RAM";
        }
      }
    } catch (IOException | NumberFormatException e) {
      return "RAM unknown";
    }
    return "RAM unknown";
  }

  private static String loadAverage() {
    try {
      return Files.readString(Paths.get("/proc/loadavg")).trim().split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  private static String sparkVersion() {
    return org.apache.spark.package$.MODULE$.SPARK_VERSION();
  }
}
