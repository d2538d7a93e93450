package io.sparkeras.bench.scale;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The simulated network of one run, made and taken down by the {@code bench/scripts/simnet}
 * script: one Linux network namespace per simulated host, joined through a bridge in a namespace
 * of its own, every link shaped by tc to a rate (and, where the kernel has netem, a latency).
 * Needs root. {@link #close()} stops every process inside the run's namespaces and deletes them
 * and the run's {@code /dev/shm/spk-RUN-*} directories; a shutdown hook does the same if the JVM
 * exits first.
 *
 * <pre>{@code
 * String missing = SimNet.missing(false);           // null when this machine can simulate
 * try (SimNet net = SimNet.up(List.of("s0", "w0", "w1"), 10_000, 0, 9000)) {
 *   Process p = new ProcessBuilder(net.exec("w0", List.of("java", "..."))).start();
 *   String address = net.address("w0");           // 10.250.0.3, inside the namespaces only
 * }
 * }</pre>
 */
public final class SimNet implements AutoCloseable {
  private final Path script;
  private final String run;
  private final Map<String, String> addresses;
  private final boolean latencyApplied;
  private final Thread hook;
  private boolean closed;

  private SimNet(Path script, String run, Map<String, String> addresses, boolean latencyApplied) {
    this.script = script;
    this.run = run;
    this.addresses = addresses;
    this.latencyApplied = latencyApplied;
    this.hook = new Thread(this::down, "simnet-down-" + run);
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * What this machine lacks to simulate a network (root, iproute2, namespaces, veth, bridges,
   * tbf; netem when {@code latency}), one item per line, or null when nothing is missing.
   */
  public static String missing(boolean latency) {
    Path script = script();
    List<String> cmd = new ArrayList<>(List.of("bash", script.toString(), "check"));
    if (latency) {
      cmd.add("--latency");
    }
    Out out = run(cmd, 60);
    if (out.code == 0) {
      return null;
    }
    String text = out.stdout.replace("simnet: missing: ", "").trim();
    return text.isEmpty() ? "simnet check failed (exit " + out.code + "): " + out.stderr : text;
  }

  /**
   * Creates the namespaces of {@code hosts} ({@code [a-z0-9]{1,12}} each), every link at
   * {@code mbit} Mbit/s each way with {@code latencyUs} one-way latency (0: none) and MTU
   * {@code mtu}.
   */
  public static SimNet up(List<String> hosts, long mbit, int latencyUs, int mtu) {
    Path script = script();
    String run = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36), 36);
    Out out = run(List.of("bash", script.toString(), "up", run, String.join(",", hosts),
        Long.toString(mbit), Integer.toString(latencyUs), Integer.toString(mtu)), 300);
    if (out.code != 0) {
      run(List.of("bash", script.toString(), "down", run), 120);
      throw new IllegalStateException("simnet up failed (exit " + out.code + "): "
          + out.stderr.trim());
    }
    Map<String, String> addresses = new LinkedHashMap<>();
    boolean applied = false;
    for (String line : out.stdout.split("\n")) {
      String[] f = line.trim().split(" ");
      if (f.length == 3 && f[0].equals("host")) {
        addresses.put(f[1], f[2]);
      } else if (line.startsWith("latency applied")) {
        applied = true;
      }
    }
    if (!addresses.keySet().containsAll(hosts)) {
      run(List.of("bash", script.toString(), "down", run), 120);
      throw new IllegalStateException("simnet up did not report every host: " + out.stdout);
    }
    return new SimNet(script, run, addresses, applied);
  }

  /** The run's id (its namespaces are {@code spk-RUN-HOST}, its shm directories {@code spk-RUN-*}). */
  public String run() {
    return run;
  }

  /** The address of {@code host}, reachable only from inside the run's namespaces. */
  public String address(String host) {
    String a = addresses.get(host);
    if (a == null) {
      throw new IllegalArgumentException("no simulated host '" + host + "' in run " + run);
    }
    return a;
  }

  /** True when the links have the asked latency (the kernel has sch_netem). */
  public boolean latencyApplied() {
    return latencyApplied;
  }

  /** Reshapes every link of the run to {@code mbit} Mbit/s each way and {@code latencyUs}. */
  public void shape(long mbit, int latencyUs) {
    Out out = run(List.of("bash", script.toString(), "shape", run, Long.toString(mbit),
        Integer.toString(latencyUs)), 300);
    if (out.code != 0) {
      throw new IllegalStateException("simnet shape failed (exit " + out.code + "): "
          + out.stderr.trim());
    }
  }

  /** A directory for {@code host}'s Aeron media drivers that {@link #close()} removes. */
  public String shmParent(String host) {
    return "/dev/shm/spk-" + run + "-" + host;
  }

  /** The command line that runs {@code command} inside {@code host}'s namespace. */
  public List<String> exec(String host, List<String> command) {
    address(host);
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", "spk-" + run + "-" + host));
    cmd.addAll(command);
    return cmd;
  }

  /** Namespaces and shm directories of this run still present (a check for tests). */
  public static List<String> leftovers(String run) {
    List<String> left = new ArrayList<>();
    Out out = run(List.of("ip", "netns", "list"), 30);
    for (String line : out.stdout.split("\n")) {
      String name = line.trim().split(" ")[0];
      if (name.startsWith("spk-" + run + "-")) {
        left.add(name);
      }
    }
    try (var files = Files.list(Paths.get("/dev/shm"))) {
      files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("spk-" + run + "-"))
          .forEach(n -> left.add("/dev/shm/" + n));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return left;
  }

  /** Stops the run's processes and removes its namespaces and shm directories. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    down();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run: nothing to remove
    }
  }

  private synchronized void down() {
    if (closed) {
      return;
    }
    closed = true;
    Out out = run(List.of("bash", script.toString(), "down", run), 120);
    if (out.code != 0) {
      System.err.println("simnet down " + run + " failed (exit " + out.code + "): " + out.stderr);
    }
  }

  /** bench/scripts/simnet of this checkout (-Dsparkeras.home, else found above the working directory). */
  static Path script() {
    String home = System.getProperty("sparkeras.home");
    Path p = home != null ? Paths.get(home) : Paths.get("").toAbsolutePath();
    while (p != null) {
      Path s = p.resolve("bench/scripts/simnet");
      if (Files.isRegularFile(s)) {
        return s;
      }
      p = home != null ? null : p.getParent();
    }
    throw new IllegalStateException("cannot find bench/scripts/simnet above "
        + Paths.get("").toAbsolutePath() + "; pass -Dsparkeras.home=DIR (the Sparkeras checkout)");
  }

  private static final class Out {
    final int code;
    final String stdout;
    final String stderr;

    Out(int code, String stdout, String stderr) {
      this.code = code;
      this.stdout = stdout;
      this.stderr = stderr;
    }
  }

  private static Out run(List<String> cmd, int timeoutSeconds) {
    try {
      Path outFile = Files.createTempFile("simnet", ".out");
      Path errFile = Files.createTempFile("simnet", ".err");
      try {
        Process p = new ProcessBuilder(cmd).redirectOutput(outFile.toFile())
            .redirectError(errFile.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
          return new Out(124, "", String.join(" ", cmd) + ": no answer in " + timeoutSeconds + " s");
        }
        return new Out(p.exitValue(), Files.readString(outFile, StandardCharsets.UTF_8),
            Files.readString(errFile, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(outFile);
        Files.deleteIfExists(errFile);
      }
    } catch (IOException e) {
      return new Out(127, "", String.join(" ", cmd) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Out(130, "", "interrupted");
    }
  }
}
