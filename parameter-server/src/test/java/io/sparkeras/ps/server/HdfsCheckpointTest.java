package io.sparkeras.ps.server;

import static io.sparkeras.ps.PsTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import io.sparkeras.ps.ParameterServer;
import io.sparkeras.ps.ServerTestFixture;
import io.sparkeras.ps.client.ParameterServerClient;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints go to any Hadoop file system: here an in-process HDFS. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HdfsCheckpointTest extends ServerTestFixture {
  static final int SIZE = 4000;

  @TempDir
  Path tmp;
  MiniDFSCluster hdfs;

  @BeforeEach
  void startHdfs() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.toString());
    hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    hdfs.waitActive();
  }

  @AfterEach
  void stopHdfs() {
    if (hdfs != null) {
      hdfs.shutdown();
    }
  }

  @Test
  void checkpointToHdfsAndRestoreExactly() throws Exception {
    String uri = hdfs.getURI().toString() + "/jobs/42/ps.ckpt";
    FloatBuffer init = floats(SIZE);
    for (int i = 0; i < SIZE; i++) {
      init.put(i, value(4, i));
    }
    ShardSnapshot[] before;
    int port = freeUdpPort();
    try (ParameterServer ps = ParameterServer.launch(serverContext(dir, port).shards(2).workers(1)
        .initialParameters(init).optimizer("adam", adamConfig(true)))) {
      try (ParameterServerClient c = ParameterServerClient.connect(
          clientContext(clientDriver.aeronDirectoryName(), port, 0))) {
        FloatBuffer g = floats(SIZE);
        for (long step = 0; step < 2; step++) {
          for (int i = 0; i < SIZE; i++) {
            g.put(i, value(50 + step, i));
          }
          c.pushGradient(0, step, g);
          c.pull(step + 1, floats(SIZE));
        }
      }
      ps.checkpoint(uri);
      ps.checkpoint(uri); // overwrite in place
      before = ps.snapshot();
    }
    FileSystem fs = hdfs.getFileSystem();
    assertTrue(fs.exists(new org.apache.hadoop.fs.Path("/jobs/42/ps.ckpt")));
    assertEquals(1, fs.listStatus(new org.apache.hadoop.fs.Path("/jobs/42")).length, "no temp file left");

    try (ParameterServer restored = ParameterServer.launch(serverContext(dir, freeUdpPort()).shards(2)
        .workers(1).restoreFrom(uri).optimizer("adam", adamConfig(true)))) {
      ShardSnapshot[] after = restored.snapshot();
      for (int s = 0; s < 2; s++) {
        assertEquals(2, after[s].version);
        assertEquals(before[s].version, after[s].version);
        assertArrayEquals(before[s].params, after[s].params);
        assertEquals(3, after[s].state.length);
        for (int k = 0; k < 3; k++) {
          assertArrayEquals(before[s].state[k], after[s].state[k]);
        }
      }
    }
  }
}
