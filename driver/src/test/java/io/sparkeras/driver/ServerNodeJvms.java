package io.sparkeras.driver;

import static org.junit.jupiter.api.Assertions.fail;

import io.sparkeras.ps.ParameterServerMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A test's parameter-server nodes ({@code bin/sparkeras ps --bind ... --secret-file ...}) as
 * child JVMs on 127.0.0.1: one admin secret file, and every node's log and Aeron media-driver
 * directory, under one folder; {@link #close()} stops them all and leaves none of their
 * media-driver directories.
 *
 * <pre>{@code
 * try (ServerNodeJvms jvms = ServerNodeJvms.in(tempDir)) {
 *   List<String> nodes = jvms.start("node0", "node1");
 *   jvms.use(SparkTrainer.of(spark, model).workers(2), nodes).fit(df, "x", "y", options);
 * }
 * }</pre>
 */
final class ServerNodeJvms implements AutoCloseable {
  /** Prefix of a node's media-driver directory (ServerNode's). */
  static final String DRIVER_DIR_PREFIX = "sparkeras-ps-node-";

  private final Path dir;
  private final Path secretFile;
  private final Map<String, ChildJvm> running = new LinkedHashMap<>();
  private final List<ChildJvm> started = new ArrayList<>();

  private ServerNodeJvms(Path dir, Path secretFile) {
    this.dir = dir;
    this.secretFile = secretFile;
  }

  /** Nodes whose secret file, logs and media-driver directories go to {@code dir}. */
  static ServerNodeJvms in(Path dir) throws IOException {
    Path secret = dir.resolve("admin.secret");
    Files.write(secret, "admin-secret-of-the-fit-test-nodes\n".getBytes(StandardCharsets.US_ASCII));
    return new ServerNodeJvms(dir, secret);
  }

  Path secretFile() {
    return secretFile;
  }

  /**
   * Nodes on free UDP ports of 127.0.0.1, one per name, started side by side; waits for their
   * READY lines and returns their addresses.
   */
  List<String> start(String... names) throws Exception {
    List<String> binds = new ArrayList<>();
    for (String name : names) {
      int port;
      try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      binds.add(launch(name, "127.0.0.1:" + port));
    }
    for (String bind : binds) {
      awaitReady(bind);
    }
    return binds;
  }

  /** A node on {@code bind} again, as a service manager restarts one on its address. */
  String restart(String name, String bind) throws Exception {
    return awaitReady(launch(name, bind));
  }

  private String launch(String name, String bind) throws IOException {
    ChildJvm child = ChildJvm.start(ParameterServerMain.class, name, dir, List.of("-Xmx256m",
        "--", "--bind", bind, "--secret-file", secretFile.toString(), "--driver-dir-parent",
        dir.toString()));
    running.put(bind, child);
    started.add(child);
    return bind;
  }

  private String awaitReady(String bind) throws Exception {
    ChildJvm child = running.get(bind);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!child.output().contains("READY " + bind)) {
      if (!child.isAlive() || System.nanoTime() > deadline) {
        fail("node on " + bind + " did not start: " + child.describe());
      }
      Thread.sleep(50); // polling the child's log, not a readiness guess
    }
    return bind;
  }

  /** Sets {@code spark.sparkeras.ps.nodes} and the secret file on {@code trainer}. */
  SparkTrainer use(SparkTrainer trainer, List<String> nodes) {
    trainer.settings().set(TrainerSettings.PS_NODES, nodes)
        .set(TrainerSettings.PS_SECRET_FILE, secretFile.toString());
    return trainer;
  }

  /** SIGKILLs the node on {@code bind} (no shutdown hook: its directory stays until close). */
  void kill(String bind) throws InterruptedException {
    running.remove(bind).kill();
  }

  /** Media-driver directories of nodes under the folder. */
  List<Path> driverDirectories() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith(DRIVER_DIR_PREFIX)).toList();
    }
  }

  /** Every node's exit and last lines. */
  String describe() throws IOException {
    StringBuilder b = new StringBuilder();
    for (ChildJvm child : started) {
      b.append(child.describe()).append('\n');
    }
    return b.toString();
  }

  /**
   * Stops every running node: SIGTERM (its shutdown hook closes it and removes its media-driver
   * directory), SIGKILL after 20 s; then removes the directories of nodes that did not stop
   * cleanly (killed ones), naming them and the nodes' logs on stderr.
   */
  @Override
  public void close() {
    try {
      for (ChildJvm child : running.values()) {
        if (!child.stop(20)) {
          System.err.println("a parameter-server node did not stop in 20 s: killed");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.values().forEach(ChildJvm::close);
    } finally {
      running.clear();
      try {
        List<Path> left = driverDirectories();
        if (!left.isEmpty()) {
          System.err.println("media-driver directories left by nodes: " + left + "\n" + describe());
        }
        for (Path d : left) {
          try (Stream<Path> tree = Files.walk(d)) {
            tree.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
