package io.sparkeras.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Watches the processes this JVM starts, directly or through an in-process YARN NodeManager
 * (spark-submit, application masters, executors): remembers every pid and each one's peak
 * resident memory (Linux {@code VmHWM}) while {@link #waitFor} polls, and at the end kills
 * whatever is still running and removes the {@code /dev/shm} Aeron directories that those
 * processes, and only those, left behind.
 *
 * <pre>{@code
 * ProcessWatch watch = new ProcessWatch();
 * boolean done = watch.waitFor(process, Duration.ofMinutes(5), () -> {});
 * long mb = watch.peakMb("YarnCoarseGrainedExecutorBackend");
 * watch.killAll();
 * watch.removeAeronDirectories(Path.of("/dev/shm"));
 * }</pre>
 */
final class ProcessWatch {
  /** {@code sparkeras-<role>-<pid>-<hex>}: MediaDrivers' per-process directory names. */
  private static final Pattern AERON_DIR = Pattern.compile("sparkeras-[a-z]+-(\\d+)-[0-9a-f]+");

  private final Map<Long, String> commands = new ConcurrentHashMap<>();
  private final Map<Long, Long> peakKb = new ConcurrentHashMap<>();

  /**
   * Names a process for {@link #peakMb} and {@link #count}: its own command line may not be
   * readable (a JVM's, with a long class path).
   */
  void label(long pid, String name) {
    commands.merge(pid, name, (old, n) -> n + " " + old);
  }

  /** Records the descendants now alive, their command lines and peak memory. */
  void poll() {
    ProcessHandle.current().descendants().forEach(h -> {
      commands.computeIfAbsent(h.pid(), pid -> h.info().commandLine().orElse(""));
      long kb = peakResidentKb(h.pid());
      if (kb > 0) {
        peakKb.merge(h.pid(), kb, Math::max);
      }
    });
  }

  /**
   * Waits up to {@code limit} for {@code p} to exit, polling every 200 ms and running
   * {@code each} after every poll; true if it exited. On the deadline {@code p} and its
   * descendants are killed.
   */
  boolean waitFor(Process p, Duration limit, Runnable each) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!p.waitFor(200, TimeUnit.MILLISECONDS)) {
      poll();
      each.run();
      if (System.nanoTime() > deadline) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        return false;
      }
    }
    return true;
  }

  /** The largest peak resident memory, in MB, of the processes whose command line has {@code s}. */
  long peakMb(String s) {
    return commands.entrySet().stream().filter(e -> e.getValue().contains(s))
        .mapToLong(e -> peakKb.getOrDefault(e.getKey(), 0L)).max().orElse(0) / 1024;
  }

  /** How many processes seen so far had {@code s} in their command line. */
  long count(String s) {
    return commands.values().stream().filter(c -> c.contains(s)).count();
  }

  /** Kills every descendant still alive and waits up to 10 s for them to be gone. */
  void killAll() throws InterruptedException {
    List<ProcessHandle> alive = ProcessHandle.current().descendants().toList();
    alive.forEach(h -> commands.putIfAbsent(h.pid(), h.info().commandLine().orElse("")));
    alive.forEach(ProcessHandle::destroyForcibly);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (ProcessHandle h : alive) {
      while (h.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    }
  }

  /**
   * Deletes the Aeron directories under {@code shm} of processes seen here that no longer run;
   * directories of other processes are left alone. Returns those deleted.
   */
  List<Path> removeAeronDirectories(Path shm) throws IOException {
    List<Path> removed = new ArrayList<>();
    if (!Files.isDirectory(shm)) {
      return removed;
    }
    Set<Long> ours = commands.keySet();
    try (Stream<Path> dirs = Files.list(shm)) {
      for (Path d : dirs.toList()) {
        Matcher m = AERON_DIR.matcher(d.getFileName().toString());
        if (m.matches() && ours.contains(Long.parseLong(m.group(1)))
            && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
          SparkSubmitJarIT.deleteRecursively(d);
          removed.add(d);
        }
      }
    }
    return removed;
  }

  private static long peakResidentKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone meanwhile, or no /proc: no figure
    }
    return 0;
  }
}
