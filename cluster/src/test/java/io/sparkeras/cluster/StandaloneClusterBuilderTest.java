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

@Timeout(value = 60, unit = TimeUnit.SECONDS)
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
