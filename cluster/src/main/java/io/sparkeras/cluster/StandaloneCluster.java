package io.sparkeras.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

/**
 * A real Spark standalone cluster on this machine: one Master and N Workers, each a separate JVM
 * started from a classpath (by default this JVM's), all bound to 127.0.0.1 on free ports chosen at
 * start, with no Spark distribution installed.
 *
 * <p>Executors are started by the workers with {@code SPARK_DIST_CLASSPATH} set to the same
 * classpath, so a driver that shares it (a test, {@code bin/sparkeras}) needs no application jar.
 * Each worker's environment also carries {@code JDK_JAVA_OPTIONS} with Aeron's
 * {@code --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED} (Spark adds its own module opens
 * to executors but not this one), {@code OMP_WAIT_POLICY=PASSIVE} and
 * {@code OPENBLAS_NUM_THREADS=1}; executors inherit the worker's environment. On a cluster that
 * Sparkeras did not start, the application sets {@code spark.executor.extraJavaOptions} and
 * {@code spark.executorEnv.*} instead (docs/cluster.md).
 *
 * <pre>{@code
 * try (StandaloneCluster cluster = StandaloneCluster.builder()
 *     .workers(2).coresPerWorker(1).memoryPerWorker("1g")
 *     .workDir(Path.of("target/cluster"))
 *     .start()) {
 *   SparkSession spark = SparkSession.builder()
 *       .master(cluster.masterUrl())
 *       .config("spark.driver.host", "127.0.0.1")
 *       .config("spark.driver.bindAddress", "127.0.0.1")
 *       .getOrCreate();
 *   long n = spark.range(1000).count();
 *   spark.stop();
 * } // stops the workers (and their executors), then the master
 * }</pre>
 *
 * <p>{@link #start()} returns once the master is ALIVE and every worker is registered with it,
 * judged by polling the master web UI's {@code /json/} endpoint until a deadline; a daemon that
 * exits first fails the start with its log file's path and last lines.
 */
public final class StandaloneCluster implements AutoCloseable {

  /** The address every daemon binds to. */
  public static final String HOST = "127.0.0.1";

  private static final int BIND_ATTEMPTS = 3;
  private static final int TAIL_LINES = 30;
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Builder config;
  private final SparkDaemon master;
  private final List<SparkDaemon> workers;
  private final Thread shutdownHook;
  private final HttpClient http;
  private volatile boolean closed;

  private StandaloneCluster(Builder config, SparkDaemon master, List<SparkDaemon> workers, Thread shutdownHook) {
    this.config = config;
    this.master = master;
    this.workers = List.copyOf(workers);
    this.shutdownHook = shutdownHook;
    this.http = httpClient();
  }

  /** A builder with the defaults: 2 workers, 1 core and 2g each, this JVM's classpath. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code spark://127.0.0.1:<port>}: give it to {@code SparkSession.builder().master(...)}. */
  public String masterUrl() {
    return "spark://" + master.host() + ":" + master.port();
  }

  /** The master web UI, e.g. {@code http://127.0.0.1:41234}; {@code /json/} gives its state. */
  public String webUiUrl() {
    return master.webUiUrl();
  }

  public SparkDaemon master() {
    return master;
  }

  /** The workers in start order; {@link SparkDaemon#isAlive()} tells whether each still runs. */
  public List<SparkDaemon> workers() {
    return workers;
  }

  /** The directory holding logs, the fake SPARK_HOME and each worker's work dir. */
  public Path workDir() {
    return config.workDir;
  }

  /** The classpath the daemons and executors run with. */
  public String classpath() {
    return config.classpath;
  }

  /** The master's state as its web UI reports it ({@code /json/}). */
  public JsonNode masterState() {
    return fetchState(http, master).orElseThrow(() -> new IllegalStateException(
        "master web UI " + webUiUrl() + "/json/ does not answer; master log " + master.logFile()
            + ":\n" + Processes.tail(master.logFile(), TAIL_LINES)));
  }

  /** How many workers the master counts as ALIVE now. */
  public int aliveWorkersOnMaster() {
    return masterState().path("aliveworkers").asInt();
  }

  /**
   * Waits until the master counts exactly {@code n} ALIVE workers (after {@link #killWorker} the
   * master notices the lost connection within about a second).
   *
   * @throws IllegalStateException if that does not happen within {@code timeout}
   */
  public void awaitAliveWorkers(int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int last = -1;
    while (System.nanoTime() < deadline) {
      last = fetchState(http, master).map(s -> s.path("aliveworkers").asInt()).orElse(-1);
      if (last == n) {
        return;
      }
      sleep(POLL);
    }
    throw new IllegalStateException("master still counts " + last + " alive workers, expected " + n
        + " after " + timeout);
  }

