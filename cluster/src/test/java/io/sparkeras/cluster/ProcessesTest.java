package io.sparkeras.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProcessesTest {

  @TempDir Path dir;

  @Test
  void findsAndKillsAProcessByAnArgumentEvenWithoutItsParent() throws IOException {
    String marker = "spark://Worker@127.0.0.1:" + ProcessHandle.current().pid();
    // "; true" keeps sh from exec'ing sleep, so the marker ($0) stays in sh's command line
    Process p = new ProcessBuilder("/bin/sh", "-c", "sleep 60; true", marker).start();
    try {
      List<ProcessHandle> found = Processes.withArgument(marker);
      assertEquals(List.of(p.pid()), found.stream().map(ProcessHandle::pid).toList());
      assertTrue(Processes.arguments(p.toHandle()).contains(marker));
      List<ProcessHandle> children = p.toHandle().descendants().toList();
      Processes.killTrees(found, Duration.ofSeconds(10));
      assertFalse(p.isAlive());
      children.forEach(c -> assertFalse(c.isAlive(), "child " + c.pid()));
      assertEquals(List.of(), Processes.withArgument(marker));
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void stopTreesStopsChildrenGracefullyThenForcibly() throws Exception {
    // the parent ignores SIGTERM: it needs the forced kill; its child sleeps
    Process p = new ProcessBuilder("/bin/sh", "-c", "trap '' TERM; sleep 60 & wait; true").start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (p.toHandle().descendants().findAny().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      List<ProcessHandle> children = p.toHandle().descendants().toList();
      assertFalse(children.isEmpty());
      Processes.stopTrees(List.of(p.toHandle()), Duration.ofMillis(500));
      assertFalse(p.isAlive());
      children.forEach(c -> assertFalse(c.isAlive(), "child " + c.pid()));
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void findRejectsAReusedPid() {
    ProcessHandle self = ProcessHandle.current();
    long start = Processes.startMillis(self);
    assertTrue(Processes.find(self.pid(), start).isPresent());
    assertTrue(Processes.find(self.pid(), 0).isPresent());
    assertFalse(Processes.find(self.pid(), start - 60_000).isPresent(), "another start time: another process");
  }

  @Test
  void tailGivesTheLastLinesOrSaysWhy() throws IOException {
    Path log = dir.resolve("x.log");
    assertTrue(Processes.tail(log, 3).contains("no log file"));
    Files.writeString(log, "a\nb\nc\nd\n");
    assertEquals(String.join(System.lineSeparator(), "b", "c", "d"), Processes.tail(log, 3));
    assertFalse(Processes.failedToBind(log));
    Files.writeString(log, "java.net.BindException: Address already in use\n");
    assertTrue(Processes.failedToBind(log));
  }
}
