package io.sparkeras.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Command line for a local Spark standalone cluster whose daemons outlive the command
 * ({@code bin/sparkeras cluster ...}):
 *
 * <pre>
 * bin/sparkeras cluster start  [--workers 2] [--cores 1] [--memory 2g] [--dir DIR]
 * bin/sparkeras cluster status [--dir DIR]
 * bin/sparkeras cluster stop   [--dir DIR]
 * </pre>
 *
 * <p>{@code start} prints the master URL (alone, on stdout: {@code MASTER=$(bin/sparkeras cluster
 * start)}) and records pids and ports in {@code DIR/cluster.properties}; logs go to
 * {@code DIR/logs/}. {@code DIR} defaults to {@code $SPARKERAS_CLUSTER_DIR}, else
 * {@code ~/.sparkeras/cluster}: one fixed place, so {@code stop} finds what {@code start} started
 * from any working directory.
 *
 * <p>Exit codes: 0 success ({@code status}: the master runs); 1 failure ({@code status}: no
 * cluster recorded or its master is gone); 2 bad usage.
 */
public final class ClusterMain {

  static final String USAGE = String.join(System.lineSeparator(),
      "usage: sparkeras cluster start  [--workers N] [--cores C] [--memory 2g] [--dir DIR]",
      "       sparkeras cluster status [--dir DIR]",
      "       sparkeras cluster stop   [--dir DIR]",
      "DIR defaults to $SPARKERAS_CLUSTER_DIR, else ~/.sparkeras/cluster");

  private ClusterMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command; returns the exit code (never calls {@code System.exit}). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || List.of("-h", "--help", "help").contains(args[0])) {
      (args.length == 0 ? err : out).println(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    Options o;
    try {
      o = Options.parse(args[0], Arrays.copyOfRange(args, 1, args.length));
    } catch (IllegalArgumentException e) {
      err.println("sparkeras cluster: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    try {
      switch (args[0]) {
        case "start":
          return start(o, out, err);
        case "status":
          return status(o, out);
        case "stop":
          return stop(o, out);
        default:
          err.println("sparkeras cluster: unknown command '" + args[0] + "'");
          err.println(USAGE);
          return 2;
      }
    } catch (RuntimeException e) {
      err.println("sparkeras cluster " + args[0] + ": " + e.getMessage());
      return 1;
    }
  }

  private static int start(Options o, PrintStream out, PrintStream err) {
    Optional<ClusterState> old = ClusterState.read(o.dir);
    if (old.isPresent() && old.get().master.isAlive()) {
      err.println("sparkeras cluster start: a cluster already runs from " + o.dir + " at "
          + old.get().masterUrl + "; run 'sparkeras cluster stop" + dirFlag(o) + "' first");
      return 1;
    }
    if (old.isPresent()) {
      // master gone: stop whatever is left of the old one before reusing the directory
      StandaloneCluster.stop(old.get().master, old.get().workers, Duration.ofSeconds(10));
      ClusterState.delete(o.dir);
    }
    StandaloneCluster cluster = StandaloneCluster.builder()
        .workers(o.workers).coresPerWorker(o.cores).memoryPerWorker(o.memory)
        .workDir(o.dir).detached(true)
        .start();
    ClusterState.of(cluster).write(o.dir);
    out.println(cluster.masterUrl());
    err.println("started " + o.workers + " worker(s) with " + o.cores + " core(s) and " + o.memory
        + " each; web UI " + cluster.webUiUrl() + "; logs in " + o.dir.resolve("logs")
        + "; stop with 'sparkeras cluster stop" + dirFlag(o) + "'");
    return 0;
  }

  private static int status(Options o, PrintStream out) {
    Optional<ClusterState> state = ClusterState.read(o.dir);
    if (state.isEmpty()) {
      out.println("no cluster recorded in " + o.dir);
      return 1;
    }
    ClusterState s = state.get();
    boolean masterAlive = s.master.isAlive();
    String registered = "";
    if (masterAlive) {
      Optional<JsonNode> json = StandaloneCluster.fetchState(StandaloneCluster.httpClient(), s.master);
      registered = json.map(j -> ", " + j.path("status").asText() + ", " + j.path("aliveworkers").asInt()
          + " alive worker(s) registered").orElse(", web UI not answering");
    }
    out.println("master " + s.masterUrl + " " + describe(s.master) + registered);
    for (SparkDaemon w : s.workers) {
      out.println(w.name() + " 127.0.0.1:" + w.port() + " " + describe(w));
    }
    return masterAlive ? 0 : 1;
  }

  private static int stop(Options o, PrintStream out) {
    Optional<ClusterState> state = ClusterState.read(o.dir);
    if (state.isEmpty()) {
      out.println("no cluster recorded in " + o.dir + "; nothing to stop");
      return 0;
    }
    ClusterState s = state.get();
    StandaloneCluster.stop(s.master, s.workers, Duration.ofSeconds(10));
    boolean left = s.master.isAlive() || s.workers.stream().anyMatch(SparkDaemon::isAlive);
    if (left) {
      out.println("some daemons of " + s.masterUrl + " are still running; see " + ClusterState.file(o.dir));
      return 1;
    }
    ClusterState.delete(o.dir);
    out.println("stopped " + s.masterUrl + " (master and " + s.workers.size() + " worker(s))");
    return 0;
  }

  private static String describe(SparkDaemon d) {
    return d.isAlive() ? "running (pid " + d.pid() + ", web UI " + d.webUiUrl() + ")"
        : "NOT running (pid " + d.pid() + " gone; log " + d.logFile() + ")";
  }

  private static String dirFlag(Options o) {
    return o.dirGiven ? " --dir " + o.dir : "";
  }

  /** The default state directory: $SPARKERAS_CLUSTER_DIR, else ~/.sparkeras/cluster. */
  static Path defaultDir() {
    String env = System.getenv("SPARKERAS_CLUSTER_DIR");
    if (env != null && !env.isBlank()) {
      return Paths.get(env).toAbsolutePath();
    }
    return Paths.get(System.getProperty("user.home"), ".sparkeras", "cluster");
  }

  private static final class Options {
    int workers = 2;
    int cores = 1;
    String memory = "2g";
    Path dir = defaultDir();
    boolean dirGiven;

    static Options parse(String command, String[] args) {
      Options o = new Options();
      boolean start = command.equals("start");
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
        String value;
        if (a.contains("=")) {
          value = a.substring(a.indexOf('=') + 1);
        } else if (i + 1 < args.length) {
          value = args[++i];
        } else {
          throw new IllegalArgumentException(a + " needs a value");
        }
        switch (name) {
          case "--dir":
            o.dir = Paths.get(value).toAbsolutePath();
            o.dirGiven = true;
            break;
          case "--workers":
            requireStart(start, name);
            o.workers = positive(name, value);
            break;
          case "--cores":
            requireStart(start, name);
            o.cores = positive(name, value);
            break;
          case "--memory":
            requireStart(start, name);
            o.memory = value;
            break;
          default:
            throw new IllegalArgumentException("unknown option '" + a + "'");
        }
      }
      return o;
    }

    private static void requireStart(boolean start, String name) {
      if (!start) {
        throw new IllegalArgumentException(name + " is an option of 'start' only");
      }
    }

    private static int positive(String name, String value) {
      try {
        int n = Integer.parseInt(value);
        if (n < 1) {
          throw new IllegalArgumentException(name + " must be >= 1, found " + value);
        }
        return n;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " must be a number, found '" + value + "'");
      }
    }
  }
}
