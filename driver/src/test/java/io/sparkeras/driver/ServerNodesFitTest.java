package io.sparkeras.driver;

import static io.sparkeras.driver.SparkTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.callbacks.History;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.optimizers.Adam;
import io.sparkeras.ps.ParameterServerMain;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
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
  static final List<ChildJvm> children = new ArrayList<>();
  static final List<String> nodes = new ArrayList<>();
  @TempDir
  static Path dir;
  static Path secretFile;

  @BeforeAll
  static void start() throws Exception {
    Sparkeras.setRandomSeed(7);
    secretFile = dir.resolve("admin.secret");
    Files.write(secretFile, "admin-secret-of-the-fit-test-nodes\n".getBytes(StandardCharsets.US_ASCII));
    for (int k = 0; k < 2; k++) {
      nodes.add(startNode("node" + k));
    }
    spark = session("ServerNodesFitTest");
    float[][] x = features(ROWS, 11);
    df = frame(spark, x, labels(x));
  }

  /** A node JVM ({@code bin/sparkeras ps --bind ... --secret-file ...}); waits for READY. */
  static String startNode(String name) throws Exception {
    int port;
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String bind = "127.0.0.1:" + port;
    ChildJvm child = ChildJvm.start(ParameterServerMain.class, name, dir, List.of("-Xmx256m",
        "--", "--bind", bind, "--secret-file", secretFile.toString(), "--driver-dir-parent",
        dir.toString()));
    children.add(child);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!child.output().contains("READY " + bind)) {
      if (!child.isAlive() || System.nanoTime() > deadline) {
        fail("node " + name + " did not start: " + child.describe());
      }
      Thread.sleep(50); // polling the child's log, not a readiness guess
    }
    return bind;
  }

  @AfterAll
  static void stop() throws IOException {
    if (spark != null) {
      spark.stop();
    }
    children.forEach(ChildJvm::close);
  }

  static FitOptions options(int epochs) {
    return FitOptions.epochs(epochs).batchSize(BATCH).shuffle(false).verbose(0);
  }

  static SparkTrainer onNodes(Model m) {
    SparkTrainer t = SparkTrainer.of(spark, m).workers(2);
    t.settings().set(TrainerSettings.PS_NODES, nodes)
        .set(TrainerSettings.PS_SECRET_FILE, secretFile.toString());
    return t;
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

  @Test
  void aMissingSecretFileIsNamed() {
    SparkTrainer t = SparkTrainer.of(spark, classifier(new Adam(0.01))).workers(2);
    t.settings().set(TrainerSettings.PS_NODES, nodes);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> t.fit(df, "x", "y", options(1)));
    assertTrue(e.getMessage().contains("spark.sparkeras.ps.secretFile"), e.getMessage());
  }
}
