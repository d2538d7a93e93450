package io.sparkeras.ps;

import static io.sparkeras.ps.PsTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import io.aeron.Aeron;
import io.sparkeras.core.optim.schedules.Schedules;
import io.sparkeras.ps.client.ParameterServerClient;
import io.sparkeras.ps.codecs.AdminStatus;
import io.sparkeras.ps.codecs.NodeState;
import io.sparkeras.ps.node.JobSpec;
import io.sparkeras.ps.node.NodeAdminClient;
import io.sparkeras.ps.node.ServerNode;
import java.io.File;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Server nodes initialised by a driver over the admin protocol (real media drivers, UDP on
 * 127.0.0.1): the job's settings, secret and weights arrive in an authenticated session, the
 * shards then serve workers as a launched server does; re-initialisation, a wrong admin secret
 * and bad settings are refused without changing the node.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServerNodeTest extends ServerTestFixture {
  static final byte[] ADMIN = "admin-secret-of-the-test-nodes-0123".getBytes(StandardCharsets.US_ASCII);
  static final int SIZE = 7001;
  static final int STEPS = 3;
  static final int WORKERS = 2;

  final List<ServerNode> nodes = new ArrayList<>();
  final List<NodeAdminClient> admins = new ArrayList<>();
  Aeron aeron;

  @BeforeEach
  void connectAeron() {
    aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(clientDriver.aeronDirectoryName()));
  }

  @AfterEach
  void closeNodes() {
    admins.forEach(CloseHelper::quietClose);
    nodes.forEach(CloseHelper::quietClose);
    CloseHelper.quietClose(aeron);
  }

  String launchNode() {
    String bind = "127.0.0.1:" + freeUdpPort();
    nodes.add(ServerNode.launch(new ServerNode.Context().bind(bind).adminSecret(ADMIN)
        .mtuLength(MTU).termLength(TERM).socketBufferLength(SOCKET_BUFFER)
        .receiverWindowLength(WINDOW).driverDirectoryParent(dir.getAbsolutePath())));
    return bind;
  }

  NodeAdminClient admin(String node, byte[] secret) {
    NodeAdminClient c = NodeAdminClient.connect(aeron, node, secret, "127.0.0.1",
        SOCKET_BUFFER, 20_000);
    admins.add(c);
    return c;
  }

  static JobSpec spec(int nodeCount, int node) {
    return new JobSpec().parameterCount(SIZE).shards(3).nodes(nodeCount, node).workers(WORKERS)
        .mode(TrainingMode.SYNC, 0).optimizer("adam", adamConfig(false))
        .channel(MTU, TERM, SOCKET_BUFFER, WINDOW);
  }

  float[] train(long job, byte[] secret, String... endpoints) throws Exception {
    List<Future<float[]>> results = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      ParameterServerClient.Context ctx = clientContext(clientDriver.aeronDirectoryName(), 1, w)
          .servers(endpoints).jobId(job).secret(secret);
      int worker = w;
      results.add(pool.submit(() -> syncWorker(ctx, worker, STEPS, SIZE)));
    }
    float[] last = null;
    for (Future<float[]> f : results) {
      last = f.get();
    }
    return last;
  }

  @Test
  void aDriverInitialisesTwoNodesAndWorkersTrainOnThem() throws Exception {
    String[] endpoints = {launchNode(), launchNode()};
    for (int k = 0; k < 2; k++) {
      NodeAdminClient.Reply r = admin(endpoints[k], ADMIN).init(JOB, spec(2, k), SECRET,
          initialParameters(SIZE), false);
      assertEquals(NodeState.RUNNING, r.state(), r.message());
      assertTrue(r.message().contains(k == 0 ? "shards 0..1 of 3" : "shards 2..2 of 3"),
          r.message());
    }
    SyncModeTest.assertClose(expectedAdam(STEPS, WORKERS, SIZE), train(JOB, SECRET, endpoints));
    NodeAdminClient.Reply status = admins.get(0).status(JOB);
    assertEquals(STEPS, status.stepsApplied());
    assertEquals(JOB, status.jobId());
    assertEquals(AdminStatus.OK, status.status());
    // a checkpoint per node, then the job ends and the node waits for the next one
    File ck = new File(dir, "node1.ckpt");
    admins.get(1).checkpoint(JOB, ck.toURI().toString());
    assertTrue(ck.isFile());
    assertEquals(NodeState.IDLE, admins.get(1).stop(JOB).state());
    assertEquals(NodeState.IDLE, admins.get(1).status(JOB).state());
  }

  @Test
  void aRunningJobIsReplacedOnlyByAReset() throws Exception {
    String node = launchNode();
    NodeAdminClient admin = admin(node, ADMIN);
    admin.init(JOB, spec(1, 0), SECRET, initialParameters(SIZE), false);
    byte[] other = "another-job-secret-0123456789abc".getBytes(StandardCharsets.US_ASCII);
    NodeAdminClient.NodeAdminException refused = assertThrows(
        NodeAdminClient.NodeAdminException.class,
        () -> admin.init(JOB + 1, spec(1, 0), other, initialParameters(SIZE), false));
    assertEquals(AdminStatus.REFUSED, refused.status());
    assertTrue(refused.getMessage().contains("job 42 is in progress"), refused.getMessage());
    // the job in progress is untouched: its workers train as if nothing happened
    SyncModeTest.assertClose(expectedAdam(STEPS, WORKERS, SIZE), train(JOB, SECRET, node));
    // another driver (another session) with the admin secret resets it
    NodeAdminClient second = admin(node, ADMIN);
    NodeAdminClient.Reply r = second.init(JOB + 1, spec(1, 0), other, initialParameters(SIZE),
        true);
    assertEquals(JOB + 1, r.jobId());
    assertEquals(0, r.stepsApplied());
    SyncModeTest.assertClose(expectedAdam(STEPS, WORKERS, SIZE), train(JOB + 1, other, node));
    // the old job's secret no longer opens anything
    assertThrows(RuntimeException.class, () -> ParameterServerClient.connect(
        clientContext(clientDriver.aeronDirectoryName(), 1, 0).server(node)
            .timeout(2, TimeUnit.SECONDS)));
  }

  @Test
  void aWrongAdminSecretChangesNothing() {
    String node = launchNode();
    byte[] wrong = "not-the-admin-secret-0123456789ab".getBytes(StandardCharsets.US_ASCII);
    NodeAdminClient.NodeAdminException e = assertThrows(NodeAdminClient.NodeAdminException.class,
        () -> admin(node, wrong).init(JOB, spec(1, 0), SECRET, initialParameters(SIZE), false));
    assertEquals(AdminStatus.AUTH_FAILED, e.status());
    assertTrue(nodes.get(0).droppedAdminMessages() > 0);
    NodeAdminClient.Reply status = admin(node, ADMIN).status(JOB);
    assertEquals(NodeState.IDLE, status.state());
  }

  @Test
  void badSettingsAreRefusedByNameAndChangeNothing() throws Exception {
    String node = launchNode();
    NodeAdminClient admin = admin(node, ADMIN);
    assertRefused(AdminStatus.BAD_REQUEST, "optimizer nosuch", () -> admin.init(JOB,
        spec(1, 0).optimizer("nosuch", Map.of()), SECRET, initialParameters(SIZE), false));
    assertRefused(AdminStatus.BAD_REQUEST, "'shards'", () -> admin.init(JOB,
        spec(1, 0).shards(0), SECRET, initialParameters(SIZE), false));
    assertRefused(AdminStatus.BAD_REQUEST, "socketBufferLength", () -> admin.init(JOB,
        spec(1, 0).channel(MTU, TERM, 2 * SOCKET_BUFFER, WINDOW), SECRET,
        initialParameters(SIZE), false));
    assertRefused(AdminStatus.BAD_REQUEST, "chunkCount", () -> admin.init(JOB, spec(1, 0),
        SECRET, initialParameters(SIZE + 9000), false));
    assertRefused(AdminStatus.BAD_REQUEST, "'jobSecret'", () -> admin.init(JOB, spec(1, 0),
        "short".getBytes(StandardCharsets.US_ASCII), initialParameters(SIZE), false));
    assertEquals(NodeState.IDLE, admin.status(JOB).state());
    // a bad reset leaves the running job running
    admin.init(JOB, spec(1, 0), SECRET, initialParameters(SIZE), false);
    assertRefused(AdminStatus.BAD_REQUEST, "optimizer nosuch", () -> admin.init(JOB + 1,
        spec(1, 0).optimizer("nosuch", Map.of()), SECRET, initialParameters(SIZE), true));
    NodeAdminClient.Reply status = admin.status(JOB);
    assertEquals(NodeState.RUNNING, status.state());
    assertEquals(JOB, status.jobId());
    assertRefused(AdminStatus.REFUSED, "job 43 is not running", () -> admin.checkpoint(JOB + 1,
        new File(dir, "x").toURI().toString()));
    SyncModeTest.assertClose(expectedAdam(STEPS, WORKERS, SIZE), train(JOB, SECRET, node));
  }

  @Test
  void aStoppedJobResumesFromItsCheckpoint() throws Exception {
    String node = launchNode();
    NodeAdminClient admin = admin(node, ADMIN);
    admin.init(JOB, spec(1, 0), SECRET, initialParameters(SIZE), false);
    train(JOB, SECRET, node);
    File ck = new File(dir, "job.ckpt");
    admin.checkpoint(JOB, ck.toURI().toString());
    admin.stop(JOB);
    NodeAdminClient.Reply r = admin.init(JOB, spec(1, 0).restoreFrom(ck.toURI().toString()),
        SECRET, null, false);
    assertTrue(r.message().contains("restored from"), r.message());
    try (ParameterServerClient c = ParameterServerClient.connect(clientContext(
        clientDriver.aeronDirectoryName(), 1, 0).server(node))) {
      FloatBuffer p = floats(SIZE);
      assertEquals(STEPS, c.pull(0, p), "the restored shards continue at version " + STEPS);
      float[] got = new float[SIZE];
      p.get(0, got);
      SyncModeTest.assertClose(expectedAdam(STEPS, WORKERS, SIZE), got);
    }
  }

  @Test
  void stepCheckpointsKeepTheLastTwoStepsOfEveryShardAndRestoreTheCommonOne() throws Exception {
    String[] endpoints = {launchNode(), launchNode()};
    String steps = new File(dir, "steps").toURI().toString();
    for (int k = 0; k < 2; k++) {
      admin(endpoints[k], ADMIN).init(JOB, spec(2, k).stepCheckpoints(steps), SECRET,
          initialParameters(SIZE), false);
    }
    train(JOB, SECRET, endpoints);
    // every shard wrote versions 0 (its start) .. 3 and kept the last two
    for (int shard = 0; shard < 3; shard++) {
      for (int v = 0; v <= STEPS; v++) {
        assertEquals(v >= STEPS - 1, new File(dir, "steps/shard-" + shard + ".v" + v).isFile(),
            "shard " + shard + " version " + v);
      }
    }
    long common = io.sparkeras.ps.server.StepCheckpoints.latestCommon(steps, 3,
        new org.apache.hadoop.conf.Configuration());
    assertEquals(STEPS, common);
    // node 0 (shards 0 and 1) from its two files at that step
    admins.get(0).stop(JOB);
    admins.get(0).init(JOB, spec(2, 0).restoreFrom(io.sparkeras.ps.server.StepCheckpoints.files(
        steps, 0, 2, common)), SECRET, null, false);
    try (ParameterServerClient c = ParameterServerClient.connect(clientContext(
        clientDriver.aeronDirectoryName(), 1, 0).servers(endpoints))) {
      FloatBuffer p = floats(SIZE);
      assertEquals(STEPS, c.pull(0, p));
      float[] got = new float[SIZE];
      p.get(0, got);
      SyncModeTest.assertClose(expectedAdam(STEPS, WORKERS, SIZE), got);
    }
    // files of another shard cannot stand in for node 0's second shard
    admins.get(0).stop(JOB);
    assertRefused(AdminStatus.FAILED, "not the continuation", () -> admins.get(0).init(JOB,
        spec(2, 0).restoreFrom(io.sparkeras.ps.server.StepCheckpoints.path(steps, 0, common)
            + "," + io.sparkeras.ps.server.StepCheckpoints.path(steps, 2, common)), SECRET,
        null, false));
  }

  /**
   * Random and mutated admin messages (right schema and template, random fields, lengths and
   * MACs, requests of sessions that exist) change nothing: the node stays idle, counts them as
   * dropped, and then takes a real job as if nothing had happened.
   */
  @Test
  void malformedAndForgedAdminMessagesChangeNothing() throws Exception {
    String node = launchNode();
    NodeAdminClient admin = admin(node, ADMIN); // a live session whose nonce the fuzz guesses
    java.util.SplittableRandom r = new java.util.SplittableRandom(11);
    org.agrona.concurrent.UnsafeBuffer b = new org.agrona.concurrent.UnsafeBuffer(
        java.nio.ByteBuffer.allocateDirect(2048));
    try (io.aeron.Publication pub = aeron.addPublication(io.sparkeras.ps.protocol.Protocol
        .udpChannel(node, MTU, TERM, SOCKET_BUFFER, WINDOW), ServerNode.ADMIN_STREAM_ID)) {
      await(pub::isConnected, 10_000, "the admin stream");
      io.sparkeras.ps.codecs.AdminRequestEncoder req =
          new io.sparkeras.ps.codecs.AdminRequestEncoder();
      io.sparkeras.ps.codecs.MessageHeaderEncoder header =
          new io.sparkeras.ps.codecs.MessageHeaderEncoder();
      for (int i = 0; i < 3000; i++) {
        int length;
        if (i % 3 == 0) {
          length = 1 + r.nextInt(600); // noise
          for (int k = 0; k < length; k++) {
            b.putByte(k, (byte) r.nextInt(256));
          }
        } else {
          // a well-framed INIT or STOP with a random session, sequence, body and MAC
          byte[] body = new byte[r.nextInt(200)];
          byte[] mac = new byte[i % 2 == 0 ? 32 : r.nextInt(40)];
          for (int k = 0; k < body.length; k++) {
            body[k] = (byte) r.nextInt(256);
          }
          req.wrapAndApplyHeader(b, 0, header).clientNonce(r.nextLong()).sequence(r.nextLong())
              .jobId(JOB).kind(i % 4 == 1 ? io.sparkeras.ps.codecs.AdminKind.INIT
                  : io.sparkeras.ps.codecs.AdminKind.STOP)
              .reset((short) 1).chunkIndex(r.nextInt()).chunkCount(r.nextInt())
              .putBody(body, 0, body.length).putMac(mac, 0, mac.length);
          length = header.encodedLength() + req.encodedLength();
          if (i % 5 == 0) {
            length = Math.max(1, length - 1 - r.nextInt(length)); // truncated
          }
        }
        while (pub.offer(b, 0, length) < 0) {
          Thread.onSpinWait();
        }
      }
    }
    await(() -> nodes.get(0).droppedAdminMessages() >= 3000, 30_000, "every fuzz message dropped");
    assertEquals(NodeState.IDLE, admin.status(JOB).state());
    admin.init(JOB, spec(1, 0), SECRET, initialParameters(SIZE), false);
    SyncModeTest.assertClose(expectedAdam(STEPS, WORKERS, SIZE), train(JOB, SECRET, node));
  }

  @Test
  void theLearningRateReachesTheShards() throws Exception {
    String node = launchNode();
    NodeAdminClient admin = admin(node, ADMIN);
    admin.init(JOB, spec(1, 0), SECRET, initialParameters(SIZE), false);
    admin.learningRate(JOB, Schedules.constant(0.01));
    admin.learningRate(JOB, Schedules.create("ExponentialDecay", Map.of(
        "initial_learning_rate", 0.01, "decay_steps", 1000, "decay_rate", 1.0)));
    // the same rate as the job's (0.01 at every step): the result stays the hand-computed one
    SyncModeTest.assertClose(expectedAdam(STEPS, WORKERS, SIZE), train(JOB, SECRET, node));
  }

  @Test
  void theStandaloneMainIsANodeWhenItNamesNoJob() throws Exception {
    File secret = new File(dir, "admin.secret");
    java.nio.file.Files.write(secret.toPath(), ADMIN);
    ServerNode.Context node = ParameterServerMain.nodeMode(new String[] {"--bind",
        "127.0.0.1:4000", "--secret-file", secret.getPath(), "--mtu", "8192"});
    assertEquals("127.0.0.1:4000", node.bind());
    assertEquals(8192, node.mtuLength());
    assertNull(ParameterServerMain.nodeMode(new String[] {"--bind", "127.0.0.1:4000",
        "--params", "10", "--secret-file", secret.getPath()}), "a job of its own: no node");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ParameterServerMain.nodeMode(new String[] {"--bind", "127.0.0.1:4000",
            "--shards", "2", "--secret-file", secret.getPath()}));
    assertTrue(e.getMessage().startsWith("--shards: a node without --params"), e.getMessage());
  }

  static void assertRefused(AdminStatus status, String text, Runnable r) {
    NodeAdminClient.NodeAdminException e = assertThrows(NodeAdminClient.NodeAdminException.class,
        r::run);
    assertEquals(status, e.status(), e.getMessage());
    assertTrue(e.getMessage().contains(text), e.getMessage());
  }
}
