package io.sparkeras.cluster;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One Spark daemon JVM (the master or a worker) started by {@link StandaloneCluster}: its
 * process id, the ports it listens on (all on 127.0.0.1) and its log file.
 *
 * <pre>{@code
 * for (SparkDaemon w : cluster.workers()) {
 *   System.out.println(w.name() + " pid " + w.pid() + " " + w.webUiUrl() + " alive=" + w.isAlive());
 * }
 * }</pre>
 */
public final class SparkDaemon {

  /** What the daemon is. */
  public enum Role {
    MASTER("org.apache.spark.deploy.master.Master"),
    WORKER("org.apache.spark.deploy.worker.Worker");

    private final String mainClass;

    Role(String mainClass) {
      this.mainClass = mainClass;
    }

    /** Spark's main class for this role. */
    public String mainClass() {
      return mainClass;
    }
  }

  private final Role role;
  private final int index;
  private final String host;
  private final int port;
  private final int webUiPort;
  private final long pid;
  private final long startMillis;
  private final Path logFile;

  SparkDaemon(Role role, int index, String host, int port, int webUiPort, long pid, long startMillis,
      Path logFile) {
    this.role = role;
    this.index = index;
    this.host = host;
    this.port = port;
    this.webUiPort = webUiPort;
    this.pid = pid;
    this.startMillis = startMillis;
    this.logFile = logFile;
  }

  public Role role() {
    return role;
  }

  /** 0 for the master, the worker's position (0..n-1) for a worker. */
  public int index() {
    return index;
  }

  /** {@code master} or {@code worker-<index>}. */
  public String name() {
    return role == Role.MASTER ? "master" : "worker-" + index;
  }

  public String host() {
    return host;
  }

  /** The RPC port (the master's is the one in {@code spark://host:port}). */
  public int port() {
    return port;
  }

  public int webUiPort() {
    return webUiPort;
  }

  public String webUiUrl() {
    return "http://" + host + ":" + webUiPort;
  }

  public long pid() {
    return pid;
  }

  /** Start time of the process in epoch milliseconds (guards against a reused pid). */
  public long startMillis() {
    return startMillis;
  }

  /** stdout and stderr of the daemon. */
  public Path logFile() {
    return logFile;
  }

  /** The live process, if this daemon's JVM is still running (and its pid was not reused). */
  public Optional<ProcessHandle> process() {
    return Processes.find(pid, startMillis);
  }

  /** Whether the daemon's JVM is still running. */
  public boolean isAlive() {
    return process().isPresent();
  }

  @Override
  public String toString() {
    return name() + "[pid=" + pid + ", " + host + ":" + port + ", ui=" + webUiPort + ", log=" + logFile + "]";
  }
}
