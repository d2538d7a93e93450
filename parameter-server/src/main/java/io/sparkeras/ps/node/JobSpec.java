package io.sparkeras.ps.node;

import io.sparkeras.core.constraints.RangeConstraint;
import io.sparkeras.core.optim.FlatOptimizer;
import io.sparkeras.core.optim.schedules.LearningRateSchedule;
import io.sparkeras.core.optim.schedules.Schedules;
import io.sparkeras.ps.Compression;
import io.sparkeras.ps.ParameterServerContext;
import io.sparkeras.ps.TrainingMode;
import io.sparkeras.ps.protocol.WireFields;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The settings of one job as a driver hands them to a server node over the admin protocol
 * (the body of an {@code INIT} request): what the embedded server gets from the driver, as
 * values instead of objects. The optimizer is its Keras name and {@code get_config()} (the
 * node builds it with {@link FlatOptimizer#fromKerasConfig}, as the driver's optimizer was
 * built), the constraints their text form, the initial weights follow in chunks (or
 * {@link #restoreFrom} names a checkpoint).
 *
 * <pre>{@code
 * JobSpec spec = new JobSpec().parameterCount(n).shards(4).nodes(2, 1).workers(8)
 *     .mode(TrainingMode.SYNC, 2).optimizer("adam", optimizer.getConfig())
 *     .variableRanges(ranges).constraints(model.constraintRanges());
 * }</pre>
 */
public final class JobSpec {
  private int parameterCount = -1;
  private int shards = 1;
  private int nodes = 1;
  private int node;
  private int workers = 1;
  private TrainingMode mode = TrainingMode.SYNC;
  private int staleness;
  private long syncTimeoutMs = 60_000;
  private Compression compression = Compression.NONE;
  private float threshold = 1e-3f;
  private int mtuLength = ParameterServerContext.MTU_LENGTH_DEFAULT;
  private int termLength = ParameterServerContext.TERM_LENGTH_DEFAULT;
  private int socketBufferLength = ParameterServerContext.SOCKET_BUFFER_DEFAULT;
  private int receiverWindowLength = ParameterServerContext.RECEIVER_WINDOW_DEFAULT;
  private String optimizerName = "adam";
  private Map<String, Object> optimizerConfig = new LinkedHashMap<>();
  private int[] variableRanges;
  private List<String> constraints = new ArrayList<>();
  private String restoreFrom;
  private String stepCheckpoints;

  /** Floats of the whole vector (checked against a restored checkpoint's, when restoring). */
  public JobSpec parameterCount(int v) { parameterCount = v; return this; }
  public int parameterCount() { return parameterCount; }
  /** Shards of the whole job (all nodes together). */
  public JobSpec shards(int v) { shards = v; return this; }
  public int shards() { return shards; }
  /** The job's shards are spread over {@code count} nodes; this request's node is {@code index}. */
  public JobSpec nodes(int count, int index) { nodes = count; node = index; return this; }
  public int nodes() { return nodes; }
  public int node() { return node; }
  public JobSpec workers(int v) { workers = v; return this; }
  public int workers() { return workers; }
  /** Training mode and its staleness bound (async). */
  public JobSpec mode(TrainingMode m, int s) { mode = Objects.requireNonNull(m, "mode"); staleness = s; return this; }
  public TrainingMode mode() { return mode; }
  public int staleness() { return staleness; }
  public JobSpec syncTimeoutMs(long v) { syncTimeoutMs = v; return this; }
  public long syncTimeoutMs() { return syncTimeoutMs; }
  public JobSpec compression(Compression c, float t) { compression = Objects.requireNonNull(c, "compression"); threshold = t; return this; }
  /** The Aeron channel settings of the job's streams (as the workers use them). */
  public JobSpec channel(int mtu, int term, int socketBuffer, int window) {
    mtuLength = mtu;
    termLength = term;
    socketBufferLength = socketBuffer;
    receiverWindowLength = window;
    return this;
  }
  public int socketBufferLength() { return socketBufferLength; }
  /** A Keras optimizer: its name ({@code UpdateRules}) and {@code get_config()}. */
  public JobSpec optimizer(String name, Map<String, ?> config) {
    optimizerName = Objects.requireNonNull(name, "optimizer name");
    optimizerConfig = new LinkedHashMap<>(config);
    return this;
  }
  public String optimizerName() { return optimizerName; }
  /** {@code {from0, to0, ...}}, one pair per variable (see {@link ParameterServerContext#variableRanges}); null for none. */
  public JobSpec variableRanges(int[] v) { variableRanges = v == null ? null : v.clone(); return this; }
  /** Keras weight constraints applied by the shards. */
  public JobSpec constraints(List<RangeConstraint> v) {
    constraints = new ArrayList<>();
    v.forEach(c -> constraints.add(c.toString()));
    return this;
  }
  /** Resume from this checkpoint (a Hadoop path the node can read) instead of initial weights. */
  public JobSpec restoreFrom(String uri) { restoreFrom = uri; return this; }
  public String restoreFrom() { return restoreFrom; }
  /** Write every shard's state after every step under this directory (see {@link ParameterServerContext#stepCheckpoints}). */
  public JobSpec stepCheckpoints(String dir) { stepCheckpoints = dir; return this; }

  /** The request body: these settings and the sealed job secret. */
  byte[] encode(byte[] sealedSecret) {
    return new WireFields.Writer().putInt(parameterCount).putInt(shards).putInt(nodes)
        .putInt(node).putInt(workers).putInt(mode.ordinal()).putInt(staleness)
        .putLong(syncTimeoutMs).putInt(compression.ordinal()).putFloat(threshold)
        .putInt(mtuLength).putInt(termLength).putInt(socketBufferLength)
        .putInt(receiverWindowLength).putString(optimizerName).putConfig(optimizerConfig)
        .putInts(variableRanges).putString(String.join(";", constraints))
        .putString(restoreFrom).putString(stepCheckpoints).putBytes(sealedSecret).toBytes();
  }

  /** The settings of a request body; {@code sealed[0]} receives the sealed job secret. */
  static JobSpec decode(byte[] body, byte[][] sealed) {
    WireFields.Reader r = new WireFields.Reader(body);
    JobSpec s = new JobSpec();
    s.parameterCount = r.getInt("parameterCount");
    s.shards = r.getInt("shards");
    s.nodes = r.getInt("nodes");
    s.node = r.getInt("node");
    s.workers = r.getInt("workers");
    s.mode = ordinal(TrainingMode.values(), r.getInt("mode"), "mode");
    s.staleness = r.getInt("staleness");
    s.syncTimeoutMs = r.getLong("syncTimeoutMs");
    s.compression = ordinal(Compression.values(), r.getInt("compression"), "compression");
    s.threshold = r.getFloat("threshold");
    s.mtuLength = r.getInt("mtuLength");
    s.termLength = r.getInt("termLength");
    s.socketBufferLength = r.getInt("socketBufferLength");
    s.receiverWindowLength = r.getInt("receiverWindowLength");
    s.optimizerName = r.getString("optimizer");
    Map<String, Object> config = r.getConfig("optimizer config");
    s.optimizerConfig = config == null ? new LinkedHashMap<>() : config;
    s.variableRanges = r.getInts("variableRanges");
    String constraintText = r.getString("constraints");
    s.constraints = new ArrayList<>();
    if (constraintText != null && !constraintText.isEmpty()) {
      s.constraints.addAll(List.of(constraintText.split(";")));
    }
    s.restoreFrom = r.getString("restoreFrom");
    s.stepCheckpoints = r.getString("stepCheckpoints");
    sealed[0] = r.getBytes("jobSecret");
    r.end("job settings");
    if (s.optimizerName == null) {
      throw new IllegalArgumentException("optimizer: a name is required");
    }
    return s;
  }

  private static <E> E ordinal(E[] values, int i, String field) {
    if (i < 0 || i >= values.length) {
      throw new IllegalArgumentException(field + ": unknown value " + i);
    }
    return values[i];
  }

  /**
   * The server's context for this job on a node: its own bind address and media driver, the
   * job's id and secret, a learning rate read through {@code rate} (which the driver may replace
   * between epochs), and either {@code initial} weights or the checkpoint to restore. Throws
   * {@link IllegalArgumentException} naming the setting for anything invalid.
   */
  ParameterServerContext context(String bind, String aeronDirectory, long jobId, byte[] secret,
      AtomicReference<LearningRateSchedule> rate, FloatBuffer initial) {
    int size = parameterCount;
    if (size < 1 && restoreFrom == null) {
      throw new IllegalArgumentException("parameterCount: must be positive, found " + size);
    }
    FlatOptimizer optimizer;
    try {
      optimizer = FlatOptimizer.fromKerasConfig(optimizerName, optimizerConfig,
          Math.max(size, 1), null);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("optimizer " + optimizerName + ": " + e.getMessage(), e);
    }
    if (rate.get() == null) {
      rate.set(optimizer.schedule());
    }
    List<RangeConstraint> parsed = new ArrayList<>();
    for (String c : constraints) {
      parsed.add(RangeConstraint.parse(c));
    }
    ParameterServerContext ctx = new ParameterServerContext()
        .bind(bind).shards(shards).nodes(nodes, node).workers(workers).mode(mode)
        .staleness(staleness).optimizer(optimizer)
        .learningRateSchedule(it -> rate.get().learningRate(it))
        .jobId(jobId).jobSecret(secret)
        .syncTimeout(syncTimeoutMs, TimeUnit.MILLISECONDS)
        .compression(compression).threshold(threshold)
        .mtuLength(mtuLength).termLength(termLength).socketBufferLength(socketBufferLength)
        .receiverWindowLength(receiverWindowLength)
        .launchEmbeddedDriver(false).aeronDirectoryName(aeronDirectory)
        .constraints(parsed).stepCheckpoints(stepCheckpoints);
    if (variableRanges != null) {
      ctx.variableRanges(variableRanges);
    }
    if (restoreFrom != null) {
      ctx.restoreFrom(restoreFrom);
    } else if (initial != null) {
      ctx.initialParameters(initial);
    } else {
      ctx.parameterCount(size);
    }
    return ctx;
  }

  /** A schedule as a LEARNING_RATE request carries it: its Keras class name and config. */
  static byte[] encodeSchedule(LearningRateSchedule s) {
    return new WireFields.Writer().putString(s.className()).putConfig(s.config()).toBytes();
  }

  /** The schedule of a LEARNING_RATE request. */
  static LearningRateSchedule decodeSchedule(byte[] body) {
    WireFields.Reader r = new WireFields.Reader(body);
    String cls = r.getString("schedule class");
    Map<String, Object> config = r.getConfig("schedule config");
    r.end("schedule");
    if (config == null) {
      throw new IllegalArgumentException("schedule config: required");
    }
    if ("Constant".equals(cls)) {
      Object lr = config.get("learning_rate");
      if (!(lr instanceof Double) || !((Double) lr > 0) || ((Double) lr).isInfinite()) {
        throw new IllegalArgumentException("schedule Constant: learning_rate must be a positive"
            + " number, found " + lr);
      }
      return Schedules.constant((Double) lr);
    }
    return Schedules.create(cls, config);
  }
}