  /**
   * Kills worker {@code i}'s JVM and the executors it started at once (SIGKILL), as if its
   * machine had died, and waits until they are gone. The master is not told; it notices the lost
   * connection by itself (see {@link #awaitAliveWorkers}).
   */
  public void killWorker(int i) {
    Objects.checkIndex(i, workers.size());
    SparkDaemon w = workers.get(i);
    w.process().ifPresent(h -> Processes.killTrees(List.of(h), STOP_GRACE));
    Processes.killTrees(Processes.withArgument(workerUrl(w)), STOP_GRACE);
    if (w.isAlive()) {
      throw new IllegalStateException(w + " is still alive after SIGKILL");
    }
  }

  /**
   * Stops every process this cluster started: the workers first (SIGTERM, so each kills its
   * executors), then any executor still alive, then the master; a process that has not exited
   * after 10 s is killed. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop(master, workers, STOP_GRACE);
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook runs anyway; nothing is left for it to do
      }
    }
  }

  /** Stops a cluster from its recorded daemons (also used by {@code ClusterMain stop}). */
  static void stop(SparkDaemon master, List<SparkDaemon> workers, Duration grace) {
    List<ProcessHandle> workerHandles = new ArrayList<>();
    for (SparkDaemon w : workers) {
      w.process().ifPresent(workerHandles::add);
    }
    Processes.stopTrees(workerHandles, grace);
    // an executor a stopping worker launched after the snapshot of its children (the master
    // reassigns executors while workers go away) is found by its --worker-url
    List<ProcessHandle> strays = new ArrayList<>();
    for (SparkDaemon w : workers) {
      strays.addAll(Processes.withArgument(workerUrl(w)));
    }
    Processes.stopTrees(strays, grace);
    if (master != null) {
      master.process().ifPresent(h -> Processes.stopTrees(List.of(h), grace));
    }
  }

  /** The RPC address a worker's executors are given as {@code --worker-url}. */
  static String workerUrl(SparkDaemon worker) {
    return "spark://Worker@" + worker.host() + ":" + worker.port();
  }

