package io.sparkeras.driver;

import static io.sparkeras.driver.SparkTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.callbacks.History;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.optimizers.Adam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A distributed fit against parameter-server nodes of their own ({@code spark.sparkeras.ps.nodes}):
 * two {@code bin/sparkeras ps} nodes in separate JVMs (real Aeron UDP on 127.0.0.1), a local[2]
 * session; the driver initialises them over the protocol and the fit equals the one with the
 * server embedded in the driver.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ServerNodesFitTest {
  static final int ROWS = 48;
  static final int BATCH = 8;
  static SparkSession spark;
  static Dataset<Row> df;
  static final List<String> nodes = new ArrayList<>();
  @TempDir
  static Path dir;
  static ServerNodeJvms jvms;

  @BeforeAll
  static void start() throws Exception {
    Sparkeras.setRandomSeed(7);
    jvms = ServerNodeJvms.in(dir);
    nodes.addAll(jvms.start("node0", "node1"));
    spark = session("ServerNodesFitTest");
    float[][] x = features(ROWS, 11);
    df = frame(spark, x, labels(x));
  }

  @AfterAll
  static void stop() throws IOException {
    if (spark != null) {
      spark.stop();
    }
    if (jvms != null) {
      jvms.close();
    }
  }

  static FitOptions options(int epochs) {
    return FitOptions.epochs(epochs).batchSize(BATCH).shuffle(false).verbose(0);
  }

  static SparkTrainer onNodes(Model m) {
    return jvms.use(SparkTrainer.of(spark, m).workers(2), nodes);
  }

  @Test
  void aSyncFitOnTwoNodesEqualsTheEmbeddedServersFit() {
    Model model = classifier(new Adam(0.01));
    Model embedded = copy(model);
    History expected = SparkTrainer.of(spark, embedded).workers(2).ipc(false)
        .fit(df, "x", "y", options(2));
    History h = onNodes(model).fit(df, "x", "y", options(2));
    assertArrayEquals(embedded.getFlatWeights(), model.getFlatWeights(),
        "the nodes' fit differs from the embedded server's");
    assertEquals(List.of(0, 1), h.epochs());
    assertEquals(expected.last("loss"), h.last("loss"), 1e-6);
  }

  @Test
  void aFitOnARestartedDriverResumesFromTheNodesCheckpoint() throws IOException {
    Model model = classifier(new Adam(0.01));
    Model straight = copy(model);
    Model restarted = copy(model);
    onNodes(straight).fit(df, "x", "y", options(3));
    String ck = dir.resolve("checkpoints").toUri().toString();
    onNodes(model).checkpointDir(ck).fit(df, "x", "y", options(2));
    // a new driver: a fresh model, its weights and the nodes' state from the epoch-2 checkpoint
    History h = onNodes(restarted).checkpointDir(ck).resume(true).fit(df, "x", "y",
        options(3));
    assertEquals(List.of(2), h.epochs(), "only the third epoch is left");
    assertArrayEquals(straight.getFlatWeights(), restarted.getFlatWeights(),
        "resumed from the nodes' checkpoint, the fit ends where an uninterrupted one does");
  }

  /**
   * A node SIGKILLed mid-fit and restarted on its address: the driver restores every node from
   * the newest step all shards wrote, the epoch's tasks are retried and replay from there, and
   * the fit ends exactly where an uninterrupted one does (nothing applied twice, nothing lost
   * for good; the restored step is at most one behind the steps seen before the kill).
   */
  @Test
  void aNodeKilledMidFitIsRestoredFromItsStepCheckpoint() throws Exception {
    float[][] x = features(96, 5);
    Dataset<Row> rows = frame(spark, x, labels(x));
    Model model = classifier(new Adam(0.01));
    Model straight = copy(model);
    SparkTrainer.of(spark, straight).workers(2).ipc(false).fit(rows, "x", "y", options(3));
    List<String> own = jvms.start("lost0", "lost1");
    SparkTrainer t = jvms.use(SparkTrainer.of(spark, model).workers(2)
        .timeout(5, TimeUnit.SECONDS)
        .checkpointDir(dir.resolve("kill-checkpoints").toUri().toString()), own);
    t.settings().set(TrainerSettings.PS_STEP_CHECKPOINTS, true);
    ServerNodes.lastRecovery = -1;
    // 12 steps per epoch: kill node 1 once it applied 15 (in the second epoch)
    long seen;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors
        .newSingleThreadExecutor();
    java.util.concurrent.Future<History> fit;
    try (io.aeron.driver.MediaDriver md = io.sparkeras.ps.protocol.MediaDrivers.launch(
            io.sparkeras.ps.protocol.MediaDrivers.newDirectoryName(dir.toString(), "watch"),
            65504, 4 << 20, 4 << 20, 1 << 20, false);
        io.aeron.Aeron aeron = io.aeron.Aeron.connect(new io.aeron.Aeron.Context()
            .aeronDirectoryName(md.aeronDirectoryName()));
        io.sparkeras.ps.node.NodeAdminClient watch = io.sparkeras.ps.node.NodeAdminClient
            // a node's admin thread answers STATUS only between the driver's INIT and
            // CHECKPOINT requests, which it runs to the end (seconds on a loaded machine)
            .connect(aeron, own.get(1), Files.readAllBytes(jvms.secretFile()), "127.0.0.1",
                4 << 20, 60_000)) {
      fit = pool.submit(() -> t.fit(rows, "x", "y", options(3)));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while ((seen = watch.status(0).stepsApplied()) < 15) {
        if (fit.isDone()) {
          fit.get(); // its exception, if it failed
          fail("the fit ended before the kill");
        }
        assertTrue(System.nanoTime() < deadline, "node 1 never reached step 15");
        Thread.sleep(1); // polling interval
      }
    }
    jvms.kill(own.get(1));
    jvms.restart("lost1-restarted", own.get(1));
    History h = fit.get(240, TimeUnit.SECONDS);
    pool.shutdown();
    assertEquals(List.of(0, 1, 2), h.epochs());
    long restored = ServerNodes.lastRecovery;
    assertTrue(restored >= seen - 1, "restored to step " + restored + ", but " + seen
        + " steps were seen before the kill: more than one step lost");
    assertTrue(restored < 36, "restored to " + restored + ": the kill came after the fit");
    assertArrayEquals(straight.getFlatWeights(), model.getFlatWeights(),
        "after the node's recovery the fit differs from an uninterrupted one");
    assertEquals(36, io.sparkeras.ps.server.StepCheckpoints.latestCommon(
        dir.resolve("kill-checkpoints").toUri() + "/ps-steps", 2,
        new org.apache.hadoop.conf.Configuration()), "every step applied exactly once: 3 x 12");
  }

  @Test
  void aMissingSecretFileIsNamed() {
    SparkTrainer t = SparkTrainer.of(spark, classifier(new Adam(0.01))).workers(2);
    t.settings().set(TrainerSettings.PS_NODES, nodes);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> t.fit(df, "x", "y", options(1)));
    assertTrue(e.getMessage().contains("spark.sparkeras.ps.secretFile"), e.getMessage());
  }
}
