package io.sparkeras.ps;

import io.sparkeras.core.optim.UpdateRule;
import io.sparkeras.core.optim.UpdateRules;
import io.sparkeras.ps.protocol.HmacAuth;
import io.sparkeras.ps.protocol.MediaDrivers;
import io.sparkeras.ps.protocol.Protocol;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
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
  /** Default number of workers (partitions) of the job. */
  public static final int WORKERS_DEFAULT = 1;
  /** Default staleness bound of {@link TrainingMode#ASYNC}. */
  public static final int STALENESS_DEFAULT = 0;
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
  private String aeronDirectoryName;
  private String driverDirectoryParent;
  private Supplier<IdleStrategy> idleStrategySupplier =
      () -> new BackoffIdleStrategy(100, 10, 1_000, 100_000);
  private String restoreFrom;
  private LearningRateSchedule learningRateSchedule;
  private int maxPendingHandshakes = MAX_PENDING_HANDSHAKES_DEFAULT;
  private int maxSessions = MAX_SESSIONS_DEFAULT;
  private int chunkFloats;
  private UpdateRule updateRule;
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
    validateTransport(mtuLength, termLength, socketBufferLength, receiverWindowLength);
    require(maxPendingHandshakes >= 1, "maxPendingHandshakes", "must be >= 1");
    require(maxSessions >= 1, "maxSessions", "must be >= 1");
    for (String clip : new String[] {"clipnorm", "clipvalue", "global_clipnorm"}) {
      Object v = optimizerConfig.get(clip);
      require(v == null || (v instanceof Number && ((Number) v).doubleValue() <= 0),
          "optimizer." + clip, "gradient clipping is not applied on parameter-server shards yet;"
              + " clip on the workers before pushing, found " + v);
    }
    updateRule = UpdateRules.create(optimizerName, optimizerConfig);
    Object lr = optimizerConfig.get("learning_rate");
    require(lr == null || lr instanceof Number, "optimizer.learning_rate", "must be a number");
    learningRate = (float) (lr == null ? LEARNING_RATE_DEFAULT : ((Number) lr).doubleValue());
    require(learningRate > 0 && Float.isFinite(learningRate), "optimizer.learning_rate",
        "must be a positive number, found " + lr);
    chunkFloats = Protocol.chunkFloats(mtuLength);
    if (launchEmbeddedDriver && aeronDirectoryName == null) {
      aeronDirectoryName = MediaDrivers.newDirectoryName(driverDirectoryParent, "sparkeras-ps");
    }
    require(aeronDirectoryName != null, "aeronDirectoryName",
        "required when no embedded driver is launched");
    concluded = true;
    return this;
  }

  static void validateTransport(int mtu, int termLength, int socketBuffer, int window) {
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

  /** Checkpoint (Hadoop path URI) to resume from instead of initial parameters. */
  public ParameterServerContext restoreFrom(String v) { checkMutable(); restoreFrom = v; return this; }
  public String restoreFrom() { return restoreFrom; }

  /** Bound on unauthenticated handshakes in progress per shard. */
  public ParameterServerContext maxPendingHandshakes(int v) { checkMutable(); maxPendingHandshakes = v; return this; }
  public int maxPendingHandshakes() { return maxPendingHandshakes; }

  /** Bound on authenticated sessions per shard. */
  public ParameterServerContext maxSessions(int v) { checkMutable(); maxSessions = v; return this; }
  public int maxSessions() { return maxSessions; }

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
