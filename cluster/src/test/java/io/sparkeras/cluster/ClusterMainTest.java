package io.sparkeras.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterMainTest {

  @TempDir Path dir;

  /** Exit code, stdout and stderr of one ClusterMain command. */
  private record Result(int code, String out, String err) {}

  private Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = ClusterMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @AfterEach
  void stopLeftovers() {
    if (Files.exists(ClusterState.file(dir))) {
      run("stop", "--dir", dir.toString());
    }
  }

  @Test
  void startStatusStopThroughTheCli() throws Exception {
    Result start = run("start", "--workers", "1", "--cores", "1", "--memory", "1g", "--dir", dir.toString());
    assertEquals(0, start.code(), start.err());
    String url = start.out().trim();
    assertTrue(url.matches("spark://127\\.0\\.0\\.1:\\d+"), start.out());
    assertTrue(Files.exists(ClusterState.file(dir)));

    ClusterState state = ClusterState.read(dir).orElseThrow();
    assertEquals(url, state.masterUrl);
    List<SparkDaemon> daemons = new ArrayList<>(state.workers);
    daemons.add(state.master);
    for (SparkDaemon d : daemons) {
      ProcessHandle h = d.process().orElseThrow(() -> new AssertionError(d + " not running"));
      // the recorded pid is the JVM's (setsid exec'd java), not a wrapper's
      assertTrue(h.info().command().orElse("").endsWith("java"), h.info().toString());
      assertTrue(Files.exists(d.logFile()));
    }

    Result status = run("status", "--dir", dir.toString());
    assertEquals(0, status.code(), status.out() + status.err());
    assertTrue(status.out().contains(url), status.out());
    assertTrue(status.out().contains("ALIVE, 1 alive worker(s) registered"), status.out());
    assertTrue(status.out().contains("worker-0 127.0.0.1:" + state.workers.get(0).port() + " running"),
        status.out());

    Result again = run("start", "--dir", dir.toString());
    assertEquals(1, again.code());
    assertTrue(again.err().contains("already runs"), again.err());

    Result stop = run("stop", "--dir", dir.toString());
    assertEquals(0, stop.code(), stop.out() + stop.err());
    assertTrue(stop.out().contains("stopped " + url), stop.out());
    for (SparkDaemon d : daemons) {
      assertFalse(ProcessHandle.of(d.pid()).map(ProcessHandle::isAlive).orElse(false), d + " still alive");
    }
    assertFalse(Files.exists(ClusterState.file(dir)));

    Result after = run("status", "--dir", dir.toString());
    assertEquals(1, after.code());
    assertTrue(after.out().contains("no cluster recorded"), after.out());
    assertEquals(0, run("stop", "--dir", dir.toString()).code(), "stop is idempotent");
  }

  @Test
  void badUsageExitsWithTwoAndTheUsage() {
    Result none = run();
    assertEquals(2, none.code());
    assertTrue(none.err().contains("usage"), none.err());
    Result unknown = run("restart");
    assertEquals(2, unknown.code());
    Result badOption = run("start", "--workers", "zero", "--dir", dir.toString());
    assertEquals(2, badOption.code());
    assertTrue(badOption.err().contains("--workers must be a number"), badOption.err());
    Result wrongCommand = run("stop", "--workers", "2", "--dir", dir.toString());
    assertEquals(2, wrongCommand.code());
    assertTrue(wrongCommand.err().contains("option of 'start' only"), wrongCommand.err());
    assertEquals(0, run("--help").code());
  }

  @Test
  void statusReportsAStoppedCluster() {
    // a state file whose processes are gone (pid of an exited process)
    long deadPid = ProcessHandle.current().pid() + 1_000_000;
    SparkDaemon master = new SparkDaemon(SparkDaemon.Role.MASTER, 0, "127.0.0.1", 1, 2, deadPid, 1,
        dir.resolve("logs/master.log"));
    SparkDaemon worker = new SparkDaemon(SparkDaemon.Role.WORKER, 0, "127.0.0.1", 3, 4, deadPid + 1, 1,
        dir.resolve("logs/worker-0.log"));
    new ClusterState("spark://127.0.0.1:1", master, List.of(worker)).write(dir);
    Result status = run("status", "--dir", dir.toString());
    assertEquals(1, status.code());
    assertTrue(status.out().contains("master spark://127.0.0.1:1 NOT running"), status.out());
    assertTrue(status.out().contains("worker-0 127.0.0.1:3 NOT running"), status.out());
  }
}
