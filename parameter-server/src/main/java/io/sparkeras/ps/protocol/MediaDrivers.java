package io.sparkeras.ps.protocol;

import io.aeron.CommonContext;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import java.io.File;
import java.util.concurrent.ThreadLocalRandom;
import org.agrona.concurrent.BackoffIdleStrategy;

/**
 * Embedded media drivers with per-process directories: {@code /dev/shm/sparkeras-ps-<pid>-<n>}
 * (or under a configured parent), deleted on start and on close. Launching one first removes the
 * directories that dead processes left under the same parent ({@link StaleDriverDirectories}).
 */
public final class MediaDrivers {
  private MediaDrivers() {}

  /** A fresh per-process driver directory under {@code parent} (null: /dev/shm, else java.io.tmpdir). */
  public static String newDirectoryName(String parent, String prefix) {
    String base = parent;
    if (base == null) {
      base = new File("/dev/shm").isDirectory() ? "/dev/shm" : System.getProperty("java.io.tmpdir");
    }
    long pid = ProcessHandle.current().pid();
    return new File(base, prefix + "-" + pid + "-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16)).getAbsolutePath();
  }

  /**
   * Launches an embedded driver in {@code dir} with the given transport settings. One shared
   * thread with a back-off idle strategy by default (2-core machines); {@code dedicated} gives the
   * sender and receiver their own threads for throughput. Stale directories of dead processes
   * beside {@code dir} are removed first.
   */
  public static MediaDriver launch(String dir, int mtu, int termLength, int socketBuffer,
      int receiverWindow, boolean dedicated) {
    return launch(dir, mtu, termLength, socketBuffer, receiverWindow, dedicated, 100_000);
  }

  /**
   * As {@link #launch(String, int, int, int, int, boolean)}, with the sender's and receiver's
   * back-off parking at most {@code maxParkNs} when idle (default 100 µs). Many drivers sharing
   * a few cores (the scale simulator's hosts) park longer so that their idle wake-ups do not
   * take the cores:
   *
   * <pre>{@code
   * MediaDriver d = MediaDrivers.launch(dir, 8192, 4 << 20, 4 << 20, 1 << 20, false, 1_000_000);
   * }</pre>
   */
  public static MediaDriver launch(String dir, int mtu, int termLength, int socketBuffer,
      int receiverWindow, boolean dedicated, long maxParkNs) {
    if (maxParkNs < 1_000) {
      throw new IllegalArgumentException("maxParkNs: expected at least 1000 ns, found "
          + maxParkNs);
    }
    File parent = new File(dir).getAbsoluteFile().getParentFile();
    if (parent != null) {
      StaleDriverDirectories.sweep(parent, CommonContext.DRIVER_TIMEOUT_MS);
    }
    MediaDriver.Context ctx = new MediaDriver.Context()
        .aeronDirectoryName(dir)
        .dirDeleteOnStart(true)
        .dirDeleteOnShutdown(true)
        .warnIfDirectoryExists(false)
        .threadingMode(dedicated ? ThreadingMode.DEDICATED : ThreadingMode.SHARED)
        .mtuLength(mtu)
        .publicationTermBufferLength(termLength)
        .ipcTermBufferLength(termLength)
        // A shared-memory publisher may run a whole term ahead of its subscriber (Aeron's default
        // is half a term): a push of a model larger than half a term then never waits for this
        // driver's thread to move the publication limit on (MLP 784-512-256-10, 2.1 MB, 4 MB
        // terms: push time per step 2.4 -> 1.7 ms on 2 cores).
        .ipcPublicationTermWindowLength(termLength)
        .socketSndbufLength(socketBuffer)
        .socketRcvbufLength(socketBuffer)
        .initialWindowLength(receiverWindow)
        .termBufferSparseFile(true)
        .sharedIdleStrategy(new BackoffIdleStrategy(100, 10, 1_000, maxParkNs))
        .senderIdleStrategy(new BackoffIdleStrategy(100, 10, 1_000, maxParkNs))
        .receiverIdleStrategy(new BackoffIdleStrategy(100, 10, 1_000, maxParkNs))
        .conductorIdleStrategy(new BackoffIdleStrategy(100, 10, 1_000,
            Math.max(maxParkNs, 1_000_000)));
    return MediaDriver.launch(ctx);
  }
}
