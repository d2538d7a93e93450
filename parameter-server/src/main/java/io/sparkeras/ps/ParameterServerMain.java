package io.sparkeras.ps;

import io.sparkeras.ps.node.ServerNode;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Standalone parameter server: {@code bin/sparkeras ps --shards N --bind 127.0.0.1:PORT ...}.
 *
 * <pre>
 * --bind HOST:PORT            address the shards listen on (required)
 * --shards N                  number of shards (1)
 * --nodes K --node I         the shards are spread over K server processes and this is node I
 *                             (0-based): it runs its share of them (clients list all K addresses)
 * --workers N                 workers (partitions) of the job (1)
 * --params N | --init URI     parameter count (zeros), or initial weights: raw little-endian
 *                             float32 on any Hadoop path
 * --restore URI               resume from a checkpoint instead
 * --mode sync|async|averaging (sync)      --staleness S (2, SyncMode.STALENESS_DEFAULT)
 * --optimizer NAME (adam)     --optimizer-config k=v,k=v (numbers or true/false, Keras names;
 *                             clipvalue / clipnorm / global_clipnorm are applied on the shards)
 * --variable-ranges f,t,f,t,...  the trainable variables, one [from, to) pair each, in order,
 *                             covering the vector: clipnorm per variable, shards split on them
 * --constraints C;C;...       Keras weight constraints applied after each update, each
 *                             FROM:D0xD1:NAME[:KEY=VALUE,...] (RangeConstraint's text form)
 * --job-id ID (0)             --secret-file PATH (or env SPARKERAS_PS_SECRET); >= 16 bytes
 * --timeout-ms MS (60000)     how long a sync step / pull may wait for missing workers
 * --compression none|fp16|bf16|threshold (none)   --threshold T (0.001)
 * --mtu N --term-length N --socket-buffer N --receiver-window N   transport tuning
 * --driver-dir-parent DIR     parent of the per-process media driver directory (/dev/shm)
 * --dedicated-driver-threads  sender/receiver on their own threads
 * </pre>
 *
 * <p>Without {@code --params}, {@code --init} or {@code --restore} the process is a <b>node</b>
 * that drivers initialise over the protocol ({@link ServerNode}; {@code spark.sparkeras.ps.nodes}):
 * it takes only {@code --bind}, {@code --secret-file} (then the <em>admin</em> secret a driver
 * must prove, not a job's) and the transport options, and prints {@code READY <bind> node}.
 *
 * <p>Prints {@code READY <bind> shards=<n>} once listening. Reads commands on stdin:
 * {@code checkpoint URI} (answers {@code CHECKPOINTED URI} or {@code ERROR ...}), {@code status},
 * {@code quit}. Stops on SIGTERM / end of stdin and removes its driver directory.
 */
public final class ParameterServerMain {
  private ParameterServerMain() {}

  public static void main(String[] args) throws Exception {
    ParameterServerContext ctx;
    ServerNode.Context node;
    try {
      node = nodeMode(args);
      ctx = node == null ? parse(args) : null;
    } catch (IllegalArgumentException e) {
      System.err.println("sparkeras ps: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (node != null) {
      runNode(node);
      return;
    }
    ParameterServer server = ParameterServer.launch(ctx);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "sparkeras-ps-shutdown"));
    System.out.println("READY " + ctx.bind() + " shards=" + ctx.shards() + " params="
        + ctx.parameterCount() + " mode=" + ctx.mode().key()
        + (ctx.nodes() > 1 ? " node=" + ctx.node() + "/" + ctx.nodes() + " first-shard="
            + ctx.firstShard() + " local-shards=" + ctx.localShards() : ""));
    System.out.flush();
    commands(line -> {
      if (line.startsWith("checkpoint ")) {
        String uri = line.substring("checkpoint ".length()).trim();
        try {
          server.checkpoint(uri);
          return "CHECKPOINTED " + uri;
        } catch (RuntimeException e) {
          return "ERROR " + e.getMessage();
        }
      } else if (line.equals("status")) {
        String failure = server.failure();
        return "STATUS " + (failure == null ? "ok" : "failed: " + failure);
      }
      return "ERROR unknown command: " + line;
    });
    server.close();
  }

  /** Answers the commands read on stdin until {@code quit} or its end. */
  private static void commands(java.util.function.UnaryOperator<String> answer)
      throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      line = line.trim();
      if (line.equals("quit")) {
        break;
      } else if (!line.isEmpty()) {
        System.out.println(answer.apply(line));
        System.out.flush();
      }
    }
  }

  /** Options of a node that a driver initialises (no job of its own). */
  private static final java.util.Set<String> NODE_OPTIONS = java.util.Set.of("--bind",
      "--secret-file", "--mtu", "--term-length", "--socket-buffer", "--receiver-window",
      "--driver-dir-parent", "--dedicated-driver-threads");

  /**
   * The node's settings when the arguments name no job (no {@code --params}, {@code --init} or
   * {@code --restore}), else null; options that only a driver sets are refused by name.
   */
  static ServerNode.Context nodeMode(String[] args) throws IOException {
    Map<String, String> opts = options(args);
    if (opts.containsKey("--params") || opts.containsKey("--init")
        || opts.containsKey("--restore")) {
      return null;
    }
    ServerNode.Context ctx = new ServerNode.Context();
    for (Map.Entry<String, String> e : opts.entrySet()) {
      String v = e.getValue();
      if (!NODE_OPTIONS.contains(e.getKey())) {
        throw new IllegalArgumentException(e.getKey() + ": a node without --params, --init or "
            + "--restore takes its job from a driver (spark.sparkeras.ps.nodes); only "
            + new java.util.TreeSet<>(NODE_OPTIONS) + " apply");
      }
      switch (e.getKey()) {
        case "--bind": ctx.bind(v); break;
        case "--secret-file": ctx.adminSecret(trimNewline(Files.readAllBytes(Paths.get(v)))); break;
        case "--mtu": ctx.mtuLength(intArg(e)); break;
        case "--term-length": ctx.termLength(intArg(e)); break;
        case "--socket-buffer": ctx.socketBufferLength(intArg(e)); break;
        case "--receiver-window": ctx.receiverWindowLength(intArg(e)); break;
        case "--driver-dir-parent": ctx.driverDirectoryParent(v); break;
        default: ctx.dedicatedDriverThreads(true); break;
      }
    }
    if (!opts.containsKey("--bind")) {
      throw new IllegalArgumentException("--bind HOST:PORT is required");
    }
    if (!opts.containsKey("--secret-file")) {
      String env = System.getenv("SPARKERAS_PS_SECRET");
      if (env == null) {
        throw new IllegalArgumentException("--secret-file (the admin secret drivers prove) or "
            + "SPARKERAS_PS_SECRET is required");
      }
      ctx.adminSecret(env.getBytes(StandardCharsets.UTF_8));
    }
    return ctx;
  }

  private static void runNode(ServerNode.Context ctx) throws IOException {
    ServerNode node = ServerNode.launch(ctx);
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "sparkeras-ps-shutdown"));
    System.out.println("READY " + ctx.bind() + " node: waiting for a driver");
    System.out.flush();
    commands(line -> "ERROR unknown command: " + line + " (a node takes only quit; drivers "
        + "talk to it over the protocol)");
    node.close();
  }

  private static java.util.List<io.sparkeras.core.constraints.RangeConstraint> constraintList(
      String v) {
    java.util.List<io.sparkeras.core.constraints.RangeConstraint> l = new java.util.ArrayList<>();
    for (String c : v.split(";")) {
      if (!c.isBlank()) {
        l.add(io.sparkeras.core.constraints.RangeConstraint.parse(c.trim()));
      }
    }
    return l;
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + a + "'");
      }
      if (a.equals("--dedicated-driver-threads")) {
        opts.put(a, "true");
      } else {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(a + " needs a value");
        }
        opts.put(a, args[++i]);
      }
    }
    return opts;
  }

  static ParameterServerContext parse(String[] args) throws IOException {
    Map<String, String> opts = options(args);
    ParameterServerContext ctx = new ParameterServerContext();
    for (Map.Entry<String, String> e : opts.entrySet()) {
      String v = e.getValue();
      switch (e.getKey()) {
        case "--bind": ctx.bind(v); break;
        case "--shards": ctx.shards(intArg(e)); break;
        case "--nodes": case "--node": break; // below, together
        case "--workers": ctx.workers(intArg(e)); break;
        case "--params": ctx.parameterCount(intArg(e)); break;
        case "--init": ctx.initialParameters(readFloats(v)); break;
        case "--restore": ctx.restoreFrom(v); break;
        case "--mode": ctx.mode(modeArg(e)); break;
        case "--staleness": ctx.staleness(intArg(e)); break;
        case "--optimizer": ctx.optimizer(v, ctx.optimizerConfig()); break;
        case "--optimizer-config": ctx.optimizer(ctx.optimizerName(), keyValues(v)); break;
        case "--variable-ranges": ctx.variableRanges(intList(e)); break;
        case "--constraints": ctx.constraints(constraintList(v)); break;
        case "--job-id": ctx.jobId(Long.parseLong(v)); break;
        case "--secret-file": ctx.jobSecret(trimNewline(Files.readAllBytes(Paths.get(v)))); break;
        case "--timeout-ms": ctx.syncTimeout(Long.parseLong(v), TimeUnit.MILLISECONDS); break;
        case "--compression": ctx.compression(Compression.valueOf(v.toUpperCase(Locale.ROOT))); break;
        case "--threshold": ctx.threshold(Float.parseFloat(v)); break;
        case "--mtu": ctx.mtuLength(intArg(e)); break;
        case "--term-length": ctx.termLength(intArg(e)); break;
        case "--socket-buffer": ctx.socketBufferLength(intArg(e)); break;
        case "--receiver-window": ctx.receiverWindowLength(intArg(e)); break;
        case "--driver-dir-parent": ctx.driverDirectoryParent(v); break;
        case "--dedicated-driver-threads": ctx.dedicatedDriverThreads(true); break;
        default: throw new IllegalArgumentException("unknown option " + e.getKey());
      }
    }
    if (opts.containsKey("--nodes") != opts.containsKey("--node")) {
      throw new IllegalArgumentException("--nodes K and --node I go together");
    }
    if (opts.containsKey("--nodes")) {
      ctx.nodes(intArg(Map.entry("--nodes", opts.get("--nodes"))),
          intArg(Map.entry("--node", opts.get("--node"))));
    }
    if (!opts.containsKey("--bind")) {
      throw new IllegalArgumentException("--bind HOST:PORT is required");
    }
    if (!opts.containsKey("--secret-file")) {
      String env = System.getenv("SPARKERAS_PS_SECRET");
      if (env == null) {
        throw new IllegalArgumentException("--secret-file or SPARKERAS_PS_SECRET is required");
      }
      ctx.jobSecret(env.getBytes(StandardCharsets.UTF_8));
    }
    return ctx;
  }

  private static TrainingMode modeArg(Map.Entry<String, String> e) {
    try {
      return TrainingMode.parse(e.getValue());
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException(e.getKey() + ": " + ex.getMessage(), ex);
    }
  }

  private static int intArg(Map.Entry<String, String> e) {
    try {
      return Integer.parseInt(e.getValue());
    } catch (NumberFormatException ex) {
      throw new IllegalArgumentException(e.getKey() + ": expected an integer, found '" + e.getValue() + "'");
    }
  }

  private static int[] intList(Map.Entry<String, String> e) {
    String[] parts = e.getValue().split(",");
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Integer.parseInt(parts[i].trim());
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException(e.getKey() + ": expected comma-separated integers, found '"
            + parts[i] + "'");
      }
    }
    return out;
  }

  static Map<String, Object> keyValues(String spec) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (String kv : spec.split(",")) {
      if (kv.isBlank()) {
        continue;
      }
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--optimizer-config: expected key=value, found '" + kv + "'");
      }
      String key = kv.substring(0, eq).trim();
      String value = kv.substring(eq + 1).trim();
      if (value.equals("true") || value.equals("false")) {
        map.put(key, Boolean.parseBoolean(value));
      } else {
        try {
          map.put(key, Double.parseDouble(value));
        } catch (NumberFormatException ex) {
          throw new IllegalArgumentException("--optimizer-config " + key + ": expected a number or true/false, found '" + value + "'");
        }
      }
    }
    return map;
  }

  private static byte[] trimNewline(byte[] b) {
    int n = b.length;
    while (n > 0 && (b[n - 1] == '\n' || b[n - 1] == '\r')) {
      n--;
    }
    return java.util.Arrays.copyOf(b, n);
  }

  /** Reads a raw little-endian float32 file from any Hadoop path. */
  static FloatBuffer readFloats(String uri) throws IOException {
    Path path = new Path(URI.create(uri));
    FileSystem fs = path.getFileSystem(new Configuration());
    long bytes = fs.getFileStatus(path).getLen();
    if (bytes % 4 != 0 || bytes / 4 > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("--init " + uri + ": " + bytes + " bytes is not a float32 vector");
    }
    ByteBuffer buf = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    try (InputStream in = new DataInputStream(fs.open(path))) {
      byte[] chunk = new byte[1 << 16];
      int n;
      while ((n = in.read(chunk)) > 0) {
        buf.put(chunk, 0, n);
      }
    }
    buf.flip();
    return buf.asFloatBuffer();
  }
}
