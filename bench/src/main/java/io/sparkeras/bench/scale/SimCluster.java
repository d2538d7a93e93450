package io.sparkeras.bench.scale;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A simulated cluster on this machine: {@code workers} worker hosts ({@code w0, w1, ...}) and
 * {@code serverHosts} parameter-server hosts ({@code s0, ...}), each a network namespace of
 * {@link SimNet} with one JVM ({@link SimHostMain}) that runs an Aeron media driver and the jobs
 * it is sent. {@link #run(SimJob, double)} shapes every link, starts the job's server nodes on
 * {@code s0..s(K-1)}, runs its workers on {@code w0..w(N-1)} and returns what they measured;
 * {@link #close()} quits the JVMs and takes the network down (also on failure, and from a
 * shutdown hook if the JVM exits first).
 *
 * <pre>{@code
 * try (SimCluster c = SimCluster.start(8, 2, 9000, 0)) {
 *   SimResult r = c.run(job.withWorkers(8).withServerNodes(2), 10.0);   // 10 Gbit/s links
 * }
 * }</pre>
 */
public final class SimCluster implements AutoCloseable {
  /** Aeron settings of the simulated hosts: frames that fit a 9000-byte link MTU. */
  static final int MTU = 8192;
  static final int TERM = 4 * 1024 * 1024;
  static final int SOCKET_BUFFER = 4 * 1024 * 1024;
  static final int WINDOW = 1024 * 1024;
  static final int PORT = 40123;
  /**
   * Longest idle park of a host's loops ({@code -Dsparkeras.scale.parkUs}, default 1000 µs, ten
   * times a lone deployment's): with 100 µs, ten idle hosts took 1.7 of this machine's 2 cores
   * with their wake-ups alone. It adds at most that much to a hop that finds its loop idle.
   */
  static final long PARK_NS = 1_000L * Long.parseLong(System.getProperty("sparkeras.scale.parkUs",
      "1000"));

  private final SimNet net;
  private final int workerHosts;
  private final int serverHosts;
  private final int latencyUs;
  private final Map<String, HostJvm> hosts = new LinkedHashMap<>();
  private long jobs;
  private double shapedMbit = -1;

  private SimCluster(SimNet net, int workerHosts, int serverHosts, int latencyUs) {
    this.net = net;
    this.workerHosts = workerHosts;
    this.serverHosts = serverHosts;
    this.latencyUs = latencyUs;
  }

  /**
   * Makes the network (links unshaped until a run shapes them: 100 Gbit/s) and starts every
   * host's JVM; {@code linkMtu} is the links' MTU (9000: jumbo frames).
   */
  public static SimCluster start(int workers, int serverHosts, int linkMtu, int latencyUs) {
    List<String> names = new ArrayList<>();
    for (int k = 0; k < serverHosts; k++) {
      names.add("s" + k);
    }
    for (int w = 0; w < workers; w++) {
      names.add("w" + w);
    }
    SimNet net = SimNet.up(names, 100_000, latencyUs, linkMtu);
    SimCluster c = new SimCluster(net, workers, serverHosts, latencyUs);
    try {
      for (String h : names) {
        c.hosts.put(h, new HostJvm(h, net));
      }
      for (HostJvm h : c.hosts.values()) {
        h.await("HOST READY", 120_000);
      }
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  public SimNet net() {
    return net;
  }

  /** The host JVMs (tests check that none outlives {@link #close()}). */
  List<Process> processes() {
    List<Process> out = new ArrayList<>();
    hosts.values().forEach(h -> out.add(h.process));
    return out;
  }

  /**
   * Runs {@code job} with every link at {@code linkGbps} / the job's scale (see
   * {@link SimJob}): server nodes first, then every worker at once; waits for all results.
   */
  public SimResult run(SimJob job, double linkGbps) {
    if (job.workers > workerHosts || job.serverNodes > serverHosts) {
      throw new IllegalArgumentException("job needs " + job.workers + " workers and "
          + job.serverNodes + " server nodes; this cluster has " + workerHosts + " and "
          + serverHosts);
    }
    double mbit = Math.max(1, linkGbps * 1000 / job.scale);
    if (mbit != shapedMbit) {
      net.shape(Math.round(mbit), latencyUs);
      shapedMbit = mbit;
    }
    long jobId = ++jobs;
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    String hex = HexFormat.of().formatHex(secret);
    int params = job.simulatedParameters();
    long timeoutMs = Math.max(120_000, (long) (job.steps * 20 * (job.compute.stepSeconds() * 1e3
        + 8.0 * params * job.workers / (mbit * 125))));
    List<String> servers = new ArrayList<>();
    for (int k = 0; k < job.serverNodes; k++) {
      servers.add(net.address("s" + k) + ":" + PORT);
    }
    double loadBefore = loadAverage();
    long[] cpuBefore = cpuTicks();
    try {
      for (int k = 0; k < job.serverNodes; k++) {
        SimSettings s = transport(new SimSettings())
            .put("bind", servers.get(k)).put("shards", job.shards())
            .put("nodes", job.serverNodes).put("node", k).put("workers", job.workers)
            .put("params", params).put("mode", job.mode).put("staleness", job.staleness)
            .put("compression", job.compression).put("threshold", job.threshold)
            .put("optimizer", "adam").put("job", jobId).put("secret", hex)
            .put("timeoutMs", timeoutMs);
        hosts.get("s" + k).send("server " + s);
      }
      for (int k = 0; k < job.serverNodes; k++) {
        hosts.get("s" + k).await("SERVER READY", 60_000);
      }
      long[][] groups = job.groups();
      long[] starts = new long[groups.length];
      long[] backward = new long[groups.length];
      for (int g = 0; g < groups.length; g++) {
        starts[g] = groups[g][0];
        backward[g] = groups[g][1];
      }
      for (int w = 0; w < job.workers; w++) {
        SimSettings s = transport(new SimSettings())
            .put("servers", String.join(",", servers)).put("reply", net.address("w" + w))
            .put("partition", w).put("job", jobId).put("secret", hex).put("mode", job.mode)
            .put("staleness", job.staleness).put("every", job.every).put("params", params)
            .put("starts", SimSettings.join(starts)).put("fwd", job.compute.forwardNs)
            .put("bwd", SimSettings.join(backward)).put("compute", job.spin ? "spin" : "sleep")
            .put("overlap", job.overlap).put("steps", job.steps).put("warmup", job.warmup)
            .put("batch", job.compute.batch).put("density", job.density)
            .put("threshold", job.threshold).put("timeoutMs", timeoutMs);
        hosts.get("w" + w).send("worker " + s);
      }
      List<String> results = new ArrayList<>();
      for (int w = 0; w < job.workers; w++) {
        results.add(hosts.get("w" + w).await("RESULT ", timeoutMs + 60_000)
            .substring("RESULT ".length()));
      }
      double cpuBusy = busyFraction(cpuBefore, cpuTicks());
      double loadAfter = loadAverage();
      long serverSteps = stopServers(job);
      return new SimResult(job, linkGbps, latencyUs, net.latencyApplied(), results, loadBefore,
          loadAfter, cpuBusy, serverSteps);
    } catch (RuntimeException e) {
      try {
        stopServers(job);
      } catch (RuntimeException again) {
        e.addSuppressed(again);
      }
      throw e;
    }
  }

  /** Stops the job's server nodes; returns the steps they applied (summed over shards). */
  private long stopServers(SimJob job) {
    long steps = 0;
    for (int k = 0; k < job.serverNodes; k++) {
      hosts.get("s" + k).send("stop-server");
    }
    for (int k = 0; k < job.serverNodes; k++) {
      String line = hosts.get("s" + k).await("SERVER STOPPED", 60_000);
      String[] words = line.split(" ");
      steps += Long.parseLong(words[2].substring("steps=".length()));
      if (words.length > 3) {
        throw new IllegalStateException("server node " + k + ": " + line);
      }
    }
    return steps;
  }

  private static SimSettings transport(SimSettings s) {
    return s.put("mtu", MTU).put("term", TERM).put("sockbuf", SOCKET_BUFFER).put("window", WINDOW);
  }

  /** The 1-minute load average of the machine. */
  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Paths.get("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** {busy, total} jiffies of all CPUs (/proc/stat). */
  static long[] cpuTicks() {
    try {
      String[] f = Files.readAllLines(Paths.get("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length; i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {total - idle, total};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  static double busyFraction(long[] before, long[] after) {
    long total = after[1] - before[1];
    return total <= 0 ? Double.NaN : (double) (after[0] - before[0]) / total;
  }

  /** Quits every host JVM, stops whatever is left and takes the network down. */
  @Override
  public void close() {
    for (HostJvm h : hosts.values()) {
      h.quit();
    }
    net.close();
    for (HostJvm h : hosts.values()) {
      h.destroy();
    }
  }

  /** One host's JVM inside its namespace; its output lines are read with deadlines. */
  static final class HostJvm {
    final String name;
    final Process process;
    final Writer stdin;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final StringBuffer transcript = new StringBuffer();

    HostJvm(String name, SimNet net) {
      this.name = name;
      List<String> java = new ArrayList<>();
      java.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
      java.add("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");
      java.add("-XX:+UseSerialGC");
      java.add("-Xms32m");
      java.add("-Xmx256m");
      java.add("-XX:MaxDirectMemorySize=4g");
      java.add("-Xss512k");
      java.add("-XX:CICompilerCount=2");
      java.add("-cp");
      java.add(System.getProperty("java.class.path"));
      java.add(SimHostMain.class.getName());
      java.addAll(List.of("--shm-parent", net.shmParent(name), "--mtu", Integer.toString(MTU),
          "--term-length", Integer.toString(TERM), "--socket-buffer",
          Integer.toString(SOCKET_BUFFER), "--receiver-window", Integer.toString(WINDOW),
          "--park-ns", Long.toString(PARK_NS)));
      try {
        process = new ProcessBuilder(net.exec(name, java)).redirectErrorStream(true).start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the JVM of simulated host " + name, e);
      }
      stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      Thread reader = new Thread(this::readOutput, "simhost-" + name);
      reader.setDaemon(true);
      reader.start();
    }

    /** Queues the host's output lines (and keeps them for error messages) until it exits. */
    private void readOutput() {
      try (BufferedReader r = process.inputReader(StandardCharsets.UTF_8)) {
        r.lines().forEach(line -> {
          transcript.append(line).append('\n');
          lines.add(line);
        });
      } catch (IOException | UncheckedIOException gone) {
        // the process is gone: await() reports what it printed
      }
    }

    void send(String line) {
      try {
        stdin.write(line + "\n");
        stdin.flush();
      } catch (IOException e) {
        throw new IllegalStateException("simulated host " + name + " is gone:\n" + tail(), e);
      }
    }

    /** The next line starting with {@code prefix}; an ERROR line or the deadline fails. */
    String await(String prefix, long timeoutMs) {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
      try {
        while (true) {
          String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          if (line == null) {
            throw new IllegalStateException("simulated host " + name + ": no '" + prefix
                + "' within " + timeoutMs + " ms (alive=" + process.isAlive() + "):\n" + tail());
          }
          if (line.startsWith(prefix)) {
            return line;
          }
          if (line.startsWith("ERROR")) {
            throw new IllegalStateException("simulated host " + name + ": " + line);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for host " + name, e);
      }
    }

    private String tail() {
      String t = transcript.toString();
      return t.length() > 4000 ? t.substring(t.length() - 4000) : t;
    }

    void quit() {
      if (!process.isAlive()) {
        return;
      }
      try {
        send("quit");
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (RuntimeException e) {
        // gone already
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void destroy() {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
    }
  }
}
