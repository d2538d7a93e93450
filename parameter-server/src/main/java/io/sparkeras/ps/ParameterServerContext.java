package io.sparkeras.ps;

import io.sparkeras.core.constraints.RangeConstraint;
import io.sparkeras.core.optim.FlatOptimizer;
import io.sparkeras.core.optim.UpdateRule;
import io.sparkeras.core.optim.UpdateRules;
import io.sparkeras.ps.protocol.HmacAuth;
import io.sparkeras.ps.protocol.MediaDrivers;
import io.sparkeras.ps.protocol.Protocol;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * Every setting of a parameter server, validated once by {@link #conclude()}.
 *
 * <p>Each setting has a documented default ({@code *_DEFAULT}); the transport ones can also be
 * given as system properties ({@code *_PROP_NAME}). Setters return {@code this}:
 *
 * <pre>{@code
 * ParameterServerContext ctx = new ParameterServerContext()
 *     .bind("127.0.0.1:40123")
 *     .shards(2)
 *     .parameterCount(1_000_000)
 *     .workers(4)
 *     .mode(TrainingMode.SYNC)
 *     .optimizer("adam", Map.of("learning_rate", 1e-3, "beta_1", 0.9))
 *     .jobId(42)
 *     .jobSecret(secretBytes);
 * try (ParameterServer ps = ParameterServer.launch(ctx)) { ... }
 * }</pre>
 */
public final class ParameterServerContext {
  /** System property for {@link #mtuLength(int)}. */
  public static final String MTU_LENGTH_PROP_NAME = "sparkeras.ps.mtu.length";
  /**
   * Default MTU: 65504, the largest Aeron allows. On loopback and jumbo-frame networks it is the
   * setting that decides throughput (1408: ~0.17 GB/s, 8k: ~0.7, 64k: ~1 GB/s on the dev box);
   * on a 1500-byte network use 1408 or 8192.
   */
  public static final int MTU_LENGTH_DEFAULT = 65504;
  /** System property for {@link #termLength(int)}. */
  public static final String TERM_LENGTH_PROP_NAME = "sparkeras.ps.term.length";
  /** Default term length of every publication: 16 MiB (three terms per publication log). */
  public static final int TERM_LENGTH_DEFAULT = 16 * 1024 * 1024;
  /** System property for {@link #socketBufferLength(int)}. */
  public static final String SOCKET_BUFFER_PROP_NAME = "sparkeras.ps.socket.buffer.length";
  /** Default SO_SNDBUF / SO_RCVBUF: 4 MiB, the largest net.core.[rw]mem_max allows on the dev box. */
  public static final int SOCKET_BUFFER_DEFAULT = 4 * 1024 * 1024;
  /** System property for {@link #receiverWindowLength(int)}. */
  public static final String RECEIVER_WINDOW_PROP_NAME = "sparkeras.ps.receiver.window.length";
  /**
   * Default receiver window: 1 MiB. All shards of a server share one UDP socket, so the windows of
   * all images (clients x shards) compete for one 4 MiB receive buffer; at 2 MiB the dev box
   * dropped datagrams (RcvbufErrors) and paid NAK round trips, at 1 MiB it did not.
   */
  public static final int RECEIVER_WINDOW_DEFAULT = 1024 * 1024;
  /** Default bind address. */
  public static final String BIND_DEFAULT = "127.0.0.1:40123";
  /** Default first stream id; shard i listens on {@code streamIdBase + i}. */
  public static final int STREAM_ID_BASE_DEFAULT = 1001;
  /** Default number of shards. */
  public static final int SHARDS_DEFAULT = 1;
  /** Default number of server nodes (processes) the shards are spread over. */
  public static final int NODES_DEFAULT = 1;
  /** Default number of workers (partitions) of the job. */
  public static final int WORKERS_DEFAULT = 1;
  /** Default staleness bound of {@link TrainingMode#ASYNC}: {@link SyncMode#STALENESS_DEFAULT}. */
  public static final int STALENESS_DEFAULT = SyncMode.STALENESS_DEFAULT;
  /** Default time a sync step, or a pull, may wait for missing workers before the job fails: 60 s. */
  public static final long SYNC_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(60);
  /** Default gradient threshold of {@link Compression#THRESHOLD}. */
  public static final float THRESHOLD_DEFAULT = 1e-3f;
  /** Default learning rate when the optimizer config has no {@code learning_rate} (Keras's). */
  public static final double LEARNING_RATE_DEFAULT = 1e-3;
  /** Default bound on handshakes in progress per shard (unauthenticated sessions). */
  public static final int MAX_PENDING_HANDSHAKES_DEFAULT = 64;
  /** Default bound on authenticated sessions per shard. */
  public static final int MAX_SESSIONS_DEFAULT = 1024;

  private boolean concluded;
  private String bind = BIND_DEFAULT;
  private int streamIdBase = STREAM_ID_BASE_DEFAULT;
  private int shards = SHARDS_DEFAULT;
  private int nodes = NODES_DEFAULT;
  private int node;
  private int parameterCount = -1;
  private FloatBuffer initialParameters;
  private int workers = WORKERS_DEFAULT;
  private TrainingMode mode = TrainingMode.SYNC;
  private int staleness = STALENESS_DEFAULT;
  private String optimizerName = "adam";
  private Map<String, Object> optimizerConfig = new LinkedHashMap<>();
  private long jobId;
  private byte[] jobSecret;
  private long syncTimeoutNs = SYNC_TIMEOUT_NS_DEFAULT;
  private Compression compression = Compression.NONE;
  private float threshold = THRESHOLD_DEFAULT;
  private int mtuLength = Integer.getInteger(MTU_LENGTH_PROP_NAME, MTU_LENGTH_DEFAULT);
  private int termLength = Integer.getInteger(TERM_LENGTH_PROP_NAME, TERM_LENGTH_DEFAULT);
  private int socketBufferLength = Integer.getInteger(SOCKET_BUFFER_PROP_NAME, SOCKET_BUFFER_DEFAULT);
  private int receiverWindowLength = Integer.getInteger(RECEIVER_WINDOW_PROP_NAME, RECEIVER_WINDOW_DEFAULT);
  private boolean launchEmbeddedDriver = true;
  private boolean dedicatedDriverThreads;
  private boolean ipc = true;
  private String aeronDirectoryName;
  private String driverDirectoryParent;
  private Supplier<IdleStrategy> idleStrategySupplier =
      () -> new BackoffIdleStrategy(100, 10, 1_000, 100_000);
  private String restoreFrom;
  private String stepCheckpoints;
  private LearningRateSchedule learningRateSchedule;
  private int maxPendingHandshakes = MAX_PENDING_HANDSHAKES_DEFAULT;
  private int maxSessions = MAX_SESSIONS_DEFAULT;
  private int[] variableRanges;
  private List<RangeConstraint> constraints = List.of();
  private int[] shardBoundaries;
  private FlatOptimizer.Clipping clipping = FlatOptimizer.Clipping.NONE;
  private float clipLimit;
  private int chunkFloats;
  private UpdateRule updateRule;
  private FlatOptimizer flatOptimizer;
  private float learningRate;

  /**
   * Validates every setting once and derives the rest; throws {@link IllegalArgumentException}
   * naming the setting. Called by {@link ParameterServer#launch}.
   */
  public ParameterServerContext conclude() {
    if (concluded) {
      return this;
    }
    require(Protocol.isValidEndpoint(bind), "bind", "expected host:port, found '" + bind + "'");
    require(shards >= 1 && shards <= 1024, "shards", "must be in [1, 1024], found " + shards);
    require(nodes >= 1 && nodes <= shards, "nodes",
        "must be in [1, shards = " + shards + "] (every node runs at least one shard), found "
            + nodes);
    require(node >= 0 && node < nodes, "node", "must be in [0, nodes = " + nodes + "), found "
        + node);
    if (initialParameters != null) {
      if (parameterCount < 0) {
        parameterCount = initialParameters.remaining();
      }
      require(initialParameters.remaining() == parameterCount, "initialParameters",
          "has " + initialParameters.remaining() + " floats, parameterCount is " + parameterCount);
    }
    require(restoreFrom != null || parameterCount >= shards, "parameterCount",
        "must be at least the shard count " + shards + ", found " + parameterCount);
    require(workers >= 1 && workers <= 4096, "workers", "must be in [1, 4096], found " + workers);
    require(staleness >= 0, "staleness", "must be >= 0, found " + staleness);
    require(streamIdBase > 0 && streamIdBase + shards < Integer.MAX_VALUE, "streamIdBase",
        "must be positive, found " + streamIdBase);
    require(jobSecret != null && jobSecret.length >= HmacAuth.MIN_SECRET_LENGTH, "jobSecret",
        "at least " + HmacAuth.MIN_SECRET_LENGTH + " bytes required");
    require(syncTimeoutNs > 0, "syncTimeout", "must be positive");
    require(threshold > 0 && Float.isFinite(threshold), "threshold", "must be a positive float");
    require(stepCheckpoints == null || mode == TrainingMode.SYNC, "stepCheckpoints",
        "only in sync mode (a consistent cut needs the step barrier), found mode " + mode);
    validateTransport(mtuLength, termLength, socketBufferLength, receiverWindowLength);
    require(maxPendingHandshakes >= 1, "maxPendingHandshakes", "must be >= 1");
    require(maxSessions >= 1, "maxSessions", "must be >= 1");
    concludeVariableRanges();
    concludeConstraints();
    if (flatOptimizer != null) {
      concludeFromOptimizer();
    } else {
      concludeFromConfig();
    }
    chunkFloats = Protocol.chunkFloats(mtuLength);
    if (launchEmbeddedDriver && aeronDirectoryName == null) {
      aeronDirectoryName = MediaDrivers.newDirectoryName(driverDirectoryParent, "sparkeras-ps");
    }
    require(aeronDirectoryName != null, "aeronDirectoryName",
        "required when no embedded driver is launched");
    concluded = true;
    return this;
  }

  /** The optimizer from {@link #optimizer(String, Map)}: name and Keras config, parsed here. */
  private void concludeFromConfig() {
    concludeClipping();
    Object lr = optimizerConfig.get("learning_rate");
    if (lr instanceof Map) {
      // a serialised Keras schedule: sparkeras-core evaluates it, as the API's optimizers do
      io.sparkeras.core.optim.schedules.LearningRateSchedule s;
      try {
        s = io.sparkeras.core.optim.schedules.Schedules.fromKerasConfig((Map<?, ?>) lr);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("optimizer.learning_rate: " + e.getMessage(), e);
      }
      require(learningRateSchedule == null, "optimizer.learning_rate",
          "a schedule in the optimizer config and learningRateSchedule(...) were both given");
      learningRateSchedule = s::learningRate;
      learningRate = s.learningRate(0);
    } else {
      require(lr == null || lr instanceof Number, "optimizer.learning_rate",
          "must be a number or a Keras schedule, found " + lr);
      learningRate = (float) (lr == null ? LEARNING_RATE_DEFAULT : ((Number) lr).doubleValue());
      require(learningRate > 0 && Float.isFinite(learningRate), "optimizer.learning_rate",
          "must be a positive number, found " + lr);
    }
    updateRule = UpdateRules.create(optimizerName, optimizerConfig);
  }

  /** The optimizer from {@link #optimizer(FlatOptimizer)}: parsed already, nothing to read. */
  private void concludeFromOptimizer() {
    updateRule = flatOptimizer.rule();
    optimizerName = updateRule.name();
    clipping = flatOptimizer.clipping();
    clipLimit = flatOptimizer.clipLimit();
    checkClipping(clippingKey(clipping));
    io.sparkeras.core.optim.schedules.LearningRateSchedule s = flatOptimizer.schedule();
    learningRate = s.learningRate(0);
    if (learningRateSchedule == null) {
      learningRateSchedule = s::learningRate;
    }
  }

  /**
   * Validates {@link #variableRanges(int[])} and derives the shard boundaries: without variable
   * ranges the vector is split as evenly as possible ({@link Protocol#shardOffset}); with them,
   * every boundary falls on a variable boundary and the split minimises the largest shard.
   */
  private void concludeVariableRanges() {
    if (variableRanges == null) {
      if (parameterCount >= 0) {
        shardBoundaries = new int[shards + 1];
        for (int i = 0; i <= shards; i++) {
          shardBoundaries[i] = i == shards ? parameterCount
              : Protocol.shardOffset(parameterCount, shards, i);
        }
      }
      return;
    }
    int[] r = variableRanges;
    require(r.length >= 2 && r.length % 2 == 0, "variableRanges",
        "expected one {from, to} pair per variable, found " + r.length + " numbers");
    require(parameterCount >= 0, "variableRanges",
        "needs parameterCount or initialParameters (not supported with restoreFrom alone)");
    int expectedFrom = 0;
    for (int k = 0; k < r.length; k += 2) {
      int v = k / 2;
      require(r[k] == expectedFrom, "variableRanges",
          "variable " + v + " must start at " + expectedFrom + " (ranges sorted, contiguous, from 0),"
              + " found [" + r[k] + ", " + r[k + 1] + ")");
      require(r[k + 1] > r[k], "variableRanges",
          "variable " + v + " is empty or reversed: [" + r[k] + ", " + r[k + 1] + ")");
      require(r[k + 1] <= parameterCount, "variableRanges",
          "variable " + v + " [" + r[k] + ", " + r[k + 1] + ") ends beyond parameterCount "
              + parameterCount);
      expectedFrom = r[k + 1];
    }
    require(expectedFrom == parameterCount, "variableRanges",
        "must cover [0, parameterCount = " + parameterCount + "), the last variable ends at "
            + expectedFrom);
    int variables = r.length / 2;
    require(variables >= shards, "variableRanges",
        "shard boundaries fall on variable boundaries, so shards (" + shards
            + ") must not exceed the number of variables (" + variables + ")");
    shardBoundaries = balancedBoundaries(r, shards);
  }

  /** Every constraint inside the vector, none overlapping another, each inside one shard. */
  private void concludeConstraints() {
    int prevTo = 0;
    List<RangeConstraint> sorted = new ArrayList<>(constraints);
    sorted.sort(java.util.Comparator.comparingInt(RangeConstraint::from));
    for (RangeConstraint c : sorted) {
      require(c.from() >= prevTo, "constraints", "constraint " + c + " overlaps the one before it");
      require(parameterCount < 0 || c.to() <= parameterCount, "constraints",
          "constraint " + c + " ends beyond parameterCount " + parameterCount);
      prevTo = c.to();
      if (parameterCount < 0) {
        continue;
      }
      boolean inOne = false;
      for (int s = 0; s < shards && !inOne; s++) {
        inOne = c.from() >= shardOffset(s) && c.to() <= shardOffset(s) + shardLength(s);
      }
      require(inOne, "constraints", "constraint " + c + " spans two shards (a weight's norm needs "
          + "all of it): give variableRanges(...) so that shard boundaries fall on variables");
    }
    constraints = List.copyOf(sorted);
  }

  /**
   * Splits the variables (contiguous pairs covering the vector) into {@code shards} non-empty
   * contiguous groups minimising the largest group (binary search on the bound, greedy packing).
   */
  static int[] balancedBoundaries(int[] ranges, int shards) {
    int variables = ranges.length / 2;
    long lo = 0;
    for (int k = 0; k < ranges.length; k += 2) {
      lo = Math.max(lo, ranges[k + 1] - ranges[k]);
    }
    long hi = ranges[ranges.length - 1];
    while (lo < hi) {
      long mid = (lo + hi) >>> 1;
      if (groupsNeeded(ranges, mid) <= shards) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    long bound = lo;
    int[] b = new int[shards + 1];
    int v = 0;
    for (int g = 0; g < shards; g++) {
      b[g] = ranges[2 * v];
      if (g == shards - 1) {
        v = variables;
        break;
      }
      long size = 0;
      // at least one variable; stop when the bound would be exceeded or the remaining shards
      // need one variable each
      do {
        size += ranges[2 * v + 1] - ranges[2 * v];
        v++;
      } while (v < variables && variables - v > shards - g - 1
          && size + (ranges[2 * v + 1] - ranges[2 * v]) <= bound);
    }
    b[shards] = ranges[ranges.length - 1];
    return b;
  }

  private static int groupsNeeded(int[] ranges, long bound) {
    int groups = 1;
    long size = 0;
    for (int k = 0; k < ranges.length; k += 2) {
      int len = ranges[k + 1] - ranges[k];
      if (size + len > bound) {
        groups++;
        size = 0;
      }
      size += len;
    }
    return groups;
  }

  /** Reads Keras's clipping keys (active when &gt; 0, at most one) and checks the mode allows them. */
  private void concludeClipping() {
    String active = null;
    for (String key : new String[] {"clipnorm", "clipvalue", "global_clipnorm"}) {
      Object v = optimizerConfig.get(key);
      if (v == null) {
        continue;
      }
      require(v instanceof Number, "optimizer." + key, "must be a number, found " + v);
      double d = ((Number) v).doubleValue();
      require(!Double.isNaN(d) && !Double.isInfinite(d), "optimizer." + key,
          "must be a finite number, found " + v);
      if (d <= 0) {
        continue; // Keras: unset
      }
      require(active == null, "optimizer." + key,
          "only one of clipnorm, clipvalue and global_clipnorm can be set (as in Keras), found "
              + active + " too");
      active = key;
      clipLimit = (float) d;
      clipping = key.equals("clipvalue") ? FlatOptimizer.Clipping.VALUE
          : key.equals("clipnorm") ? FlatOptimizer.Clipping.NORM
          : FlatOptimizer.Clipping.GLOBAL_NORM;
    }
    checkClipping(active);
  }

  private static String clippingKey(FlatOptimizer.Clipping c) {
    switch (c) {
      case VALUE: return "clipvalue";
      case NORM: return "clipnorm";
      case GLOBAL_NORM: return "global_clipnorm";
      default: return null;
    }
  }

  /** Checks that the mode and the shards allow the active clipping ({@code key}, null: none). */
  private void checkClipping(String key) {
    if (key == null) {
      return;
    }
    require(mode != TrainingMode.AVERAGING, "optimizer." + key,
        "gradient clipping needs gradients, but AVERAGING mode pushes weights; clip in the"
            + " workers' local optimizer instead");
    if (clipping == FlatOptimizer.Clipping.NORM) {
      require(shards == 1 || variableRanges != null, "optimizer.clipnorm",
          "clipnorm is per variable (Keras 3) and shards is " + shards + ": give"
              + " variableRanges(...) so that every variable lies inside one shard");
    } else if (clipping == FlatOptimizer.Clipping.GLOBAL_NORM) {
      // sync: the shards of this process exchange their sums of squares for each step
      // (GlobalNormExchange); async pushes reach the shards independently, so there is no
      // common gradient whose norm the shards could agree on
      require(shards == 1 || mode == TrainingMode.SYNC, "optimizer.global_clipnorm",
          "the global norm spans every shard; with shards > 1 (found " + shards
              + ") it is supported in SYNC mode only, found " + mode
              + " (use shards(1) or clip on the workers)");
      require(nodes == 1, "optimizer.global_clipnorm",
          "the shards exchange their sums of squares inside one process; with the shards"
              + " spread over " + nodes + " nodes use clipnorm or clipvalue, or nodes(1, 0)");
    }
  }

  /**
   * Checks Aeron transport settings (MTU, term length, socket buffer, receiver window), naming
   * the wrong one; a server node checks its own with it.
   */
  public static void validateTransport(int mtu, int termLength, int socketBuffer, int window) {
    require(mtu >= 1408 && mtu <= 65504 && mtu % 32 == 0, "mtuLength",
        "must be a multiple of 32 in [1408, 65504], found " + mtu);
    require(Integer.bitCount(termLength) == 1 && termLength >= 64 * 1024
        && termLength <= 1024 * 1024 * 1024, "termLength",
        "must be a power of two in [64 KiB, 1 GiB], found " + termLength);
    require(termLength / 8 >= mtu, "termLength", "max message (term/8) must hold one MTU");
    require(socketBuffer >= mtu && socketBuffer <= 64 * 1024 * 1024, "socketBufferLength",
        "must be in [mtu, 64 MiB], found " + socketBuffer);
    require(window >= mtu && window <= termLength / 2, "receiverWindowLength",
        "must be in [mtu, termLength / 2], found " + window);
  }

  static void require(boolean ok, String key, String message) {
    if (!ok) {
      throw new IllegalArgumentException("parameter server setting '" + key + "': " + message);
    }
  }

  private void checkMutable() {
    if (concluded) {
      throw new IllegalStateException("context already concluded");
    }
  }

  /** Address the shards listen on, {@code host:port}. */
  public ParameterServerContext bind(String hostPort) { checkMutable(); bind = hostPort; return this; }
  public String bind() { return bind; }

  /** First Aeron stream id; shard i uses {@code streamIdBase + i}. */
  public ParameterServerContext streamIdBase(int v) { checkMutable(); streamIdBase = v; return this; }
  public int streamIdBase() { return streamIdBase; }

  /** Number of shards S: the parameter vector is split into S contiguous ranges. */
  public ParameterServerContext shards(int v) { checkMutable(); shards = v; return this; }
  public int shards() { return shards; }

  /**
   * Spreads the job's {@link #shards()} over {@code count} server nodes (processes, usually on
   * their own hosts) and makes this server node {@code index}: it runs the shards
   * {@code [firstShard(), firstShard() + localShards())}, a contiguous, as-even-as-possible share
   * ({@link Protocol#firstShardOfNode}). Every node gets the same settings (the whole
   * parameter vector's count or initial values, shards, workers, optimizer, job) except its
   * index and bind address; clients list the nodes' addresses in node order
   * ({@code ParameterServerClient.Context.servers}). Default: one node.
   *
   * <pre>{@code
   * ctx.shards(8).nodes(4, 2).bind("10.0.0.7:40123");   // this process runs shards 4 and 5
   * }</pre>
   */
  public ParameterServerContext nodes(int count, int index) {
    checkMutable();
    nodes = count;
    node = index;
    return this;
  }

  /** Number of server nodes the shards are spread over. */
  public int nodes() { return nodes; }

  /** This server's node index. */
  public int node() { return node; }

  /** Global index of the first shard this node runs, after {@link #conclude()}. */
  public int firstShard() { return Protocol.firstShardOfNode(shards, nodes, node); }

  /** Number of shards this node runs, after {@link #conclude()}. */
  public int localShards() { return Protocol.firstShardOfNode(shards, nodes, node + 1) - firstShard(); }

  /** Length of the flat float parameter vector (zeros unless {@link #initialParameters}). */
  public ParameterServerContext parameterCount(int v) { checkMutable(); parameterCount = v; return this; }
  public int parameterCount() { return parameterCount; }

  /** Initial parameters, copied at launch from {@code position()} to {@code limit()}. */
  public ParameterServerContext initialParameters(FloatBuffer v) { checkMutable(); initialParameters = v; return this; }
  public FloatBuffer initialParameters() { return initialParameters; }

  /** Number of workers (Spark partitions) N of the job; a sync step waits for all N. */
  public ParameterServerContext workers(int v) { checkMutable(); workers = v; return this; }
  public int workers() { return workers; }

  /** Synchronisation mode of the job. */
  public ParameterServerContext mode(TrainingMode v) { checkMutable(); mode = v; return this; }
  public TrainingMode mode() { return mode; }

  /** Staleness bound s of {@link TrainingMode#ASYNC}. */
  public ParameterServerContext staleness(int v) { checkMutable(); staleness = v; return this; }
  public int staleness() { return staleness; }

  /**
   * Optimizer applied on the shards: a name registered in {@code UpdateRules} and the numbers of
   * the Keras optimizer config ({@code learning_rate}, {@code beta_1}, {@code amsgrad}, ...): numbers
   * and booleans only, so the config stays engine-free.
   */
  public ParameterServerContext optimizer(String name, Map<String, ?> config) {
    checkMutable();
    flatOptimizer = null;
    optimizerName = name;
    optimizerConfig = new LinkedHashMap<>();
    config.forEach((k, v) -> {
      if (v instanceof Number) {
        optimizerConfig.put(k, ((Number) v).doubleValue());
      } else if (v instanceof Boolean) {
        optimizerConfig.put(k, v);
      } else {
        throw new IllegalArgumentException("parameter server setting 'optimizer." + k
            + "': expected a number or a boolean, found " + v);
      }
    });
    return this;
  }

  /**
   * Optimizer applied on the shards, already parsed: the update rule, the learning rate (a
   * constant or a schedule, evaluated at the shard's version) and the gradient clipping of
   * {@code optimizer}, whose own state is not used (every shard keeps its own). What a driver
   * that holds a built optimizer passes instead of {@link #optimizer(String, Map)}, so that
   * nothing is turned into a config map and parsed back; {@link #learningRateSchedule} still
   * overrides the rate.
   *
   * <pre>{@code
   * ctx.optimizer(model.getOptimizer().flatOptimizer());
   * }</pre>
   */
  public ParameterServerContext optimizer(FlatOptimizer optimizer) {
    checkMutable();
    flatOptimizer = java.util.Objects.requireNonNull(optimizer, "optimizer");
    optimizerName = optimizer.rule().name();
    optimizerConfig = new LinkedHashMap<>();
    return this;
  }

  public String optimizerName() { return optimizerName; }
  public Map<String, Object> optimizerConfig() { return optimizerConfig; }

  /** Identifier of the training job; clients of another job are rejected. */
  public ParameterServerContext jobId(long v) { checkMutable(); jobId = v; return this; }
  public long jobId() { return jobId; }

  /** Per-job secret (>= 16 bytes) clients must prove by HMAC before any message is applied. */
  public ParameterServerContext jobSecret(byte[] v) { checkMutable(); jobSecret = v.clone(); return this; }
  public byte[] jobSecret() { return jobSecret.clone(); }

  /** How long a sync step, averaging round or a parked pull may wait before the job fails. */
  public ParameterServerContext syncTimeout(long value, TimeUnit unit) { checkMutable(); syncTimeoutNs = unit.toNanos(value); return this; }
  public long syncTimeoutNs() { return syncTimeoutNs; }

  /** Wire encoding of floats for the job. */
  public ParameterServerContext compression(Compression v) { checkMutable(); compression = v; return this; }
  public Compression compression() { return compression; }

  /** Threshold tau of {@link Compression#THRESHOLD}. */
  public ParameterServerContext threshold(float v) { checkMutable(); threshold = v; return this; }
  public float threshold() { return threshold; }

  /** MTU of every channel, a multiple of 32 in [1408, 65504]. */
  public ParameterServerContext mtuLength(int v) { checkMutable(); mtuLength = v; return this; }
  public int mtuLength() { return mtuLength; }

  /** Term length of every publication, a power of two. */
  public ParameterServerContext termLength(int v) { checkMutable(); termLength = v; return this; }
  public int termLength() { return termLength; }

  /** SO_SNDBUF and SO_RCVBUF of every UDP socket. */
  public ParameterServerContext socketBufferLength(int v) { checkMutable(); socketBufferLength = v; return this; }
  public int socketBufferLength() { return socketBufferLength; }

  /** Flow-control window of every subscription. */
  public ParameterServerContext receiverWindowLength(int v) { checkMutable(); receiverWindowLength = v; return this; }
  public int receiverWindowLength() { return receiverWindowLength; }

  /** Launch an embedded media driver (default) or connect to one at {@link #aeronDirectoryName}. */
  public ParameterServerContext launchEmbeddedDriver(boolean v) { checkMutable(); launchEmbeddedDriver = v; return this; }
  public boolean launchEmbeddedDriver() { return launchEmbeddedDriver; }

  /** Give the embedded driver's sender and receiver their own threads (more cores, more throughput). */
  public ParameterServerContext dedicatedDriverThreads(boolean v) { checkMutable(); dedicatedDriverThreads = v; return this; }
  public boolean dedicatedDriverThreads() { return dedicatedDriverThreads; }

  /**
   * Also listen on the shared-memory channel ({@code aeron:ipc}) for clients that use this
   * server's media driver (same host; see {@code ParameterServerClient.Context.ipc}). Default on.
   */
  public ParameterServerContext ipc(boolean v) { checkMutable(); ipc = v; return this; }
  public boolean ipc() { return ipc; }

  /** Media driver directory; default a fresh per-process one under /dev/shm. */
  public ParameterServerContext aeronDirectoryName(String v) { checkMutable(); aeronDirectoryName = v; return this; }
  public String aeronDirectoryName() { return aeronDirectoryName; }

  /** Parent of the generated driver directory (default /dev/shm, else java.io.tmpdir). */
  public ParameterServerContext driverDirectoryParent(String v) { checkMutable(); driverDirectoryParent = v; return this; }

  /** Idle strategy of each shard agent. */
  public ParameterServerContext idleStrategySupplier(Supplier<IdleStrategy> v) { checkMutable(); idleStrategySupplier = v; return this; }
  public Supplier<IdleStrategy> idleStrategySupplier() { return idleStrategySupplier; }

  /**
   * Learning rate per step, replacing the constant {@code learning_rate} of the optimizer config
   * (default: none, the constant is used). {@code iterations} is the shard's version.
   */
  public ParameterServerContext learningRateSchedule(LearningRateSchedule v) { checkMutable(); learningRateSchedule = v; return this; }
  public LearningRateSchedule learningRateSchedule() { return learningRateSchedule; }

  /**
   * Checkpoint (Hadoop path URI) to resume from instead of initial parameters; or several,
   * comma-separated, that hold consecutive shards (a node's {@link #stepCheckpoints} files).
   */
  public ParameterServerContext restoreFrom(String v) { checkMutable(); restoreFrom = v; return this; }
  public String restoreFrom() { return restoreFrom; }

  /**
   * A directory (Hadoop path) where every shard writes its state after every sync step, so that
   * a node killed at any moment loses at most the step in progress (see
   * {@code server.StepCheckpoints}); null (the default) for none. Costs a write of the shard's
   * parameters and optimizer state per step on the shard's thread.
   */
  public ParameterServerContext stepCheckpoints(String dir) { checkMutable(); stepCheckpoints = dir; return this; }
  public String stepCheckpoints() { return stepCheckpoints; }

  /** Bound on unauthenticated handshakes in progress per shard. */
  public ParameterServerContext maxPendingHandshakes(int v) { checkMutable(); maxPendingHandshakes = v; return this; }
  public int maxPendingHandshakes() { return maxPendingHandshakes; }

  /** Bound on authenticated sessions per shard. */
  public ParameterServerContext maxSessions(int v) { checkMutable(); maxSessions = v; return this; }
  public int maxSessions() { return maxSessions; }

  /**
   * The trainable variables of the flat vector, in order: {@code {from0, to0, from1, to1, ...}},
   * one {@code [from, to)} pair per variable (Keras weight order). Used by {@code clipnorm}, which
   * Keras 3 applies to each variable separately. Must be sorted, contiguous and cover
   * {@code [0, parameterCount)} exactly (every float of the vector is updated by the shards), each
   * pair non-empty. When given, shard boundaries fall on variable boundaries (so every variable's
   * norm is computed inside one shard): the variables are grouped into {@code shards} contiguous
   * non-empty groups minimising the largest shard, so shards must not exceed the number of
   * variables. Default (null): the whole vector is one variable and shards are split evenly.
   */
  public ParameterServerContext variableRanges(int[] fromToPairs) {
    checkMutable();
    variableRanges = fromToPairs == null ? null : fromToPairs.clone();
    return this;
  }
  public int[] variableRanges() { return variableRanges == null ? null : variableRanges.clone(); }

  /**
   * Keras weight constraints ({@code max_norm}, {@code min_max_norm}, {@code non_neg},
   * {@code unit_norm}) on ranges of the vector, applied by the shards after every update (sync,
   * async) or every averaging round, as Keras's optimizer applies them after each step. The
   * server knows nothing of layers: each is a range, its shape and the Keras name and config.
   * With several shards every constrained range must lie inside one shard (give
   * {@link #variableRanges(int[])}).
   *
   * <pre>{@code
   * ctx.variableRanges(ranges).constraints(List.of(RangeConstraint.parse("0:784x128:max_norm:max_value=2")));
   * }</pre>
   */
  public ParameterServerContext constraints(List<RangeConstraint> constraints) {
    checkMutable();
    this.constraints = List.copyOf(constraints);
    return this;
  }
  public List<RangeConstraint> constraints() { return constraints; }

  /** The constraints inside shard {@code shard}, shard-local; after {@link #conclude()}. */
  public List<RangeConstraint> localConstraints(int shard) {
    int from = shardOffset(shard);
    int to = from + shardLength(shard);
    List<RangeConstraint> local = new ArrayList<>();
    for (RangeConstraint c : constraints) {
      if (c.from() >= from && c.to() <= to) {
        local.add(c.shifted(from));
      }
    }
    return local;
  }

  /** First float of shard {@code shard} ({@code shard == shards()} gives parameterCount); after {@link #conclude()}. */
  public int shardOffset(int shard) {
    return shardBoundaries != null ? shardBoundaries[shard]
        : Protocol.shardOffset(parameterCount, shards, shard);
  }

  /** Length of shard {@code shard}, after {@link #conclude()}. */
  public int shardLength(int shard) {
    return shard == shards - 1 && shardBoundaries == null
        ? Protocol.shardLength(parameterCount, shards, shard)
        : shardOffset(shard + 1) - shardOffset(shard);
  }

  /**
   * The variable ranges inside shard {@code shard}, shard-local ({@code 0} = the shard's first
   * float); the whole shard as one range without {@link #variableRanges(int[])}.
   */
  public int[] localVariableRanges(int shard) {
    int from = shardOffset(shard);
    int to = from + shardLength(shard);
    if (variableRanges == null) {
      return new int[] {0, to - from};
    }
    int n = 0;
    for (int k = 0; k < variableRanges.length; k += 2) {
      if (variableRanges[k] >= from && variableRanges[k + 1] <= to) {
        n += 2;
      }
    }
    int[] local = new int[n];
    n = 0;
    for (int k = 0; k < variableRanges.length; k += 2) {
      if (variableRanges[k] >= from && variableRanges[k + 1] <= to) {
        local[n++] = variableRanges[k] - from;
        local[n++] = variableRanges[k + 1] - from;
      }
    }
    return local;
  }

  /** Active gradient clipping (Keras's clipnorm / clipvalue / global_clipnorm), set by {@link #conclude()}. */
  public FlatOptimizer.Clipping clipping() { return clipping; }

  /** Its limit, 0 when none; set by {@link #conclude()}. */
  public float clipLimit() { return clipLimit; }

  /** Floats per chunk, derived from the MTU by {@link #conclude()}. */
  public int chunkFloats() { return chunkFloats; }

  /** The optimizer, built by {@link #conclude()}. */
  public UpdateRule updateRule() { return updateRule; }

  /** Learning rate from the optimizer config, set by {@link #conclude()}. */
  public float learningRate() { return learningRate; }

  void parameterCountFromCheckpoint(int count) {
    parameterCount = count;
  }
}
