package io.sparkeras.ps;

import static io.sparkeras.ps.PsTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import io.sparkeras.ps.client.ParameterServerClient;
import io.sparkeras.ps.protocol.Protocol;
import io.sparkeras.ps.server.ShardCounter;
import java.nio.FloatBuffer;
import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A job's shards spread over several server nodes (separate servers with their own media
 * drivers and ports, as on separate hosts): clients reach every shard at its node and the result
 * is the one of a single server.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ServerNodesTest extends ServerTestFixture {
  static final int SIZE = 7001; // 3 shards of ~2334 floats: 2 chunks each at an 8 KiB MTU
  static final int STEPS = 3;
  static final int WORKERS = 2;

  final List<ParameterServer> nodes = new ArrayList<>();

  @AfterEach
  void closeNodes() {
    nodes.forEach(CloseHelper::quietClose);
  }

  /** Launches {@code count} nodes of one 3-shard job; returns their addresses in node order. */
  String[] launchNodes(int count) {
    String[] endpoints = new String[count];
    for (int n = 0; n < count; n++) {
      int port = freeUdpPort();
      nodes.add(ParameterServer.launch(serverContext(dir, port).shards(3).nodes(count, n)
          .workers(WORKERS).optimizer("adam", adamConfig(false))
          .initialParameters(initialParameters(SIZE))));
      endpoints[n] = "127.0.0.1:" + port;
    }
    return endpoints;
  }

  @Test
  void threeShardsOnTwoNodesMatchHandComputed() throws Exception {
    String[] endpoints = launchNodes(2);
    assertEquals(2, nodes.get(0).shardCount(), "node 0 runs shards 0 and 1");
    assertEquals(1, nodes.get(1).shardCount(), "node 1 runs shard 2");
    String aeronDir = clientDriver.aeronDirectoryName();
    List<Future<float[]>> results = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      ParameterServerClient.Context ctx = clientContext(aeronDir, 1, w).servers(endpoints);
      int worker = w;
      results.add(pool.submit(() -> syncWorker(ctx, worker, STEPS, SIZE)));
    }
    double[] expected = expectedAdam(STEPS, WORKERS, SIZE);
    for (Future<float[]> f : results) {
      SyncModeTest.assertClose(expected, f.get());
    }
    // each node holds exactly its shards' ranges, up to date
    FloatBuffer both = floats(SIZE);
    for (ParameterServer node : nodes) {
      assertEquals(STEPS, node.readParameters(both));
      assertEquals((long) STEPS * node.shardCount(), node.counter(ShardCounter.STEPS));
    }
    float[] combined = new float[SIZE];
    both.get(0, combined);
    SyncModeTest.assertClose(expected, combined);
  }

  @Test
  void shardsAreSpreadInContiguousNearlyEqualRanges() {
    // 10 shards on 4 nodes: 3, 3, 2, 2
    int[] first = new int[5];
    for (int n = 0; n <= 4; n++) {
      first[n] = Protocol.firstShardOfNode(10, 4, n);
    }
    assertArrayEquals(new int[] {0, 3, 6, 8, 10}, first);
    for (int s = 0; s < 10; s++) {
      int node = Protocol.nodeOfShard(s, 10, 4);
      assertTrue(first[node] <= s && s < first[node + 1], "shard " + s + " on node " + node);
    }
  }

  @Test
  void badNodeSettingsAreRefusedByName() {
    IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
        () -> serverContext(dir, 1).parameterCount(100).shards(2).nodes(3, 0).conclude());
    assertTrue(tooMany.getMessage().contains("'nodes'") && tooMany.getMessage().contains("found 3"),
        tooMany.getMessage());
    IllegalArgumentException index = assertThrows(IllegalArgumentException.class,
        () -> serverContext(dir, 1).parameterCount(100).shards(2).nodes(2, 2).conclude());
    assertTrue(index.getMessage().contains("'node'"), index.getMessage());
    IllegalArgumentException clip = assertThrows(IllegalArgumentException.class,
        () -> serverContext(dir, 1).parameterCount(100).shards(2).nodes(2, 0)
            .optimizer("sgd", Map.of("global_clipnorm", 1.0)).conclude());
    assertTrue(clip.getMessage().contains("optimizer.global_clipnorm"), clip.getMessage());
  }

  @Test
  void aClientGivenMoreNodesThanShardsSaysSo() {
    String[] endpoints = launchNodes(1);
    String aeronDir = clientDriver.aeronDirectoryName();
    ParameterServerException e = assertThrows(ParameterServerException.class,
        () -> ParameterServerClient.connect(clientContext(aeronDir, 1, 0).servers(endpoints[0],
            "127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3")));
    assertTrue(e.getMessage().contains("4 server nodes were given but the job has 3 shards"),
        e.getMessage());
  }

  @Test
  void standaloneServerTakesItsNodeFromTheCommandLine() throws Exception {
    File secret = new File(dir, "secret");
    Files.write(secret.toPath(), SECRET);
    ParameterServerContext ctx = ParameterServerMain.parse(new String[] {"--bind",
        "127.0.0.1:4000", "--shards", "4", "--nodes", "2", "--node", "1", "--params", "100",
        "--secret-file", secret.getPath()}).conclude();
    assertEquals(2, ctx.firstShard());
    assertEquals(2, ctx.localShards());
    IllegalArgumentException alone = assertThrows(IllegalArgumentException.class,
        () -> ParameterServerMain.parse(new String[] {"--bind", "127.0.0.1:4000", "--nodes", "2",
            "--secret-file", secret.getPath()}));
    assertTrue(alone.getMessage().contains("--nodes K and --node I go together"),
        alone.getMessage());
  }
}
