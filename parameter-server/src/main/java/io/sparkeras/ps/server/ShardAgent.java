package io.sparkeras.ps.server;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.BufferClaim;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.logbuffer.Header;
import io.sparkeras.core.optim.FlatMath;
import io.sparkeras.core.constraints.FlatConstraint;
import io.sparkeras.core.constraints.RangeConstraint;
import io.sparkeras.core.optim.FlatOptimizer;
import io.sparkeras.core.optim.GradientClipping;
import io.sparkeras.core.optim.UpdateRule;
import io.sparkeras.core.optim.UpdateRules;
import io.sparkeras.ps.Compression;
import io.sparkeras.ps.ParameterServerContext;
import io.sparkeras.ps.TrainingMode;
import io.sparkeras.ps.codecs.AckStatus;
import io.sparkeras.ps.codecs.AuthDecoder;
import io.sparkeras.ps.codecs.ByeDecoder;
import io.sparkeras.ps.codecs.ChallengeEncoder;
import io.sparkeras.ps.codecs.Encoding;
import io.sparkeras.ps.codecs.ErrorCode;
import io.sparkeras.ps.codecs.ErrorEncoder;
import io.sparkeras.ps.codecs.HeartbeatDecoder;
import io.sparkeras.ps.codecs.HelloDecoder;
import io.sparkeras.ps.codecs.MessageHeaderDecoder;
import io.sparkeras.ps.codecs.MessageHeaderEncoder;
import io.sparkeras.ps.codecs.MetricsEncoder;
import io.sparkeras.ps.codecs.ParamsChunkEncoder;
import io.sparkeras.ps.codecs.PullDecoder;
import io.sparkeras.ps.codecs.PushAckEncoder;
import io.sparkeras.ps.codecs.PushDecoder;
import io.sparkeras.ps.codecs.PushKind;
import io.sparkeras.ps.codecs.StepCompleteEncoder;
import io.sparkeras.ps.codecs.WelcomeEncoder;
import io.sparkeras.ps.protocol.HalfFloats;
import io.sparkeras.ps.protocol.HmacAuth;
import io.sparkeras.ps.protocol.Protocol;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableRingBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One shard of the parameter server: the only owner of its parameter range, its optimizer state
 * and its step counter. Runs on its own {@link org.agrona.concurrent.AgentRunner}; other threads
 * talk to it only through {@link #submit(Runnable)} and read its counters.
 *
 * <p>Every received fragment is validated (schema, template, block length, var-data lengths,
 * shard id, partition, chunk index and count, encoding, payload size) before any field is used;
 * anything that fails is dropped and counted ({@link ShardCounter}), and the shard's state is
 * untouched. Nothing is allocated per message on the push/pull path.
 */
public final class ShardAgent implements Agent {
  private static final int FRAGMENT_LIMIT = 64;
  private static final int CHUNKS_PER_SESSION_PER_CYCLE = 64;
  private static final int OUTBOX_MAX_BYTES = 1024 * 1024;
  private static final long HOUSEKEEPING_INTERVAL_NS = 5_000_000L;
  private static final long IMAGE_CHECK_INTERVAL_NS = 1_000_000_000L;
  private static final int MAX_ENDPOINT_LENGTH = 260;
  private static final int SCHEMA_ID = MessageHeaderDecoder.SCHEMA_ID;

  private final int shardId;
  private final int shardCount;
  private final int offset;
  private final int length;
  private final int totalLength;
  private final int chunkFloats;
  private final int chunkCount;
  private final int workers;
  private final int staleness;
  private final long jobId;
  private final long timeoutNs;
  private final TrainingMode mode;
  private final Encoding jobEncoding;
  private final Encoding pullEncoding;
  private final float threshold;
  private final UpdateRule rule;
  /** Keras gradient clipping applied to each (averaged) gradient before the update. */
  private final FlatOptimizer.Clipping clipping;
  /** Keras weight constraints on ranges of this shard, applied after every update. */
  private final FlatConstraint[] constraints;
  private final int[] constraintFrom;
  private final float clipLimit;
  /** This shard's variables, shard-local {from, to} pairs (whole shard when none were given). */
  private final int[] localVariables;
  /** global_clipnorm over several shards: where the shards meet (null otherwise). */
  private final GlobalNormExchange normExchange;
  private final ParameterServerContext context;
  private final StepCheckpoints stepCheckpoints;
  private final double[] variableSums;
  /** Sync step complete here, waiting for the other shards' sums of squares to clip and apply. */
  private boolean awaitingNorm;
  private final float learningRate;
  private final io.sparkeras.ps.LearningRateSchedule schedule;
  private float applyLearningRate;
  private final int mtu;
  private final int termLength;
  private final int socketBuffer;
  private final int receiverWindow;
  private final int maxPendingHandshakes;
  private final int maxSessions;

  private final Aeron aeron;
  private final Subscription subscription;
  /** The shared-memory subscription for clients on the server's own media driver, or null. */
  private final Subscription ipcSubscription;
  /** True while {@link #ipcSubscription} is polled: Hellos from it may ask for IPC replies. */
  private boolean pollingIpc;
  /** Live progress (shard 0): see {@link #trainingLoss()}; written by the agent thread only. */
  private volatile double lossSum;
  private volatile long lossSamples;
  private volatile long lossSeq;
  private final HmacAuth auth;
  private final SecureRandom random = new SecureRandom();
  private final AtomicLongArray counters = new AtomicLongArray(ShardCounter.values().length);
  private final ManyToOneConcurrentArrayQueue<Runnable> commands = new ManyToOneConcurrentArrayQueue<>(64);
  private final Consumer<Runnable> runCommand = Runnable::run;

  // State owned by this agent only.
  private final UnsafeBuffer paramsView;
  private final FloatBuffer params;
  private final FloatBuffer[] state;
  private long version;
  private final FloatBuffer sum;
  private final UnsafeBuffer sumView;
  /** One chunk's float32 payload, copied out of the log buffer before it is added to the sum. */
  private final FloatBuffer incoming;
  private final UnsafeBuffer incomingView;
  private final UnsafeBuffer[] stagingViews;
  private final int[] chunkContributions;
  /** With three or more workers: adds the pushes in partition order (null otherwise). */
  private final OrderedSum order;
  private final long[][] chunkBits;
  private final int[] chunksReceived;
  private final boolean[] partitionDone;
  private int partitionsDone;
  private boolean stepStarted;
  private long stepStartNs;
  private final FloatBuffer[] staging;
  private final long[] clocks;
  private volatile String failure;
  /** The pending sync step's sum was already divided by N (clipping needed the mean up front). */
  private boolean sumAveraged;
  private boolean applyPending;
  private int appliedChunks;
  private ErrorCode failureCode;

  private final Int2ObjectHashMap<Session> sessions = new Int2ObjectHashMap<>();
  private final ArrayList<Session> sessionList = new ArrayList<>();
  private int pendingHandshakes;
  private long nextHousekeepingNs;
  private long nextImageCheckNs;

  private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
  private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
  private final HelloDecoder helloDecoder = new HelloDecoder();
  private final AuthDecoder authDecoder = new AuthDecoder();
  private final PushDecoder pushDecoder = new PushDecoder();
  private final PullDecoder pullDecoder = new PullDecoder();
  private final HeartbeatDecoder heartbeatDecoder = new HeartbeatDecoder();
  private final ByeDecoder byeDecoder = new ByeDecoder();
  private final ChallengeEncoder challengeEncoder = new ChallengeEncoder();
  private final WelcomeEncoder welcomeEncoder = new WelcomeEncoder();
  private final PushAckEncoder ackEncoder = new PushAckEncoder();
  private final ParamsChunkEncoder chunkEncoder = new ParamsChunkEncoder();
  private final StepCompleteEncoder stepCompleteEncoder = new StepCompleteEncoder();
  private final ErrorEncoder errorEncoder = new ErrorEncoder();
  private final MetricsEncoder metricsEncoder = new MetricsEncoder();
  private final UnsafeBuffer sendBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
  private final BufferClaim claim = new BufferClaim();
  private final byte[] macScratch = new byte[HmacAuth.MAC_LENGTH];
  private final byte[] endpointScratch = new byte[MAX_ENDPOINT_LENGTH];
  private final FragmentHandler fragmentHandler = this::onFragment;
  private ExclusivePublication outboxPublication;
  private final ExpandableRingBuffer.MessageConsumer outboxConsumer =
      (buffer, off, len, headOffset) -> outboxPublication.offer(buffer, off, len) > 0;

  /**
   * @param ctx concluded server settings
   * @param shardId this shard's index
   * @param aeron connection to the server's media driver
   * @param initial initial values of this shard's range ({@code remaining() == length}), or null
   * @param restored state to resume from, or null
   */
  public ShardAgent(ParameterServerContext ctx, int shardId, Aeron aeron, FloatBuffer initial,
      ShardSnapshot restored) {
    this(ctx, shardId, aeron, initial, restored, null);
  }

  /**
   * @param normExchange shared by all shards of the server for {@code global_clipnorm} over
   *     several shards (sync mode), else null
   */
  public ShardAgent(ParameterServerContext ctx, int shardId, Aeron aeron, FloatBuffer initial,
      ShardSnapshot restored, GlobalNormExchange normExchange) {
    this.shardId = shardId;
    this.context = ctx;
    this.stepCheckpoints = ctx.stepCheckpoints() == null ? null
        : new StepCheckpoints(ctx.stepCheckpoints(), shardId);
    this.shardCount = ctx.shards();
    this.totalLength = ctx.parameterCount();
    this.offset = ctx.shardOffset(shardId);
    this.length = ctx.shardLength(shardId);
    this.chunkFloats = ctx.chunkFloats();
    this.chunkCount = Protocol.chunkCount(length, chunkFloats);
    this.workers = ctx.workers();
    this.staleness = ctx.staleness();
    this.jobId = ctx.jobId();
    this.timeoutNs = ctx.syncTimeoutNs();
    this.mode = ctx.mode();
    this.jobEncoding = toEncoding(ctx.compression());
    this.pullEncoding = jobEncoding == Encoding.THRESHOLD ? Encoding.FLOAT32 : jobEncoding;
    this.threshold = ctx.threshold();
    this.rule = ctx.updateRule();
    this.learningRate = ctx.learningRate();
    this.schedule = ctx.learningRateSchedule();
    this.mtu = ctx.mtuLength();
    this.termLength = ctx.termLength();
    this.socketBuffer = ctx.socketBufferLength();
    this.receiverWindow = ctx.receiverWindowLength();
    this.maxPendingHandshakes = ctx.maxPendingHandshakes();
    this.maxSessions = ctx.maxSessions();
    this.aeron = aeron;
    this.auth = new HmacAuth(ctx.jobSecret());
    this.clipping = ctx.clipping();
    this.clipLimit = ctx.clipLimit();
    this.localVariables = ctx.localVariableRanges(shardId);
    java.util.List<RangeConstraint> local = ctx.localConstraints(shardId);
    this.constraints = new FlatConstraint[local.size()];
    this.constraintFrom = new int[local.size()];
    for (int i = 0; i < constraints.length; i++) {
      constraints[i] = local.get(i).build();
      constraintFrom[i] = local.get(i).from();
    }
    this.normExchange = normExchange;
    this.variableSums = new double[localVariables.length / 2];

    ByteBuffer bytes = ByteBuffer.allocateDirect(length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    this.paramsView = new UnsafeBuffer(bytes);
    this.params = bytes.asFloatBuffer();
    this.state = UpdateRules.allocateState(rule, length);
    ByteBuffer sumBytes = ByteBuffer.allocateDirect(length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    this.sum = sumBytes.asFloatBuffer();
    this.sumView = new UnsafeBuffer(sumBytes);
    ByteBuffer incomingBytes =
        ByteBuffer.allocateDirect(chunkFloats * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    this.incoming = incomingBytes.asFloatBuffer();
    this.incomingView = new UnsafeBuffer(incomingBytes);
    this.stagingViews = new UnsafeBuffer[workers];
    this.chunkContributions = new int[chunkCount];
    this.order = mode == TrainingMode.ASYNC ? null
        : OrderedSum.of(workers, length, chunkCount);
    this.chunkBits = new long[workers][(chunkCount + 63) / 64];
    this.chunksReceived = new int[workers];
    this.partitionDone = new boolean[workers];
    this.staging = new FloatBuffer[workers];
    this.clocks = new long[workers];
    if (restored != null) {
      params.put(0, restored.params);
      for (int s = 0; s < state.length; s++) {
        state[s].put(0, restored.state[s]);
      }
      version = restored.version;
      System.arraycopy(restored.clocks, 0, clocks, 0, workers);
    } else if (initial != null) {
      for (int i = 0; i < length; i++) {
        params.put(i, initial.get(initial.position() + i));
      }
    }
    // Every shard of this node shares the bind address's socket: one image per worker per shard.
    int window = Protocol.sharedWindow(receiverWindow, socketBuffer, mtu,
        workers * ctx.localShards());
    String channel = "aeron:udp?endpoint=" + ctx.bind() + "|rcv-wnd=" + window
        + "|so-rcvbuf=" + socketBuffer;
    this.subscription = aeron.addSubscription(channel, ctx.streamIdBase() + shardId);
    this.ipcSubscription = ctx.ipc()
        ? aeron.addSubscription(Protocol.ipcChannel(mtu, termLength), ctx.streamIdBase() + shardId)
        : null;
    writeStepCheckpoint(); // the starting state: a node lost before the first step restores it
  }

  static Encoding toEncoding(Compression c) {
    switch (c) {
      case FP16: return Encoding.FP16;
      case BF16: return Encoding.BF16;
      case THRESHOLD: return Encoding.THRESHOLD;
      default: return Encoding.FLOAT32;
    }
  }

  @Override
  public String roleName() {
    return "sparkeras-ps-shard-" + shardId;
  }

  /** Runs {@code command} on the shard's thread between two messages; false if the queue is full. */
  public boolean submit(Runnable command) {
    return commands.offer(command);
  }

  /** Current value of a counter (any thread). */
  public long counter(ShardCounter c) {
    return counters.get(c.ordinal());
  }

  /** First float of this shard in the flat vector. */
  public int offset() {
    return offset;
  }

  /** Floats owned by this shard. */
  public int length() {
    return length;
  }

  /** Aeron subscription this shard listens on (for readiness checks). */
  public Subscription subscription() {
    return subscription;
  }

  /** Takes a consistent snapshot on the shard's thread. */
  public CompletableFuture<ShardSnapshot> snapshot() {
    CompletableFuture<ShardSnapshot> result = new CompletableFuture<>();
    Runnable command = () -> result.complete(takeSnapshot());
    if (!submit(command)) {
      result.completeExceptionally(new IllegalStateException("shard " + shardId + " command queue full"));
    }
    return result;
  }

  /** This shard's state now, the pending step applied first (on the shard's thread). */
  private ShardSnapshot takeSnapshot() {
    finishApply();
    float[] p = new float[length];
    params.get(0, p);
    float[][] s = new float[state.length][length];
    for (int k = 0; k < state.length; k++) {
      state[k].get(0, s[k]);
    }
    return new ShardSnapshot(shardId, offset, p, s, version, clocks.clone());
  }

  /**
   * With step checkpoints: writes this shard's state at its version before anyone can pull it
   * (a failed write fails the job: the guarantee would be gone).
   */
  private void writeStepCheckpoint() {
    if (stepCheckpoints == null) {
      return;
    }
    try {
      stepCheckpoints.write(context, takeSnapshot());
    } catch (java.io.IOException | RuntimeException e) {
      fail(ErrorCode.JOB_FAILED, "shard " + shardId + ": step checkpoint of version " + version
          + " failed: " + e);
    }
  }

  private void inc(ShardCounter c) {
    int i = c.ordinal();
    counters.lazySet(i, counters.get(i) + 1);
  }

  @Override
  public int doWork() {
    int work = commands.drain(runCommand);
    if (awaitingNorm) {
      work += pollGlobalNorm();
    }
    if (applyPending) {
      applyUpTo(appliedChunks + 16);
      work++;
    }
    work += subscription.poll(fragmentHandler, FRAGMENT_LIMIT);
    if (ipcSubscription != null) {
      pollingIpc = true;
      work += ipcSubscription.poll(fragmentHandler, FRAGMENT_LIMIT);
      pollingIpc = false;
    }
    for (int i = 0; i < sessionList.size(); i++) {
      Session s = sessionList.get(i);
      if (!s.outbox.isEmpty()) {
        outboxPublication = s.publication;
        work += s.outbox.consume(outboxConsumer, 16);
      }
      if (s.streaming && s.outbox.isEmpty()) {
        work += streamChunks(s);
      }
      if (s.closing && s.outbox.isEmpty() && !s.streaming) {
        closeSession(s);
        i--;
      }
    }
    long now = System.nanoTime();
    if (now - nextHousekeepingNs >= 0) {
      nextHousekeepingNs = now + HOUSEKEEPING_INTERVAL_NS;
      checkTimeouts(now);
      if (now - nextImageCheckNs >= 0) {
        nextImageCheckNs = now + IMAGE_CHECK_INTERVAL_NS;
        dropSessionsWithoutImage();
      }
    }
    return work;
  }

  @Override
  public void onClose() {
    for (Session s : sessionList) {
      CloseHelper.quietClose(s.publication);
    }
    sessionList.clear();
    sessions.clear();
    CloseHelper.quietClose(subscription);
    CloseHelper.quietClose(ipcSubscription);
  }

  // ---------------------------------------------------------------------------------------------
  // Receive path

  void onFragment(DirectBuffer buffer, int off, int len, Header header) {
    inc(ShardCounter.RECEIVED);
    if ((header.flags() & FrameDescriptor.UNFRAGMENTED) != FrameDescriptor.UNFRAGMENTED) {
      inc(ShardCounter.FRAGMENTED);
      return;
    }
    if (len < MessageHeaderDecoder.ENCODED_LENGTH) {
      inc(ShardCounter.MALFORMED);
      return;
    }
    headerDecoder.wrap(buffer, off);
    int blockLength = headerDecoder.blockLength();
    int actingVersion = headerDecoder.version();
    if (headerDecoder.schemaId() != SCHEMA_ID || actingVersion < 1) {
      inc(ShardCounter.MALFORMED);
      return;
    }
    int body = off + MessageHeaderDecoder.ENCODED_LENGTH;
    int end = off + len;
    int sessionId = header.sessionId();
    try {
      switch (headerDecoder.templateId()) {
        case HelloDecoder.TEMPLATE_ID:
          if (blockOk(blockLength, HelloDecoder.BLOCK_LENGTH, body, end)) {
            helloDecoder.wrap(buffer, body, blockLength, actingVersion);
            onHello(buffer, sessionId, end);
          }
          break;
        case AuthDecoder.TEMPLATE_ID:
          if (blockOk(blockLength, AuthDecoder.BLOCK_LENGTH, body, end)) {
            authDecoder.wrap(buffer, body, blockLength, actingVersion);
            onAuth(buffer, sessionId, end);
          }
          break;
        case PushDecoder.TEMPLATE_ID:
          if (blockOk(blockLength, PushDecoder.BLOCK_LENGTH, body, end)) {
            pushDecoder.wrap(buffer, body, blockLength, actingVersion);
            onPush(buffer, sessionId, end);
          }
          break;
        case PullDecoder.TEMPLATE_ID:
          if (blockOk(blockLength, PullDecoder.BLOCK_LENGTH, body, end)
              && exactEnd(body + blockLength, end)) {
            pullDecoder.wrap(buffer, body, blockLength, actingVersion);
            onPull(sessionId);
          }
          break;
        case HeartbeatDecoder.TEMPLATE_ID:
          if (blockOk(blockLength, HeartbeatDecoder.BLOCK_LENGTH, body, end)
              && exactEnd(body + blockLength, end)) {
            heartbeatDecoder.wrap(buffer, body, blockLength, actingVersion);
            onHeartbeat(sessionId);
          }
          break;
        case ByeDecoder.TEMPLATE_ID:
          if (blockOk(blockLength, ByeDecoder.BLOCK_LENGTH, body, end)
              && exactEnd(body + blockLength, end)) {
            byeDecoder.wrap(buffer, body, blockLength, actingVersion);
            onBye(sessionId);
          }
          break;
        default:
          inc(ShardCounter.UNKNOWN_TEMPLATE);
      }
    } catch (RuntimeException e) {
      // Last line of defence: every field is checked before use, so this is never expected.
      inc(ShardCounter.MALFORMED);
    }
  }

  private boolean blockOk(int blockLength, int expected, int body, int end) {
    if (blockLength < expected || blockLength > 4096 || body + blockLength > end) {
      inc(ShardCounter.MALFORMED);
      return false;
    }
    return true;
  }

  private boolean exactEnd(int limit, int end) {
    if (limit != end) {
      inc(ShardCounter.MALFORMED);
      return false;
    }
    return true;
  }

  /** Length of the var-data field at {@code limit}, or -1 (counted) if it does not end exactly at {@code end}. */
  private int varLength(DirectBuffer buffer, int limit, int end, int max) {
    if (limit + 4 > end) {
      inc(ShardCounter.MALFORMED);
      return -1;
    }
    long n = buffer.getInt(limit, ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL;
    if (n > max || limit + 4 + n != end) {
      inc(ShardCounter.MALFORMED);
      return -1;
    }
    return (int) n;
  }

  private void onHello(DirectBuffer buffer, int sessionId, int end) {
    HelloDecoder d = helloDecoder;
    long helloJob = d.jobId();
    int workerId = d.workerId();
    int partition = d.partition();
    long clientNonce = d.clientNonce();
    int replyStreamId = d.replyStreamId();
    int n = varLength(buffer, d.limit(), end, MAX_ENDPOINT_LENGTH);
    if (n < 0) {
      return;
    }
    d.getReplyEndpoint(endpointScratch, 0, n);
    String endpoint = new String(endpointScratch, 0, n, StandardCharsets.US_ASCII);
    // IPC replies only to a Hello that came over IPC, i.e. from a client of this media driver
    boolean ipcReply = endpoint.equals(Protocol.IPC_ENDPOINT);
    if (partition < 0 || partition >= workers || replyStreamId <= 0
        || (ipcReply ? !pollingIpc : !Protocol.isValidEndpoint(endpoint))) {
      inc(ShardCounter.MALFORMED);
      return;
    }
    Session existing = sessions.get(sessionId);
    if (existing != null) {
      closeSession(existing);
    }
    if (pendingHandshakes >= maxPendingHandshakes || sessions.size() >= maxSessions + maxPendingHandshakes) {
      inc(ShardCounter.HANDSHAKE_LIMIT);
      return;
    }
    ExclusivePublication publication;
    try {
      publication = aeron.addExclusivePublication(ipcReply ? Protocol.ipcChannel(mtu, termLength)
          : Protocol.udpChannel(endpoint, mtu, termLength, socketBuffer, receiverWindow),
          replyStreamId);
    } catch (RuntimeException e) {
      inc(ShardCounter.BAD_REQUEST);
      return;
    }
    Session s = new Session(sessionId, publication);
    s.ipc = pollingIpc;
    s.workerId = workerId;
    s.partition = partition;
    s.jobId = helloJob;
    s.clientNonce = clientNonce;
    s.serverNonce = random.nextLong();
    sessions.put(sessionId, s);
    sessionList.add(s);
    pendingHandshakes++;
    if (helloJob != jobId) {
      inc(ShardCounter.WRONG_JOB);
      sendError(s, ErrorCode.AUTH_FAILED, -1, "shard " + shardId + ": unknown job id " + helloJob);
      s.closing = true;
      return;
    }
    inc(ShardCounter.HELLO);
    challengeEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
        .shardId(shardId).workerId(workerId).serverNonce(s.serverNonce);
    send(s, MessageHeaderEncoder.ENCODED_LENGTH + challengeEncoder.encodedLength());
  }

  private void onAuth(DirectBuffer buffer, int sessionId, int end) {
    AuthDecoder d = authDecoder;
    Session s = sessions.get(sessionId);
    if (s == null || s.authenticated || s.closing) {
      inc(s == null || s.closing ? ShardCounter.UNAUTHENTICATED : ShardCounter.BAD_REQUEST);
      return;
    }
    int n = varLength(buffer, d.limit(), end, HmacAuth.MAC_LENGTH);
    if (n < 0) {
      return;
    }
    boolean ok = n == HmacAuth.MAC_LENGTH && d.jobId() == jobId && d.workerId() == s.workerId;
    if (ok) {
      d.getMac(macScratch, 0, n);
      ok = auth.verify(jobId, s.workerId, s.partition, shardId, s.clientNonce, s.serverNonce, macScratch);
    }
    if (!ok) {
      inc(ShardCounter.AUTH_FAILED);
      sendError(s, ErrorCode.AUTH_FAILED, -1, "shard " + shardId
          + ": authentication failed (HMAC proof does not match the job secret)");
      s.closing = true;
      return;
    }
    inc(ShardCounter.AUTH_OK);
    s.authenticated = true;
    pendingHandshakes--;
    welcomeEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
        .shardId(shardId).workerId(s.workerId).shardCount(shardCount).shardOffset(offset)
        .shardLength(length).totalLength(totalLength).chunkFloats(chunkFloats).workers(workers)
        .staleness(staleness).version(version).mode(mode.wire()).encoding(jobEncoding)
        .threshold(threshold);
    send(s, MessageHeaderEncoder.ENCODED_LENGTH + welcomeEncoder.encodedLength());
    if (failure != null) {
      sendFailure(s);
    }
  }

  /** The authenticated session the message claims to be from, or null (counted). */
  private Session authenticated(int sessionId, long msgJob, int msgWorker) {
    Session s = sessions.get(sessionId);
    if (s == null || !s.authenticated || s.closing) {
      inc(ShardCounter.UNAUTHENTICATED);
      return null;
    }
    if (msgJob != jobId || msgWorker != s.workerId) {
      inc(ShardCounter.BAD_REQUEST);
      return null;
    }
    return s;
  }

  private void onPush(DirectBuffer buffer, int sessionId, int end) {
    PushDecoder d = pushDecoder;
    Session s = authenticated(sessionId, d.jobId(), d.workerId());
    if (s == null) {
      return;
    }
    if (failure != null) {
      inc(ShardCounter.JOB_FAILED);
      sendFailure(s);
      return;
    }
    int chunk = d.chunkIndex();
    short encodingRaw = d.encodingRaw();
    short kindRaw = d.kindRaw();
    long step = d.step();
    int partition = d.partition();
    if (d.shardId() != shardId || d.chunkCount() != chunkCount || chunk < 0 || chunk >= chunkCount
        || encodingRaw < 0 || encodingRaw > 3 || kindRaw < 0 || kindRaw > 1 || step < 0) {
      inc(ShardCounter.MALFORMED);
      return;
    }
    Encoding encoding = Encoding.get(encodingRaw);
    PushKind kind = PushKind.get(kindRaw);
    boolean kindOk = mode == TrainingMode.AVERAGING ? kind == PushKind.WEIGHTS : kind == PushKind.GRADIENT;
    boolean encodingOk = encoding == Encoding.FLOAT32 || encoding == jobEncoding;
    if (partition != s.partition || !kindOk || !encodingOk
        || (encoding == Encoding.THRESHOLD && kind != PushKind.GRADIENT)) {
      inc(ShardCounter.BAD_REQUEST);
      return;
    }
    int floats = Protocol.chunkLength(length, chunkFloats, chunk);
    int payloadOffset = d.limit() + 4;
    int n = varLength(buffer, d.limit(), end, floats * Float.BYTES);
    if (n < 0) {
      return;
    }
    if (encoding == Encoding.THRESHOLD) {
      if ((n & 3) != 0 || !thresholdIndicesOk(buffer, payloadOffset, n / 4, floats)) {
        inc(ShardCounter.MALFORMED);
        return;
      }
    } else if (n != floats * Protocol.bytesPerFloat(encoding)) {
      inc(ShardCounter.MALFORMED);
      return;
    }
    long expected = mode == TrainingMode.ASYNC ? clocks[partition] : version;
    if (step < expected) {
      inc(ShardCounter.PUSH_DUPLICATE);
      if (chunk == chunkCount - 1) {
        sendAck(s, step, AckStatus.DUPLICATE);
      }
      return;
    }
    if (step > expected) {
      inc(ShardCounter.STEP_AHEAD);
      sendError(s, ErrorCode.STEP_AHEAD, step, "shard " + shardId + ": push for step " + step
          + " but partition " + partition + " is at step " + expected);
      return;
    }
    finishApply(); // the previous step's update must be in params before sum is reused
    long[] bits = chunkBits[partition];
    long mask = 1L << (chunk & 63);
    if ((bits[chunk >>> 6] & mask) != 0) {
      inc(ShardCounter.PUSH_DUPLICATE);
      return;
    }
    bits[chunk >>> 6] |= mask;
    chunksReceived[partition]++;
    inc(ShardCounter.PUSH_ACCEPTED);
    int base = chunk * chunkFloats;
    if (mode == TrainingMode.ASYNC) {
      if (staging[partition] == null) {
        ByteBuffer b = ByteBuffer.allocateDirect(length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        staging[partition] = b.asFloatBuffer();
        stagingViews[partition] = new UnsafeBuffer(b);
      }
      decodeInto(stagingViews[partition], staging[partition], base, floats, buffer, payloadOffset,
          n, encoding, false);
    } else {
      if (!stepStarted) {
        stepStarted = true;
        stepStartNs = System.nanoTime();
      }
      if (order == null) {
        boolean first = chunkContributions[chunk]++ == 0;
        decodeInto(sumView, sum, base, floats, buffer, payloadOffset, n, encoding, !first);
      } else if (order.isTurn(partition, chunk)) {
        decodeInto(sumView, sum, base, floats, buffer, payloadOffset, n, encoding, partition > 0);
        order.added(chunk, sum, base, floats);
      } else {
        decodeInto(order.stagingView(partition), order.staging(partition), base, floats, buffer,
            payloadOffset, n, encoding, false);
        order.staged(partition, chunk);
      }
    }
    if (chunksReceived[partition] == chunkCount) {
      if (shardId == 0) {
        // a push applied once (duplicates never get here): its loss, for the live progress
        int samples = d.samples();
        float loss = d.loss();
        if (samples > 0 && Float.isFinite(loss)) {
          lossSeq++; // odd: an update is in progress
          lossSamples += samples;
          lossSum += (double) loss * samples;
          lossSeq++;
        }
      }
      onPartitionComplete(s, partition, step);
    }
  }

  /**
   * {@code {sum of loss × samples, samples}} over the pushes this shard has applied that carried
   * a loss (shard 0 only; the others leave it at 0). Read from any thread; the pair is read
   * consistently (seqlock on {@link #lossSeq}).
   */
  public double[] trainingLoss() {
    while (true) {
      long seq = lossSeq;
      double sum = lossSum;
      long n = lossSamples;
      if ((seq & 1) == 0 && seq == lossSeq) {
        return new double[] {sum, n};
      }
    }
  }

  private static boolean thresholdIndicesOk(DirectBuffer buffer, int at, int count, int floats) {
    for (int k = 0; k < count; k++) {
      int e = buffer.getInt(at + 4 * k, ByteOrder.LITTLE_ENDIAN);
      if ((e >>> 1) >= floats) {
        return false;
      }
    }
    return true;
  }

  /**
   * Writes ({@code add == false}) or adds the decoded payload into {@code target[base, base +
   * floats)}; {@code target} and {@code targetFloats} are two views of the same memory.
   */
  private void decodeInto(UnsafeBuffer target, FloatBuffer targetFloats, int base, int floats,
      DirectBuffer buffer, int at, int bytes, Encoding encoding, boolean add) {
    final ByteOrder le = ByteOrder.LITTLE_ENDIAN;
    final int to = base * Float.BYTES;
    switch (encoding) {
      case FLOAT32:
        if (add) {
          // copy the payload out of the log buffer, then add tile-wise (vectorised)
          incomingView.putBytes(0, buffer, at, floats * Float.BYTES);
          FlatMath.add(targetFloats, base, incoming, 0, floats);
        } else {
          target.putBytes(to, buffer, at, floats * Float.BYTES);
        }
        break;
      case FP16:
      case BF16:
        boolean fp16 = encoding == Encoding.FP16;
        for (int i = 0; i < floats; i++) {
          short h = buffer.getShort(at + 2 * i, le);
          float v = fp16 ? HalfFloats.fromFp16(h) : HalfFloats.fromBf16(h);
          int t = to + 4 * i;
          target.putFloat(t, add ? target.getFloat(t, le) + v : v, le);
        }
        break;
      case THRESHOLD:
        if (!add) {
          target.setMemory(to, floats * Float.BYTES, (byte) 0);
        }
        for (int k = 0, count = bytes / 4; k < count; k++) {
          int e = buffer.getInt(at + 4 * k, le);
          int t = to + 4 * (e >>> 1);
          target.putFloat(t, target.getFloat(t, le) + ((e & 1) == 0 ? threshold : -threshold), le);
        }
        break;
      default:
        throw new IllegalStateException("unreachable");
    }
  }

  private void onPartitionComplete(Session s, int partition, long step) {
    Arrays.fill(chunkBits[partition], 0L);
    chunksReceived[partition] = 0;
    if (mode == TrainingMode.ASYNC) {
      clip(staging[partition]); // as local training clips each step's gradient
      rule.apply(params, staging[partition], state, 0, length, version + 1, learningRateAt(version));
      constrain();
      version++;
      clocks[partition]++;
      inc(ShardCounter.STEPS);
      sendAck(s, step, AckStatus.APPLIED);
      broadcastStepComplete();
      serveParkedPulls();
      return;
    }
    partitionDone[partition] = true;
    partitionsDone++;
    // Chunk bits must stay set until the step completes, so that repeats are recognised.
    Arrays.fill(chunkBits[partition], -1L);
    sendAck(s, step, AckStatus.ACCEPTED);
    if (partitionsDone == workers) {
      completeStep();
    }
  }

  /**
   * All N partitions are in: the version advances now, and the optimizer (sync) or the mean
   * (averaging) is applied chunk by chunk, just before each chunk is first sent, so applying the
   * update overlaps with streaming it. Whatever no pull asked for is applied in the background.
   */
  private void completeStep() {
    if (mode == TrainingMode.SYNC && clipping != FlatOptimizer.Clipping.NONE) {
      // Clipping needs the whole averaged gradient (a norm spans chunks), so average and clip it
      // here, before the first chunk is applied; the chunk-wise apply then only runs the rule.
      if (workers > 1) {
        FlatMath.divide(sum, 0, length, workers);
      }
      sumAveraged = true;
      if (normExchange != null) {
        // global_clipnorm across shards: publish this shard's sums and finish the step from the
        // duty cycle once every shard's are in (pushes of this step stay recognised as repeats).
        for (int v = 0; v < variableSums.length; v++) {
          variableSums[v] = GradientClipping.sumOfSquares(sum, localVariables[2 * v],
              localVariables[2 * v + 1]);
        }
        normExchange.publish(shardId, version, variableSums);
        awaitingNorm = true;
        return;
      }
      clip(sum);
    }
    publishStep();
  }

  /** The other shards' sums for this step are in: scale by Keras's factor and publish the step. */
  private int pollGlobalNorm() {
    if (!awaitingNorm || !normExchange.ready(version)) {
      return 0;
    }
    double factor = GradientClipping.globalNormScale(normExchange.sumOfSquares(version), clipLimit);
    if (factor != 1.0) {
      GradientClipping.scale(sum, localVariables, (float) factor);
    }
    awaitingNorm = false;
    publishStep();
    return 1;
  }

  /** Advances the version and starts applying the step chunk by chunk. */
  private void publishStep() {
    applyLearningRate = learningRateAt(version);
    version++;
    applyPending = true;
    appliedChunks = 0;
    inc(ShardCounter.STEPS);
    Arrays.fill(chunkContributions, 0);
    if (order != null) {
      order.reset();
    }
    for (int p = 0; p < workers; p++) {
      Arrays.fill(chunkBits[p], 0L);
      chunksReceived[p] = 0;
      partitionDone[p] = false;
    }
    partitionsDone = 0;
    stepStarted = false;
    writeStepCheckpoint();
    broadcastStepComplete();
    serveParkedPulls();
  }

  /** Learning rate of the step applied after {@code iterations} steps. */
  private float learningRateAt(long iterations) {
    return schedule == null ? learningRate : (float) schedule.learningRate(iterations);
  }

  /** Applies the pending step to chunks [appliedChunks, limit). */
  private void applyUpTo(int limit) {
    if (!applyPending) {
      return;
    }
    if (constraints.length > 0) {
      // a constraint needs its whole variable updated: apply every chunk now, then project
      limit = chunkCount;
    }
    int from = appliedChunks * chunkFloats;
    int to = Math.min(length, limit * chunkFloats);
    if (from < to) {
      if (mode == TrainingMode.SYNC) {
        if (workers > 1 && !sumAveraged) {
          FlatMath.divide(sum, from, to, workers);
        }
        rule.apply(params, sum, state, from, to, version, applyLearningRate);
      } else {
        FlatMath.divide(params, sum, from, to, workers);
      }
    }
    appliedChunks = Math.max(appliedChunks, limit);
    if (appliedChunks >= chunkCount) {
      applyPending = false;
      sumAveraged = false;
      constrain();
    }
  }

  /** Keras's constraints after an update (allocation-free). */
  private void constrain() {
    for (int i = 0; i < constraints.length; i++) {
      constraints[i].apply(params, constraintFrom[i]);
    }
  }

  /**
   * Keras's {@code _clip_gradients} on this shard's gradient, in place: clipvalue elementwise,
   * clipnorm per variable (every variable lies inside one shard), global_clipnorm over the shard
   * (the context allows it only with one shard, where the shard is everything).
   */
  private void clip(FloatBuffer g) {
    switch (clipping) {
      case VALUE:
        GradientClipping.clipByValue(g, 0, length, clipLimit);
        break;
      case NORM:
        GradientClipping.clipByNorm(g, localVariables, clipLimit);
        break;
      case GLOBAL_NORM:
        GradientClipping.clipByGlobalNorm(g, localVariables, clipLimit);
        break;
      default:
        break;
    }
  }

  private void finishApply() {
    applyUpTo(chunkCount);
  }

  private void onPull(int sessionId) {
    PullDecoder d = pullDecoder;
    Session s = authenticated(sessionId, d.jobId(), d.workerId());
    if (s == null) {
      return;
    }
    if (d.shardId() != shardId) {
      inc(ShardCounter.MALFORMED);
      return;
    }
    if (failure != null) {
      inc(ShardCounter.JOB_FAILED);
      sendFailure(s);
      return;
    }
    inc(ShardCounter.PULL);
    s.pullRequestId = d.requestId();
    s.pullWaitFor = d.waitFor();
    s.streaming = false;
    if (ready(s.pullWaitFor)) {
      startStreaming(s);
    } else {
      s.pullParked = true;
      s.parkedSinceNs = System.nanoTime();
      inc(ShardCounter.PULLS_PARKED);
    }
  }

  private void onHeartbeat(int sessionId) {
    HeartbeatDecoder d = heartbeatDecoder;
    Session s = authenticated(sessionId, d.jobId(), d.workerId());
    if (s == null) {
      return;
    }
    inc(ShardCounter.HEARTBEAT);
    ShardCounter[] all = ShardCounter.values();
    MetricsEncoder.CountersEncoder group = metricsEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
        .shardId(shardId).version(version).countersCount(all.length);
    for (ShardCounter c : all) {
      group.next().counterId(c.ordinal()).value(counters.get(c.ordinal()));
    }
    send(s, MessageHeaderEncoder.ENCODED_LENGTH + metricsEncoder.encodedLength());
  }

  private void onBye(int sessionId) {
    ByeDecoder d = byeDecoder;
    Session s = authenticated(sessionId, d.jobId(), d.workerId());
    if (s == null) {
      return;
    }
    inc(ShardCounter.BYE);
    s.closing = true;
    s.pullParked = false;
    s.streaming = false;
  }

  // ---------------------------------------------------------------------------------------------
  // Send path

  private boolean ready(long waitFor) {
    if (mode == TrainingMode.ASYNC) {
      return minClock() >= waitFor;
    }
    return version >= waitFor;
  }

  private long minClock() {
    long min = Long.MAX_VALUE;
    for (long c : clocks) {
      min = Math.min(min, c);
    }
    return min;
  }

  private void startStreaming(Session s) {
    s.pullParked = false;
    s.streaming = true;
    s.nextChunk = 0;
  }

  private void serveParkedPulls() {
    for (int i = 0; i < sessionList.size(); i++) {
      Session s = sessionList.get(i);
      if (s.pullParked && ready(s.pullWaitFor)) {
        startStreaming(s);
      }
    }
  }

  private int streamChunks(Session s) {
    int sent = 0;
    int bpf = Protocol.bytesPerFloat(pullEncoding);
    ExclusivePublication pub = s.publication;
    while (s.nextChunk < chunkCount && sent < CHUNKS_PER_SESSION_PER_CYCLE) {
      int chunk = s.nextChunk;
      int floats = Protocol.chunkLength(length, chunkFloats, chunk);
      int msgLength = MessageHeaderEncoder.ENCODED_LENGTH + ParamsChunkEncoder.BLOCK_LENGTH + 4
          + floats * bpf;
      long result = pub.tryClaim(msgLength, claim);
      if (result < 0) {
        if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
          s.streaming = false;
          s.closing = true;
        } else {
          inc(ShardCounter.BACK_PRESSURE);
        }
        break;
      }
      applyUpTo(chunk + 1);
      MutableDirectBuffer out = claim.buffer();
      int at = claim.offset();
      chunkEncoder.wrapAndApplyHeader(out, at, headerEncoder)
          .shardId(shardId).workerId(s.workerId).requestId(s.pullRequestId).version(version)
          .chunkIndex(chunk).chunkCount(chunkCount).encoding(pullEncoding);
      int lenAt = chunkEncoder.limit();
      out.putInt(lenAt, floats * bpf, ByteOrder.LITTLE_ENDIAN);
      int payloadAt = lenAt + 4;
      int base = chunk * chunkFloats;
      if (pullEncoding == Encoding.FLOAT32) {
        out.putBytes(payloadAt, paramsView, base * Float.BYTES, floats * Float.BYTES);
      } else if (pullEncoding == Encoding.FP16) {
        for (int i = 0; i < floats; i++) {
          out.putShort(payloadAt + 2 * i, HalfFloats.toFp16(params.get(base + i)), ByteOrder.LITTLE_ENDIAN);
        }
      } else {
        for (int i = 0; i < floats; i++) {
          out.putShort(payloadAt + 2 * i, HalfFloats.toBf16(params.get(base + i)), ByteOrder.LITTLE_ENDIAN);
        }
      }
      claim.commit();
      inc(ShardCounter.CHUNKS_SENT);
      s.nextChunk++;
      sent++;
    }
    if (s.nextChunk >= chunkCount) {
      s.streaming = false;
    }
    return sent;
  }

  private void sendAck(Session s, long step, AckStatus status) {
    ackEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
        .shardId(shardId).workerId(s.workerId).partition(s.partition).step(step).status(status);
    send(s, MessageHeaderEncoder.ENCODED_LENGTH + ackEncoder.encodedLength());
  }

  private void broadcastStepComplete() {
    for (int i = 0; i < sessionList.size(); i++) {
      Session s = sessionList.get(i);
      if (s.authenticated && !s.closing) {
        stepCompleteEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .shardId(shardId).version(version);
        send(s, MessageHeaderEncoder.ENCODED_LENGTH + stepCompleteEncoder.encodedLength());
      }
    }
  }

  private void sendError(Session s, ErrorCode code, long step, String message) {
    errorEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
        .shardId(shardId).workerId(s.workerId).code(code).step(step).message(message);
    send(s, MessageHeaderEncoder.ENCODED_LENGTH + errorEncoder.encodedLength());
  }

  private void sendFailure(Session s) {
    if (!s.failureSent) {
      s.failureSent = true;
      sendError(s, failureCode, version, failure);
    }
  }

  /** Offers {@code sendBuffer[0, len)} now, or queues it behind earlier messages of the session. */
  private void send(Session s, int len) {
    if (s.outbox.isEmpty()) {
      long result = s.publication.offer(sendBuffer, 0, len);
      if (result > 0) {
        return;
      }
      if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
        s.closing = true;
        return;
      }
      inc(ShardCounter.BACK_PRESSURE);
    }
    if (s.outbox.size() + len + ExpandableRingBuffer.HEADER_LENGTH > OUTBOX_MAX_BYTES
        || !s.outbox.append(sendBuffer, 0, len)) {
      inc(ShardCounter.OUTBOX_OVERFLOW);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Timeouts and sessions

  private void checkTimeouts(long now) {
    if (failure != null) {
      return;
    }
    if (awaitingNorm && now - stepStartNs > timeoutNs) {
      fail(ErrorCode.TIMEOUT, "sync step " + version + " timed out after " + timeoutNs / 1_000_000
          + " ms on shard " + shardId + ": all " + workers + " workers pushed here, but another"
          + " shard's sums of squares for global_clipnorm never arrived");
      return;
    }
    if (mode != TrainingMode.ASYNC && stepStarted && now - stepStartNs > timeoutNs) {
      fail(ErrorCode.TIMEOUT, (mode == TrainingMode.SYNC ? "sync step " : "averaging round ")
          + version + " timed out after " + timeoutNs / 1_000_000 + " ms on shard " + shardId
          + ": nothing complete from partition(s) " + missingPartitions(version + 1) + " of "
          + workers + " workers");
      return;
    }
    for (int i = 0; i < sessionList.size(); i++) {
      Session s = sessionList.get(i);
      if (s.pullParked && now - s.parkedSinceNs > timeoutNs) {
        String what = mode == TrainingMode.ASYNC
            ? "async pull (staleness " + staleness + ") waiting for every worker to reach clock "
              + s.pullWaitFor
            : (mode == TrainingMode.SYNC ? "sync pull" : "averaging pull") + " waiting for version "
              + s.pullWaitFor;
        fail(ErrorCode.TIMEOUT, what + " timed out after " + timeoutNs / 1_000_000
            + " ms on shard " + shardId + ": partition(s) " + missingPartitions(s.pullWaitFor)
            + " of " + workers + " workers missing");
        return;
      }
    }
  }

  private String missingPartitions(long waitFor) {
    StringBuilder sb = new StringBuilder("[");
    for (int p = 0; p < workers; p++) {
      boolean missing = mode == TrainingMode.ASYNC ? clocks[p] < waitFor : !partitionDone[p];
      if (missing) {
        if (sb.length() > 1) {
          sb.append(", ");
        }
        sb.append(p);
      }
    }
    return sb.append(']').toString();
  }

  private void fail(ErrorCode code, String message) {
    failure = message;
    failureCode = code;
    for (int i = 0; i < sessionList.size(); i++) {
      Session s = sessionList.get(i);
      s.pullParked = false;
      if (s.authenticated && !s.closing) {
        sendFailure(s);
      }
    }
  }

  private void dropSessionsWithoutImage() {
    for (int i = sessionList.size() - 1; i >= 0; i--) {
      Session s = sessionList.get(i);
      if ((s.ipc ? ipcSubscription : subscription).imageBySessionId(s.sessionId) == null) {
        closeSession(s);
      }
    }
  }

  private void closeSession(Session s) {
    sessions.remove(s.sessionId);
    sessionList.remove(s);
    if (!s.authenticated) {
      pendingHandshakes--;
    }
    CloseHelper.quietClose(s.publication);
    inc(ShardCounter.SESSIONS_CLOSED);
  }

  /** The failure message if the job failed on this shard, else null (any thread, racy). */
  public String failure() {
    return failure;
  }

  static final class Session {
    final int sessionId;
    final ExclusivePublication publication;
    final ExpandableRingBuffer outbox = new ExpandableRingBuffer(0, OUTBOX_MAX_BYTES, true);
    int workerId;
    int partition;
    long jobId;
    long clientNonce;
    long serverNonce;
    boolean authenticated;
    boolean closing;
    boolean failureSent;
    boolean pullParked;
    /** The client's publication is on the IPC subscription (its image is looked up there). */
    boolean ipc;
    long parkedSinceNs;
    long pullRequestId;
    long pullWaitFor;
    boolean streaming;
    int nextChunk;

    Session(int sessionId, ExclusivePublication publication) {
      this.sessionId = sessionId;
      this.publication = publication;
    }
  }
}
