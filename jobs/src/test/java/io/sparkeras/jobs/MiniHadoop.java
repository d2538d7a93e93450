package io.sparkeras.jobs;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

/**
 * A real HDFS (one NameNode, one DataNode) and a real YARN (one ResourceManager, one
 * NodeManager whose containers are separate JVMs) in this JVM, on 127.0.0.1, with a
 * {@code HADOOP_CONF_DIR} written for clients ({@code core-site.xml}: the HDFS as default file
 * system; {@code yarn-site.xml}: the ResourceManager's addresses). Containers are checked
 * against their physical memory (as on a production NodeManager) but not their virtual memory.
 *
 * <pre>{@code
 * try (MiniHadoop hadoop = MiniHadoop.start(dir, "MyIT", 6144)) {
 *   // HADOOP_CONF_DIR=hadoop.confDir() spark-submit --master yarn ...
 * }
 * }</pre>
 */
final class MiniHadoop implements AutoCloseable {
  final MiniDFSCluster hdfs;
  final MiniYARNCluster yarn;
  private final Path confDir;

  private MiniHadoop(MiniDFSCluster hdfs, MiniYARNCluster yarn, Path confDir) {
    this.hdfs = hdfs;
    this.yarn = yarn;
    this.confDir = confDir;
  }

  /**
   * Starts HDFS under {@code dir/dfs} and YARN under {@code dir/yarn} with {@code nodeMemoryMb} for containers, and writes the
   * client configuration to {@code dir/hadoop-conf}. Whatever started is stopped if a later
   * step fails.
   */
  static MiniHadoop start(Path dir, String name, int nodeMemoryMb) throws Exception {
    Configuration dfsConf = new Configuration();
    dfsConf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("dfs").toString());
    dfsConf.set("dfs.datanode.address", "127.0.0.1:0");
    dfsConf.set("dfs.datanode.http.address", "127.0.0.1:0");
    dfsConf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    dfsConf.set("dfs.namenode.http-address", "127.0.0.1:0");
    MiniDFSCluster hdfs = new MiniDFSCluster.Builder(dfsConf).numDataNodes(1).build();
    MiniYARNCluster yarn = null;
    try {
      hdfs.waitActive();
      // the NodeManager's directories (container work dirs and logs) under dir, not target/test
      System.setProperty("test.build.data", dir.resolve("yarn").toString());
      yarn = new MiniYARNCluster(name, 1, 1, 1);
      yarn.init(yarnConf(nodeMemoryMb));
      yarn.start();
      awaitResourceManagerPort(yarn.getConfig());
      if (!yarn.waitForNodeManagersToConnect(30_000)) {
        throw new IllegalStateException("the NodeManager did not register within 30 s");
      }
      Path confDir = Files.createDirectories(dir.resolve("hadoop-conf"));
      Configuration core = new Configuration(false);
      core.set("fs.defaultFS", hdfs.getURI().toString());
      core.set("dfs.replication", "1");
      write(core, confDir.resolve("core-site.xml"));
      // the ResourceManager's addresses and the rest of yarn.*; not the whole conf, whose
      // fs.defaultFS (file:///, from core-default.xml) would override core-site.xml's
      Configuration yarnSite = new Configuration(false);
      for (Map.Entry<String, String> e : yarn.getConfig()) {
        if (e.getKey().startsWith("yarn.")) {
          yarnSite.set(e.getKey(), e.getValue());
        }
      }
      write(yarnSite, confDir.resolve("yarn-site.xml"));
      return new MiniHadoop(hdfs, yarn, confDir);
    } catch (Exception | Error e) {
      if (yarn != null) {
        yarn.stop();
      }
      hdfs.shutdown(true);
      throw e;
    }
  }

  private static YarnConfiguration yarnConf(int nodeMemoryMb) {
    YarnConfiguration c = new YarnConfiguration();
    c.set(YarnConfiguration.RM_HOSTNAME, "127.0.0.1");
    c.setInt(YarnConfiguration.NM_PMEM_MB, nodeMemoryMb);
    c.setInt(YarnConfiguration.NM_VCORES, 4);
    c.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
    // the physical-memory check stays on: a container past its size is killed, so the memory
    // overhead the test asks for is the one a production NodeManager would hold it to
    c.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, true);
    c.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
    c.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage",
        "100.0");
    // hadoop-client-minicluster has no capacity-scheduler.xml: one queue, all of the cluster
    c.set("yarn.scheduler.capacity.root.queues", "default");
    c.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
    c.setFloat("yarn.scheduler.capacity.root.default.user-limit-factor", 1);
    c.setInt("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
    c.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
    c.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
    c.set("yarn.scheduler.capacity.root.default.acl_administer_queue", "*");
    c.setInt("yarn.scheduler.capacity.node-locality-delay", -1);
    // an application master may take half the node (the default, a tenth, is less than one)
    c.setFloat("yarn.scheduler.capacity.maximum-am-resource-percent", 0.5f);
    return c;
  }

  /** start() can return before the ResourceManager has put its real port in the conf. */
  private static void awaitResourceManagerPort(Configuration c) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (c.get(YarnConfiguration.RM_ADDRESS).endsWith(":0")) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the ResourceManager has no port after 30 s");
      }
      Thread.sleep(100);
    }
  }

  private static void write(Configuration c, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      c.writeXml(out);
    }
  }

  /** The directory to give clients as {@code HADOOP_CONF_DIR}. */
  Path confDir() {
    return confDir;
  }

  /** {@code hdfs://127.0.0.1:<port>}. */
  String hdfsUri() {
    return hdfs.getURI().toString();
  }

  /** YARN's work dir: the NodeManager's container logs ({@code <app>/<container>/stdout}), ... */
  File yarnWorkDir() {
    return yarn.getTestWorkDir();
  }

  /** Stops YARN (its NodeManager kills any container still running), then HDFS. */
  @Override
  public void close() {
    try {
      yarn.stop();
    } finally {
      hdfs.shutdown(true);
    }
  }
}
