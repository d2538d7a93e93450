package io.sparkeras.ps;

import static org.junit.jupiter.api.Assertions.*;

import io.aeron.driver.MediaDriver;
import io.sparkeras.ps.protocol.MediaDrivers;
import io.sparkeras.ps.protocol.StaleDriverDirectories;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A media driver's directory left by a SIGKILLed JVM is removed by the next driver launched
 * beside it once its heartbeat is stale; live drivers' directories and other names stay.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StaleDriverDirectoriesTest {
  /** A driver in a directory named as the executors' are. */
  static MediaDriver driver(File parent) {
    return MediaDrivers.launch(MediaDrivers.newDirectoryName(parent.getAbsolutePath(),
        "sparkeras-worker"), PsTestSupport.MTU, PsTestSupport.TERM, PsTestSupport.SOCKET_BUFFER,
        PsTestSupport.WINDOW, false);
  }
  @Test
  void theNextDriverRemovesTheDirectoriesOfDeadProcesses(@TempDir Path parent) throws Exception {
    File dead;
    long deadPid;
    try (ChildJvm child = new ChildJvm(DriverHolderMain.class, List.of(parent.toString()))) {
      dead = new File(child.awaitLine("DIR ", 60_000).substring(4));
      deadPid = child.process().pid();
      assertTrue(new File(dead, "cnc.dat").isFile(), "the child's driver runs in " + dead);
      child.kill();
    }
    assertTrue(dead.isDirectory(), "SIGKILL leaves the directory behind");
    // a dead pid's directory without a driver file: no heartbeat to wait for
    File noDriver = parent.resolve("sparkeras-worker-" + deadPid + "-1f").toFile();
    Files.createDirectories(noDriver.toPath().resolve("sub"));
    File otherName = parent.resolve("aeron-" + deadPid + "-1f").toFile();
    File notHex = parent.resolve("sparkeras-worker-" + deadPid + "-zz").toFile();
    assertTrue(otherName.mkdir() && notHex.mkdir());

    MediaDriver live = driver(parent.toFile());
    try {
      File liveDir = new File(live.aeronDirectoryName());
      assertFalse(noDriver.exists(), "launching a driver removes a dead pid's directory");
      // the killed driver's heartbeat is younger than Aeron's 10 s driver timeout: kept, as a
      // live driver in another PID namespace sharing the directory would be
      assertTrue(dead.isDirectory(), "a fresh heartbeat keeps the directory");
      Thread.sleep(1_500);
      assertEquals(List.of(dead), StaleDriverDirectories.sweep(parent.toFile(), 1_000));
      assertFalse(dead.exists());
      assertTrue(liveDir.isDirectory() && otherName.isDirectory() && notHex.isDirectory());
      assertEquals(List.of(), StaleDriverDirectories.sweep(parent.toFile(), 1_000),
          "this JVM's live driver stays");
    } finally {
      CloseHelper.quietClose(live);
    }
    assertThrows(IllegalArgumentException.class,
        () -> StaleDriverDirectories.sweep(parent.toFile(), -1));
    assertEquals(List.of(), StaleDriverDirectories.sweep(parent.resolve("none").toFile(), 0));
  }
}
