package io.sparkeras.ps.protocol;

import io.aeron.CommonContext;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.agrona.IoUtil;

/**
 * Removes the media-driver directories that dead processes left behind: a JVM killed with
 * SIGKILL (an executor lost with its host's memory, a crash) never runs the shutdown hook that
 * deletes its {@code /dev/shm/sparkeras-<role>-<pid>-<n>} directory (about 70 MB with the default
 * term length). The next embedded driver launched under the same parent ({@link
 * MediaDrivers#launch}) sweeps them: a directory goes when no process with its pid exists on
 * this host <em>and</em> its driver's heartbeat (Aeron's {@code cnc.dat}) is older than the
 * driver timeout, so a live driver in another PID namespace that shares {@code /dev/shm} keeps
 * its directory, and so does one whose pid was reused. Names of other shapes are never touched.
 *
 * <pre>{@code
 * List<File> removed = StaleDriverDirectories.sweep(new File("/dev/shm"), 10_000);
 * }</pre>
 */
public final class StaleDriverDirectories {
  /** {@code sparkeras-<role>-<pid>-<hex>}, as {@link MediaDrivers#newDirectoryName} makes them. */
  private static final Pattern NAME = Pattern.compile("sparkeras-[a-z]+-(\\d+)-[0-9a-f]+");

  private StaleDriverDirectories() {}

  /**
   * Deletes the stale driver directories directly under {@code parent}.
   *
   * @param driverTimeoutMs a heartbeat older than this is a dead driver's (Aeron's driver
   *     timeout, 10 s by default)
   * @return the directories removed (none when {@code parent} cannot be listed)
   */
  public static List<File> sweep(File parent, long driverTimeoutMs) {
    if (driverTimeoutMs < 0) {
      throw new IllegalArgumentException("driverTimeoutMs: expected >= 0, found "
          + driverTimeoutMs);
    }
    List<File> removed = new ArrayList<>();
    File[] children = parent.listFiles(File::isDirectory);
    if (children == null) {
      return removed;
    }
    for (File dir : children) {
      Matcher m = NAME.matcher(dir.getName());
      if (!m.matches() || processExists(m.group(1))) {
        continue;
      }
      if (CommonContext.isDriverActive(dir, driverTimeoutMs, message -> { })) {
        continue;
      }
      IoUtil.delete(dir, true);
      if (!dir.exists()) {
        removed.add(dir);
      }
    }
    return removed;
  }

  private static boolean processExists(String pid) {
    try {
      return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return true; // not a pid this JVM can judge: leave it
    }
  }
}