  @Override
  public String toString() {
    return "StandaloneCluster[" + masterUrl() + ", ui=" + webUiUrl() + ", workers=" + workers.size()
        + ", dir=" + config.workDir + "]";
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Settings of a {@link StandaloneCluster}; {@link #start()} validates them and starts it.
   *
   * <pre>{@code
   * StandaloneCluster cluster = StandaloneCluster.builder()
   *     .workers(3).coresPerWorker(2).memoryPerWorker("4g")
   *     .jvmOptions("-Dlog4j2.level=WARN")
   *     .start();
   * }</pre>
   */
  public static final class Builder {
    private static final Pattern MEMORY = Pattern.compile("\\d+[kmgt]?", Pattern.CASE_INSENSITIVE);

    private int workers = 2;
    private int coresPerWorker = 1;
    private String memoryPerWorker = "2g";
    private String daemonHeap = "512m";
    private Path workDir;
    private String classpath;
    private final List<String> jvmOptions = new ArrayList<>();
    private String executorJavaOptions = JvmFlags.AERON_EXPORT;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Duration startTimeout = Duration.ofSeconds(90);
    private boolean detached;
    /** Where a daemon's ports come from; replaced in tests to provoke a lost port race. */
    java.util.function.IntFunction<int[]> portSource = Processes::freePorts;

    private Builder() {}

    /** Number of worker JVMs (default 2). */
    public Builder workers(int n) {
      this.workers = n;
      return this;
    }

    /** Cores each worker offers to executors (default 1). */
    public Builder coresPerWorker(int cores) {
      this.coresPerWorker = cores;
      return this;
    }

    /**
     * Memory each worker offers to executors, Spark style: {@code 512m}, {@code 2g} (default 2g).
     * An application's {@code spark.executor.memory} (default 1g) must fit in it.
     */
    public Builder memoryPerWorker(String memory) {
      this.memoryPerWorker = memory;
      return this;
    }

    /** Heap ({@code -Xmx}) of the master and worker daemons themselves (default 512m). */
    public Builder daemonHeap(String heap) {
      this.daemonHeap = heap;
      return this;
    }

    /**
     * Directory for logs ({@code logs/master.log}, {@code logs/worker-<i>.log}), the fake
     * {@code spark-home/} and each worker's {@code worker-<i>/} (executor logs live there).
     * Default: a new temporary directory.
     */
    public Builder workDir(Path dir) {
      this.workDir = dir;
      return this;
    }

    /**
     * The classpath of the daemons and, through {@code SPARK_DIST_CLASSPATH}, of the executors.
     * Default: this JVM's {@code java.class.path}, with manifest-only "pathing" jars (as
     * surefire uses) expanded into the entries they name.
     */
    public Builder classpath(String classpath) {
      this.classpath = classpath;
      return this;
    }

    /**
     * Extra options for the daemon JVMs, after {@link JvmFlags#all()}, {@code -Xmx},
     * {@code -XX:+UseSerialGC} and {@code -XX:TieredStopAtLevel=1} (the daemons only coordinate),
     * so an option given here wins.
     */
    public Builder jvmOptions(String... options) {
      this.jvmOptions.addAll(List.of(options));
      return this;
    }

    /**
     * Options every executor JVM gets, through {@code JDK_JAVA_OPTIONS} in the workers'
     * environment (default: Aeron's export). An empty string sets none.
     */
    public Builder executorJavaOptions(String options) {
      this.executorJavaOptions = Objects.requireNonNull(options);
      return this;
    }

    /** An environment variable for the daemons and, inherited, for the executors. */
    public Builder environment(String name, String value) {
      this.environment.put(name, value);
      return this;
    }

    /** How long {@link #start()} waits for the master and all workers (default 90 s). */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = timeout;
      return this;
    }

    /**
     * Whether the daemons outlive this JVM (default false). A non-detached cluster is stopped by
     * a shutdown hook if this JVM exits without {@link StandaloneCluster#close()}; a detached one
     * runs in its own session ({@code setsid}) and is stopped with {@code ClusterMain stop}.
     */
    public Builder detached(boolean detached) {
      this.detached = detached;
      return this;
    }

    /**
     * Starts the master, waits until it is ALIVE, starts the workers and waits until all are
     * registered.
     *
     * @throws IllegalArgumentException for an invalid setting, naming it
     * @throws IllegalStateException if a daemon exits or the deadline passes; the message holds
     *     the log file's path and last lines. Whatever was started is stopped again.
     */
    public StandaloneCluster start() {
      conclude();
      return new Starter(this).start();
    }

    private void conclude() {
      if (workers < 1) {
        throw new IllegalArgumentException("workers must be >= 1, found " + workers);
      }
      if (coresPerWorker < 1) {
        throw new IllegalArgumentException("coresPerWorker must be >= 1, found " + coresPerWorker);
      }
      if (memoryPerWorker == null || !MEMORY.matcher(memoryPerWorker).matches()) {
        throw new IllegalArgumentException("memoryPerWorker must look like 512m or 2g, found '" + memoryPerWorker + "'");
      }
      if (daemonHeap == null || !MEMORY.matcher(daemonHeap).matches()) {
        throw new IllegalArgumentException("daemonHeap must look like 512m or 1g, found '" + daemonHeap + "'");
      }
      if (startTimeout == null || startTimeout.isNegative() || startTimeout.isZero()) {
        throw new IllegalArgumentException("startTimeout must be positive, found " + startTimeout);
      }
      try {
        workDir = workDir == null ? Files.createTempDirectory("sparkeras-cluster-") : workDir.toAbsolutePath();
        Files.createDirectories(workDir.resolve("logs"));
        Files.createDirectories(workDir.resolve("spark-home").resolve("jars"));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the work dir " + workDir, e);
      }
      if (classpath == null) {
        classpath = currentClasspath();
      }
      if (classpath.isBlank()) {
        throw new IllegalArgumentException("classpath is empty");
      }
    }
  }

  /** Starts the daemons of one cluster, stopping them again if the start fails. */
  private static final class Starter {
    private final Builder b;
    private final HttpClient http = httpClient();
    private final List<SparkDaemon> started = new ArrayList<>();

    Starter(Builder b) {
      this.b = b;
    }

    StandaloneCluster start() {
      long deadline = System.nanoTime() + b.startTimeout.toNanos();
      Thread hook = null;
      if (!b.detached) {
        hook = new Thread(this::killStarted, "sparkeras-cluster-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
      }
      try {
        SparkDaemon master = startMaster(deadline);
        String masterUrl = "spark://" + HOST + ":" + master.port();
        SparkDaemon[] workers = new SparkDaemon[b.workers];
        int[] attempts = new int[b.workers];
        for (int i = 0; i < b.workers; i++) {
          workers[i] = launchWorker(i, masterUrl);
          attempts[i] = 1;
        }
        awaitWorkers(master, workers, attempts, masterUrl, deadline);
        return new StandaloneCluster(b, master, List.of(workers), hook);
      } catch (RuntimeException | Error e) {
        killStarted();
        if (hook != null) {
          try {
            Runtime.getRuntime().removeShutdownHook(hook);
          } catch (IllegalStateException ignored) {
            // shutting down
          }
        }
        throw e;
      }
    }

    private void killStarted() {
      List<ProcessHandle> handles = new ArrayList<>();
      for (SparkDaemon d : started) {
        d.process().ifPresent(handles::add);
      }
      Processes.killTrees(handles, STOP_GRACE);
    }

    private SparkDaemon startMaster(long deadline) {
      for (int attempt = 1; ; attempt++) {
        int[] ports = b.portSource.apply(2);
        SparkDaemon master = launch(SparkDaemon.Role.MASTER, 0, ports[0], ports[1], List.of(
            "--host", HOST, "--port", String.valueOf(ports[0]), "--webui-port", String.valueOf(ports[1])));
        while (true) {
          JsonNode state = fetchState(http, master).orElse(null);
          if (state != null && "ALIVE".equals(state.path("status").asText())) {
            return master;
          }
          if (!master.isAlive()) {
            if (attempt < BIND_ATTEMPTS && Processes.failedToBind(master.logFile())) {
              break; // lost a port race: new ports
            }
            throw failure(master, "exited before it was ALIVE");
          }
          if (System.nanoTime() > deadline) {
            throw failure(master, "was not ALIVE after " + b.startTimeout
                + (state == null ? " (web UI " + master.webUiUrl() + "/json/ does not answer)"
                    : " (status " + state.path("status").asText() + ")"));
          }
          sleep(POLL);
        }
      }
    }

    private SparkDaemon launchWorker(int i, String masterUrl) {
      int[] ports = b.portSource.apply(2);
      Path dir = b.workDir.resolve("worker-" + i);
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return launch(SparkDaemon.Role.WORKER, i, ports[0], ports[1], List.of(
          "--host", HOST, "--port", String.valueOf(ports[0]), "--webui-port", String.valueOf(ports[1]),
          "--cores", String.valueOf(b.coresPerWorker), "--memory", b.memoryPerWorker.toLowerCase(Locale.ROOT),
          "--work-dir", dir.toString(), masterUrl));
    }

    private void awaitWorkers(SparkDaemon master, SparkDaemon[] workers, int[] attempts, String masterUrl,
        long deadline) {
      while (true) {
        JsonNode state = fetchState(http, master).orElse(null);
        Set<Integer> registered = registeredPorts(state);
        boolean all = true;
        for (int i = 0; i < workers.length; i++) {
          if (registered.contains(workers[i].port())) {
            continue;
          }
          all = false;
          if (!workers[i].isAlive()) {
            if (attempts[i] < BIND_ATTEMPTS && Processes.failedToBind(workers[i].logFile())) {
              attempts[i]++;
              workers[i] = launchWorker(i, masterUrl);
            } else {
              throw failure(workers[i], "exited before it registered with the master " + masterUrl);
            }
          }
        }
        if (all) {
          return;
        }
        if (!master.isAlive()) {
          throw failure(master, "exited while the workers were starting");
        }
        if (System.nanoTime() > deadline) {
          for (SparkDaemon w : workers) {
            if (!registered.contains(w.port())) {
              throw failure(w, "had not registered with the master " + masterUrl + " after " + b.startTimeout
                  + " (" + registered.size() + " of " + workers.length + " did)");
            }
          }
        }
        sleep(POLL);
      }
    }

    private SparkDaemon launch(SparkDaemon.Role role, int index, int port, int uiPort, List<String> args) {
      String name = role == SparkDaemon.Role.MASTER ? "master" : "worker-" + index;
      Path log = b.workDir.resolve("logs").resolve(name + ".log");
      List<String> command = new ArrayList<>();
      if (b.detached && Files.isExecutable(Paths.get("/usr/bin/setsid"))) {
        // its own session: no SIGHUP when the terminal that ran `cluster start` closes. setsid
        // execs java (a forked child is never a group leader), so the pid stays the JVM's.
        command.add("/usr/bin/setsid");
      }
      command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(JvmFlags.all());
      command.add("-Xmx" + b.daemonHeap);
      // the daemons only coordinate: a small GC and C1 only save CPU and start-up time
      command.add("-XX:+UseSerialGC");
      command.add("-XX:TieredStopAtLevel=1");
      // fail instead of silently moving to port+1, so the ports recorded here are the real ones
      command.add("-Dspark.port.maxRetries=0");
      command.addAll(b.jvmOptions);
      command.add("-cp");
      command.add(b.classpath);
      command.add(role.mainClass());
      command.addAll(args);

      ProcessBuilder pb = new ProcessBuilder(command)
          .directory(b.workDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      Map<String, String> env = pb.environment();
      env.put("SPARK_HOME", b.workDir.resolve("spark-home").toString());
      env.put("SPARK_SCALA_VERSION", "2.12");
      env.put("SPARK_DIST_CLASSPATH", b.classpath);
      env.put("SPARK_LOCAL_IP", HOST);
      env.putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
      env.putIfAbsent("OPENBLAS_NUM_THREADS", "1");
      if (role == SparkDaemon.Role.WORKER && !b.executorJavaOptions.isBlank()) {
        String inherited = env.getOrDefault("JDK_JAVA_OPTIONS", "");
        env.put("JDK_JAVA_OPTIONS", (inherited + " " + b.executorJavaOptions).trim());
      }
      env.putAll(b.environment);
      try {
        Files.writeString(log, "# " + String.join(" ", redactClasspath(command)) + System.lineSeparator(),
            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Process p = pb.start();
        ProcessHandle h = p.toHandle();
        SparkDaemon d = new SparkDaemon(role, index, HOST, port, uiPort, h.pid(), Processes.startMillis(h), log);
        started.add(d);
        return d;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the Spark " + name + " (" + command.get(0) + "); log " + log, e);
      }
    }

    private IllegalStateException failure(SparkDaemon d, String what) {
      return new IllegalStateException("Spark " + d.name() + " (pid " + d.pid() + ") " + what
          + "; log " + d.logFile() + ", last lines:\n" + Processes.tail(d.logFile(), TAIL_LINES));
    }
  }

  private static List<String> redactClasspath(List<String> command) {
    List<String> out = new ArrayList<>(command);
    int cp = out.indexOf("-cp");
    if (cp >= 0 && cp + 1 < out.size()) {
      out.set(cp + 1, "<" + out.get(cp + 1).split(File.pathSeparator).length + " classpath entries>");
    }
    return out;
  }

  /** Ports of the workers the master lists as ALIVE. */
  static Set<Integer> registeredPorts(JsonNode state) {
    if (state == null) {
      return Collections.emptySet();
    }
    Set<Integer> ports = new LinkedHashSet<>();
    for (JsonNode w : state.path("workers")) {
      if ("ALIVE".equals(w.path("state").asText())) {
        ports.add(w.path("port").asInt());
      }
    }
    return ports;
  }

  /** The master's {@code /json/} state, or empty if its web UI does not answer (yet). */
  static java.util.Optional<JsonNode> fetchState(HttpClient http, SparkDaemon master) {
    try {
      HttpRequest request = HttpRequest.newBuilder(new URI(master.webUiUrl() + "/json/"))
          .timeout(Duration.ofSeconds(2)).GET().build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(JSON.readTree(response.body()));
    } catch (IOException | URISyntaxException e) {
      return java.util.Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while polling " + master.webUiUrl(), e);
    }
  }

  static HttpClient httpClient() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).version(HttpClient.Version.HTTP_1_1).build();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the Spark cluster", e);
    }
  }

  /**
   * This JVM's classpath, with each manifest-only jar (surefire's booter, IDE "pathing" jars)
   * replaced by the entries its {@code Class-Path} names, so that other JVMs get real paths.
   */
  public static String currentClasspath() {
    Set<String> entries = new LinkedHashSet<>();
    for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      entries.add(Paths.get(entry).toAbsolutePath().toString());
      if (entry.endsWith(".jar")) {
        entries.addAll(manifestClassPath(Paths.get(entry)));
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static List<String> manifestClassPath(Path jar) {
    List<String> out = new ArrayList<>();
    try (JarFile jf = new JarFile(jar.toFile())) {
      Manifest mf = jf.getManifest();
      String cp = mf == null ? null : mf.getMainAttributes().getValue("Class-Path");
      if (cp == null) {
        return out;
      }
      URI base = jar.toAbsolutePath().getParent().toUri();
      for (String item : cp.trim().split("\\s+")) {
        if (item.isEmpty()) {
          continue;
        }
        try {
          URI uri = base.resolve(item);
          out.add(Paths.get(uri).toString());
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
          // not a local file: skip it
        }
      }
    } catch (IOException e) {
      // unreadable jar: keep it as it is
    }
    return out;
  }
}
