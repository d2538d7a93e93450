package io.sparkeras.cluster;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What {@code ClusterMain start} records in {@code <dir>/cluster.properties} so that
 * {@code stop} and {@code status}, in other JVMs, find the daemons again:
 *
 * <pre>
 * master.url=spark://127.0.0.1:41234
 * master.webui=http://127.0.0.1:41235
 * master.pid=12345          master.start=&lt;epoch ms, guards against a reused pid&gt;
 * master.port=41234         master.webui.port=41235   master.log=&lt;dir&gt;/logs/master.log
 * workers=2
 * worker.0.pid=...  worker.0.start=...  worker.0.port=...  worker.0.webui.port=...  worker.0.log=...
 * </pre>
 */
final class ClusterState {

  static final String FILE_NAME = "cluster.properties";

  final String masterUrl;
  final SparkDaemon master;
  final List<SparkDaemon> workers;

  ClusterState(String masterUrl, SparkDaemon master, List<SparkDaemon> workers) {
    this.masterUrl = masterUrl;
    this.master = master;
    this.workers = List.copyOf(workers);
  }

  static ClusterState of(StandaloneCluster cluster) {
    return new ClusterState(cluster.masterUrl(), cluster.master(), cluster.workers());
  }

  static Path file(Path dir) {
    return dir.resolve(FILE_NAME);
  }

  void write(Path dir) {
    Properties p = new Properties();
    p.setProperty("master.url", masterUrl);
    p.setProperty("master.webui", master.webUiUrl());
    put(p, "master", master);
    p.setProperty("workers", String.valueOf(workers.size()));
    for (SparkDaemon w : workers) {
      put(p, "worker." + w.index(), w);
    }
    Path target = file(dir);
    Path tmp = dir.resolve(FILE_NAME + ".tmp");
    try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(out, "Spark standalone cluster started by sparkeras cluster start, " + Instant.now());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + tmp, e);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  /** The recorded state, or empty if {@code dir} has none. */
  static Optional<ClusterState> read(Path dir) {
    Path f = file(dir);
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f, e);
    }
    try {
      SparkDaemon master = get(p, "master", SparkDaemon.Role.MASTER, 0);
      int n = Integer.parseInt(required(p, "workers"));
      List<SparkDaemon> workers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        workers.add(get(p, "worker." + i, SparkDaemon.Role.WORKER, i));
      }
      return Optional.of(new ClusterState(required(p, "master.url"), master, workers));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("corrupt cluster state file " + f + ": " + e.getMessage(), e);
    }
  }

  static void delete(Path dir) {
    try {
      Files.deleteIfExists(file(dir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void put(Properties p, String prefix, SparkDaemon d) {
    p.setProperty(prefix + ".pid", String.valueOf(d.pid()));
    p.setProperty(prefix + ".start", String.valueOf(d.startMillis()));
    p.setProperty(prefix + ".port", String.valueOf(d.port()));
    p.setProperty(prefix + ".webui.port", String.valueOf(d.webUiPort()));
    p.setProperty(prefix + ".log", d.logFile().toString());
  }

  private static SparkDaemon get(Properties p, String prefix, SparkDaemon.Role role, int index) {
    return new SparkDaemon(role, index, StandaloneCluster.HOST,
        Integer.parseInt(required(p, prefix + ".port")),
        Integer.parseInt(required(p, prefix + ".webui.port")),
        Long.parseLong(required(p, prefix + ".pid")),
        Long.parseLong(required(p, prefix + ".start")),
        Path.of(required(p, prefix + ".log")));
  }

  private static String required(Properties p, String key) {
    String v = p.getProperty(key);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("missing key " + key);
    }
    return v.trim();
  }
}
