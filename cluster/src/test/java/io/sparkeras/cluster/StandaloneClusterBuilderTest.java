package io.sparkeras.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StandaloneClusterBuilderTest {

  @TempDir Path dir;

  @Test
  void rejectsInvalidSettingsNamingThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StandaloneCluster.builder().workers(0).workDir(dir).start());
    assertTrue(e.getMessage().contains("workers"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> StandaloneCluster.builder().memoryPerWorker("2 gigs").workDir(dir).start());
    assertTrue(e.getMessage().contains("memoryPerWorker"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> StandaloneCluster.builder().coresPerWorker(0).workDir(dir).start());
    assertTrue(e.getMessage().contains("coresPerWorker"), e.getMessage());
  }

  @Test
  void aFailedStartNamesTheLogAndShowsItsLastLines() {
    // no Spark on this classpath: the master JVM exits at once with ClassNotFoundException
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> StandaloneCluster.builder().workers(1).workDir(dir).classpath(dir.toString())
            .startTimeout(Duration.ofSeconds(30)).start());
    String log = dir.resolve("logs").resolve("master.log").toString();
    assertTrue(e.getMessage().contains(log), e.getMessage());
    assertTrue(e.getMessage().contains("org.apache.spark.deploy.master.Master"), e.getMessage());
  }

  @Test
  void aDaemonThatLosesItsPortIsRestartedOnNewPorts() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      int[] calls = {0};
      StandaloneCluster.Builder b = StandaloneCluster.builder().workers(1).memoryPerWorker("512m")
          .workDir(dir).startTimeout(Duration.ofSeconds(90));
      b.portSource = n -> {
        int[] ports = Processes.freePorts(n);
        if (calls[0]++ == 0) {
          ports[0] = taken.getLocalPort(); // the master's RPC port is already bound
        }
        return ports;
      };
      try (StandaloneCluster cluster = b.start()) {
        assertTrue(calls[0] >= 3, "master twice, worker once: " + calls[0]);
        assertTrue(cluster.master().port() != taken.getLocalPort());
        assertEquals(1, cluster.aliveWorkersOnMaster());
        String log = java.nio.file.Files.readString(cluster.master().logFile());
        assertTrue(Processes.failedToBind(cluster.master().logFile()), log);
      }
    }
  }

  @Test
  void currentClasspathExpandsSurefiresManifestJar() {
    List<String> entries = List.of(StandaloneCluster.currentClasspath().split(File.pathSeparator));
    assertTrue(entries.stream().anyMatch(s -> s.endsWith("test-classes")), entries.toString());
    assertTrue(entries.stream().anyMatch(s -> s.contains("spark-core_2.12")), entries.toString());
  }

  @Test
  void jvmFlagsComeFromThePom() {
    assertTrue(JvmFlags.all().contains(JvmFlags.AERON_EXPORT), JvmFlags.all().toString());
    assertTrue(JvmFlags.all().contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"));
    assertFalse(JvmFlags.joined().contains("${"));
    assertEquals(JvmFlags.all().size(), JvmFlags.joined().split(" ").length);
  }

  @Test
  void freePortsAreDistinct() {
    int[] ports = Processes.freePorts(6);
    assertEquals(6, java.util.Arrays.stream(ports).distinct().count());
  }
}
