package io.sparkeras.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Process and port helpers shared by {@link StandaloneCluster} and {@link ClusterMain}. */
final class Processes {

  /** How far a recorded start time may be from the one the OS reports now. */
  private static final long START_TOLERANCE_MS = 2_000;

  private Processes() {}

  /** The live process with this pid, if it started at {@code startMillis} (0: don't check). */
  static Optional<ProcessHandle> find(long pid, long startMillis) {
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(h -> startMillis <= 0 || h.info().startInstant()
            .map(s -> Math.abs(s.toEpochMilli() - startMillis) <= START_TOLERANCE_MS)
            .orElse(true));
  }

  static long startMillis(ProcessHandle h) {
    return h.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
  }

  /**
   * Stops process trees: snapshots every descendant first (once a parent is gone its children
   * can no longer be found), asks the roots to stop (SIGTERM: a Spark worker then kills its
   * executors), waits up to {@code grace}, kills what is left, then does the same for any
   * descendant still alive.
   */
  static void stopTrees(Collection<ProcessHandle> roots, Duration grace) {
    Set<ProcessHandle> descendants = new LinkedHashSet<>();
    for (ProcessHandle root : roots) {
      root.descendants().forEach(descendants::add);
    }
    stopAll(roots, grace);
    // children started while the roots were stopping
    descendants.removeIf(h -> !h.isAlive());
    stopAll(descendants, grace);
  }

  /**
   * Live processes of this user whose arguments include {@code argument} exactly, e.g. the
   * executors of one worker ({@code spark://Worker@127.0.0.1:<port>} follows their
   * {@code --worker-url}), found even after their parent is gone.
   */
  static List<ProcessHandle> withArgument(String argument) {
    long self = ProcessHandle.current().pid();
    return ProcessHandle.allProcesses()
        .filter(h -> h.pid() != self)
        .filter(h -> arguments(h).contains(argument))
        .collect(Collectors.toList());
  }

  /**
   * A process's command line, from {@code /proc/<pid>/cmdline} where there is one (complete,
   * however long the classpath), else from {@link ProcessHandle.Info#arguments()}.
   */
  static List<String> arguments(ProcessHandle h) {
    Path cmdline = Path.of("/proc", String.valueOf(h.pid()), "cmdline");
    try {
      if (Files.isReadable(cmdline)) {
        String all = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8);
        return List.of(all.split("\u0000"));
      }
    } catch (IOException | UncheckedIOException e) {
      // gone or not ours: fall through
    }
    return h.info().arguments().map(List::of).orElse(List.of());
  }

  /** Kills process trees at once (SIGKILL), descendants first snapshotted. */
  static void killTrees(Collection<ProcessHandle> roots, Duration wait) {
    Set<ProcessHandle> all = new LinkedHashSet<>(roots);
    for (ProcessHandle root : roots) {
      root.descendants().forEach(all::add);
    }
    all.forEach(ProcessHandle::destroyForcibly);
    awaitExit(all, wait);
  }

  private static void stopAll(Collection<ProcessHandle> handles, Duration grace) {
    List<ProcessHandle> alive = handles.stream().filter(ProcessHandle::isAlive).collect(Collectors.toList());
    if (alive.isEmpty()) {
      return;
    }
    alive.forEach(ProcessHandle::destroy);
    awaitExit(alive, grace);
    List<ProcessHandle> left = alive.stream().filter(ProcessHandle::isAlive).collect(Collectors.toList());
    left.forEach(ProcessHandle::destroyForcibly);
    awaitExit(left, Duration.ofSeconds(10));
  }

  /** Waits until every handle has exited or the time is up; returns those still alive. */
  static List<ProcessHandle> awaitExit(Collection<ProcessHandle> handles, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    for (ProcessHandle h : handles) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        h.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        break;
      } catch (java.util.concurrent.ExecutionException e) {
        // onExit never completes exceptionally
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return handles.stream().filter(ProcessHandle::isAlive).collect(Collectors.toList());
  }

  /**
   * {@code count} distinct free TCP ports on 127.0.0.1, chosen by the OS. They are free when
   * returned; a daemon that loses the race for one fails to bind and is restarted on new ports.
   */
  static int[] freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        s.setReuseAddress(true);
        sockets.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
    } finally {
      for (ServerSocket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // nothing bound any more either way
        }
      }
    }
  }

  /** The last {@code lines} lines of a log file, or a note saying why there are none. */
  static String tail(Path file, int lines) {
    try {
      if (!Files.exists(file)) {
        return "(no log file " + file + ")";
      }
      Deque<String> last = new ArrayDeque<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        last.addLast(line);
        if (last.size() > lines) {
          last.removeFirst();
        }
      }
      return last.isEmpty() ? "(empty log " + file + ")" : String.join(System.lineSeparator(), last);
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }

  /** Whether a daemon's log says it could not bind its port (it lost a port race). */
  static boolean failedToBind(Path log) {
    try {
      String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
      return text.contains("BindException") || text.contains("Address already in use")
          || text.contains("Failed to bind");
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }
}
