package io.sparkeras.api.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.TestData;
import java.io.File;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Saving and loading through a real in-process HDFS (MiniDFSCluster on 127.0.0.1). */
@Timeout(120)
class HdfsSaveLoadTest {
  @TempDir
  static Path base;
  static MiniDFSCluster hdfs;

  @BeforeAll
  static void start() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, new File(base.toFile(), "dfs").getPath());
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    hdfs.waitActive();
  }

  @AfterAll
  static void stop() {
    if (hdfs != null) {
      hdfs.shutdown(true);
    }
  }

  @Test
  void saveAndLoadOnHdfs() throws Exception {
    Model m = SaveLoadTest.trained();
    String dir = hdfs.getURI() + "/models/run1";
    String path = dir + "/fmnist.sparkeras";
    m.save(path);
    m.save(path); // overwrite
    Model loaded = Model.load(path);
    NDArray x = TestData.threeClasses(40, 6, 21)[0];
    assertArrayEquals(m.predict(x).toArray(), loaded.predict(x).toArray(), 0f);
    FileSystem fs = FileSystem.get(hdfs.getURI(), hdfs.getConfiguration(0));
    FileStatus[] files = fs.listStatus(new org.apache.hadoop.fs.Path(dir));
    assertEquals(1, files.length, "no temporary files left");
    assertEquals("fmnist.sparkeras", files[0].getPath().getName());
  }
}
