package io.sparkeras.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real 2-worker standalone cluster (separate JVMs on 127.0.0.1) shared by the tests in
 * order: jobs from a driver in this JVM, then a killed worker, then close() leaving nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StandaloneClusterTest {

  @TempDir static Path dir;

  static StandaloneCluster cluster;
  static SparkSession spark;
  static JavaSparkContext jsc;
  /** Every process the cluster ran: daemons and the executors seen during the tests. */
  static final Set<ProcessHandle> seen = new HashSet<>();

  @BeforeAll
  static void start() {
    cluster = StandaloneCluster.builder()
        .workers(2).coresPerWorker(1).memoryPerWorker("1g")
        .workDir(dir.resolve("cluster"))
        // C1 only: the executors start faster and these jobs are tiny
        .executorJavaOptions(JvmFlags.AERON_EXPORT + " -XX:TieredStopAtLevel=1")
        .start();
    cluster.master().process().ifPresent(seen::add);
    cluster.workers().forEach(w -> w.process().ifPresent(seen::add));
    spark = SparkSession.builder()
        .appName("sparkeras-cluster-test")
        .master(cluster.masterUrl())
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.executor.memory", "512m")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate();
    jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  @Order(1)
  void startsMasterAndWorkersOnLoopbackWithFreshPorts() {
    assertTrue(cluster.masterUrl().startsWith("spark://127.0.0.1:"), cluster.masterUrl());
    assertNotEquals(7077, cluster.master().port());
    assertNotEquals(8080, cluster.master().webUiPort());
    assertEquals("ALIVE", cluster.masterState().path("status").asText());
    assertEquals(2, cluster.aliveWorkersOnMaster());
    assertEquals(2, cluster.workers().size());
    Set<Integer> ports = new HashSet<>();
    ports.add(cluster.master().port());
    ports.add(cluster.master().webUiPort());
    for (SparkDaemon w : cluster.workers()) {
      assertTrue(w.isAlive(), w.toString());
      ports.add(w.port());
      ports.add(w.webUiPort());
      assertTrue(Files.exists(w.logFile()), w.logFile().toString());
      assertNotEquals(ProcessHandle.current().pid(), w.pid());
    }
    assertEquals(6, ports.size(), "every daemon port distinct: " + ports);
    assertEquals(cluster.masterUrl(), cluster.masterState().path("url").asText());
  }

  @Test
  @Order(2)
  void runsAJobOnTheExecutors() {
    List<Long> numbers = new ArrayList<>();
    for (long i = 1; i <= 1000; i++) {
      numbers.add(i);
    }
    JavaRDD<Long> rdd = jsc.parallelize(numbers, 4);
    assertEquals(500500L, rdd.reduce(Long::sum));
    assertEquals(1000L, spark.range(0, 1000, 1, 4).count());
    recordExecutors();
  }

  @Test
  @Order(3)
  void executorsLoadTestClassesAndHaveTheAeronExport() throws java.io.IOException {
    JavaRDD<Long> rdd = jsc.parallelize(Arrays.asList(1L, 2L, 3L, 4L), 4);
    assertEquals(List.of(2L, 5L, 10L, 17L), rdd.map(ExecutorProbe::squarePlusOne).collect());

    List<Long> pids = rdd.map(x -> ExecutorProbe.pid()).collect();
    assertFalse(pids.contains(ProcessHandle.current().pid()), "tasks ran in executors, not the driver");
    List<Boolean> exported = rdd.map(x -> ExecutorProbe.aeronExportPresent()).collect();
    assertEquals(List.of(true, true, true, true), exported,
        "executor JVM args: " + rdd.map(x -> ExecutorProbe.jvmArguments()).first());
    // ... and it came from the workers' JDK_JAVA_OPTIONS (Spark adds only its own opens)
    List<Path> stderrs = executorStderrFiles();
    assertFalse(stderrs.isEmpty(), "no executor stderr under " + cluster.workDir());
    for (Path f : stderrs) {
      assertTrue(Files.readString(f).contains("Picked up JDK_JAVA_OPTIONS: " + JvmFlags.AERON_EXPORT), f.toString());
    }
    recordExecutors();
  }

  @Test
  @Order(4)
  void reportsAKilledWorker() {
    recordExecutors();
    SparkDaemon victim = cluster.workers().get(1);
    long executorsBefore = victim.process().map(h -> h.descendants().count()).orElse(0L);
    List<ProcessHandle> victimTree = victim.process()
        .map(h -> java.util.stream.Stream.concat(java.util.stream.Stream.of(h), h.descendants())
            .collect(Collectors.toList()))
        .orElseThrow();

    cluster.killWorker(1);

    assertFalse(victim.isAlive());
    assertTrue(cluster.workers().get(0).isAlive());
    victimTree.forEach(h -> assertFalse(h.isAlive(), "left behind by killWorker: " + h.pid()));
    cluster.awaitAliveWorkers(1, Duration.ofSeconds(30));
    assertEquals(1, cluster.aliveWorkersOnMaster());
    assertTrue(executorsBefore >= 0);
  }

  @Test
  @Order(5)
  void closeLeavesNoProcessBehind() {
    recordExecutors();
    // the driver is still connected: the surviving worker still runs an executor
    assertEquals(3L, jsc.parallelize(Arrays.asList(1L, 2L), 2).reduce(Long::sum));
    recordExecutors();
    assertTrue(seen.size() >= 4, "master, 2 workers and at least one executor: " + seen.size());

    cluster.close();
    cluster.close(); // idempotent

    List<Long> alive = seen.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
        .collect(Collectors.toList());
    assertEquals(List.of(), alive, "processes left behind");
    assertFalse(cluster.master().isAlive());
    cluster.workers().forEach(w -> assertFalse(w.isAlive()));
    assertThrows(IllegalStateException.class, cluster::masterState);
  }

  /** {@code <workDir>/worker-<i>/<app>/<executor>/stderr} of every executor so far. */
  private static List<Path> executorStderrFiles() throws java.io.IOException {
    try (java.util.stream.Stream<Path> files = Files.walk(cluster.workDir())) {
      return files.filter(f -> f.getFileName().toString().equals("stderr")).collect(Collectors.toList());
    }
  }

  /** Adds the executors the workers run now to {@link #seen}. */
  private static void recordExecutors() {
    for (SparkDaemon w : cluster.workers()) {
      w.process().ifPresent(h -> h.descendants().forEach(seen::add));
    }
  }
}
