package io.sparkeras.ps.client;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.logbuffer.BufferClaim;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.logbuffer.Header;
import io.sparkeras.ps.ParameterServerContext;
import io.sparkeras.ps.ParameterServerException;
import io.sparkeras.ps.TrainingMode;
import io.sparkeras.ps.codecs.AuthEncoder;
import io.sparkeras.ps.codecs.ByeEncoder;
import io.sparkeras.ps.codecs.ChallengeDecoder;
import io.sparkeras.ps.codecs.Encoding;
import io.sparkeras.ps.codecs.ErrorDecoder;
import io.sparkeras.ps.codecs.HeartbeatEncoder;
import io.sparkeras.ps.codecs.HelloEncoder;
import io.sparkeras.ps.codecs.MessageHeaderDecoder;
import io.sparkeras.ps.codecs.MessageHeaderEncoder;
import io.sparkeras.ps.codecs.MetricsDecoder;
import io.sparkeras.ps.codecs.ParamsChunkDecoder;
import io.sparkeras.ps.codecs.PullEncoder;
import io.sparkeras.ps.codecs.PushAckDecoder;
import io.sparkeras.ps.codecs.PushEncoder;
import io.sparkeras.ps.codecs.PushKind;
import io.sparkeras.ps.codecs.StepCompleteDecoder;
import io.sparkeras.ps.codecs.WelcomeDecoder;
import io.sparkeras.ps.protocol.HalfFloats;
import io.sparkeras.ps.protocol.HmacAuth;
import io.sparkeras.ps.protocol.MediaDrivers;
import io.sparkeras.ps.protocol.Protocol;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.UnsafeApi;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A worker's connection to the parameter server: connect, authenticate (HMAC challenge), push
 * gradients or weights, pull parameters, wait for a version. Blocking calls duty-cycle on the
 * caller's thread with the configured {@link IdleStrategy}; back pressure is retried until the
 * deadline. After {@link #connect} nothing is allocated per message. Not thread-safe: one client
 * per worker thread.
 *
 * <pre>{@code
 * try (ParameterServerClient ps = ParameterServerClient.connect(new ParameterServerClient.Context()
 *     .server("127.0.0.1:40123").jobId(42).secret(secret).partition(taskPartition))) {
 *   FloatBuffer params = FloatBuffer.allocate(ps.parameterCount());
 *   ps.pull(0, params);                       // initial weights
 *   for (long step = ps.version(); step < steps; step++) {
 *     computeGradient(params, grads);
 *     ps.pushGradient(epoch, step, grads);    // sync: every worker pushes step t ...
 *     ps.pull(step + 1, params);              // ... and gets version t + 1
 *   }
 * }
 * }</pre>
 */
public final class ParameterServerClient implements AutoCloseable {
  private static final int MAX_SHARDS = 1024;
  private static final int SCHEMA_ID = MessageHeaderDecoder.SCHEMA_ID;

  private final Context ctx;
  /** Loss and sample count sent with the push in progress (see pushGradient). */
  private float pushLoss = Float.NaN;
  private int pushSamples;
  private final MediaDriver driver;
  private final Aeron aeron;
  private final Subscription subscription;
  private final IdleStrategy idle;
  private final String replyEndpoint;
  private ExclusivePublication[] publications = new ExclusivePublication[MAX_SHARDS];
  private final HmacAuth auth;
  private final SecureRandom random = new SecureRandom();

  // Layout, from the shards' Welcome messages.
  private int shardCount = -1;
  private int totalLength;
  private int chunkFloats;
  private int workers;
  private int staleness;
  private TrainingMode mode;
  private Encoding encoding;
  private float threshold;
  private final int[] shardOffset = new int[MAX_SHARDS];
  private final int[] shardLength = new int[MAX_SHARDS];
  private final int[] shardChunks = new int[MAX_SHARDS];
  private final long[] clientNonce = new long[MAX_SHARDS];
  private final long[] serverNonce = new long[MAX_SHARDS];
  private final boolean[] challenged = new boolean[MAX_SHARDS];
  private final boolean[] welcomed = new boolean[MAX_SHARDS];
  private final long[] shardVersion = new long[MAX_SHARDS];

  // Push in progress, sent in parts (pushGradientFrom): shard s still has chunks [0, unsent[s]) to
  // send; chunks [unsent[s], shardChunks[s]) are sent.
  private boolean pushOpen;
  private PushKind openKind;
  private int openEpoch;
  private long openStep;
  private int openBase;
  private final int[] unsent = new int[MAX_SHARDS];
  private final int[] readyFrom = new int[MAX_SHARDS];

  // Pull in progress (beginPull .. awaitPull); a shard whose push is still open is asked later.
  private long requestId;
  private FloatBuffer pullDest;
  private int pullBase;
  private long pullWaitFor;
  private final boolean[] pullAsked = new boolean[MAX_SHARDS];
  private final int[] chunksReceived = new int[MAX_SHARDS];
  private final long[] pullVersion = new long[MAX_SHARDS];
  private int shardsComplete;

  // Metrics request in progress.
  private int metricsShard = -1;
  private long[] metricsValues;
  private boolean metricsReceived;

  private long acks;
  private long duplicateAcks;
  private String error;
  private float[] residual;

  private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
  private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
  private final ChallengeDecoder challengeDecoder = new ChallengeDecoder();
  private final WelcomeDecoder welcomeDecoder = new WelcomeDecoder();
  private final PushAckDecoder ackDecoder = new PushAckDecoder();
  private final ParamsChunkDecoder chunkDecoder = new ParamsChunkDecoder();
  private final StepCompleteDecoder stepDecoder = new StepCompleteDecoder();
  private final ErrorDecoder errorDecoder = new ErrorDecoder();
  private final MetricsDecoder metricsDecoder = new MetricsDecoder();
  private final HelloEncoder helloEncoder = new HelloEncoder();
  private final AuthEncoder authEncoder = new AuthEncoder();
  private final PushEncoder pushEncoder = new PushEncoder();
  private final PullEncoder pullEncoder = new PullEncoder();
  private final HeartbeatEncoder heartbeatEncoder = new HeartbeatEncoder();
  private final ByeEncoder byeEncoder = new ByeEncoder();
  private final UnsafeBuffer sendBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(128 * 1024));
  private final BufferClaim claim = new BufferClaim();
  private final byte[] macScratch = new byte[HmacAuth.MAC_LENGTH];
  private final FragmentHandler handler = this::onFragment;
  private final UnsafeBuffer userView = new UnsafeBuffer(0, 0);

  private ParameterServerClient(Context ctx) {
    this.ctx = ctx.conclude();
    this.idle = ctx.idleStrategySupplier.get();
    this.auth = new HmacAuth(ctx.secret);
    MediaDriver launched = null;
    Aeron connected = null;
    try {
      if (ctx.launchEmbeddedDriver) {
        launched = MediaDrivers.launch(ctx.aeronDirectoryName, ctx.mtuLength, ctx.termLength,
            ctx.socketBufferLength, ctx.receiverWindowLength, ctx.dedicatedDriverThreads);
      }
      connected = Aeron.connect(new Aeron.Context().aeronDirectoryName(ctx.aeronDirectoryName));
      this.driver = launched;
      this.aeron = connected;
      if (ctx.ipc) {
        this.subscription = aeron.addSubscription(
            Protocol.ipcChannel(ctx.mtuLength, ctx.termLength), ctx.replyStreamId);
        this.replyEndpoint = Protocol.IPC_ENDPOINT;
      } else {
        this.subscription = aeron.addSubscription(Protocol.udpChannel(ctx.replyHost + ":0",
            ctx.mtuLength, ctx.termLength, ctx.socketBufferLength, ctx.receiverWindowLength),
            ctx.replyStreamId);
        long deadline = System.nanoTime() + ctx.timeoutNs;
        String resolved;
        while ((resolved = subscription.resolvedEndpoint()) == null) {
          if (expired(deadline)) {
            throw timeout("reply subscription did not bind on " + ctx.replyHost);
          }
          idle.idle();
        }
        this.replyEndpoint = resolved;
      }
      handshake();
    } catch (RuntimeException e) {
      CloseHelper.quietClose(connected);
      CloseHelper.quietClose(launched);
      throw e;
    }
  }

  /** Connects to every shard and authenticates; throws {@link ParameterServerException} on failure. */
  public static ParameterServerClient connect(Context ctx) {
    return new ParameterServerClient(ctx);
  }

  private void handshake() {
    long deadline = System.nanoTime() + ctx.timeoutNs;
    openShard(0);
    sendHello(0, deadline);
    awaitWelcome(0, deadline);
    if (ctx.servers.length > shardCount) {
      throw new ParameterServerException("parameter server: " + ctx.servers.length
          + " server nodes were given but the job has " + shardCount + " shards (each node runs"
          + " at least one)");
    }
    for (int s = 1; s < shardCount; s++) {
      openShard(s);
    }
    for (int s = 1; s < shardCount; s++) {
      sendHello(s, deadline);
    }
    for (int s = 1; s < shardCount; s++) {
      awaitWelcome(s, deadline);
    }
  }

  /** Address of the server node that runs shard {@code s} (shard 0: the first node). */
  private String endpointOf(int s) {
    return ctx.servers[s == 0 ? 0 : Protocol.nodeOfShard(s, shardCount, ctx.servers.length)];
  }

  private void openShard(int s) {
    String channel = ctx.ipc ? Protocol.ipcChannel(ctx.mtuLength, ctx.termLength)
        : Protocol.udpChannel(endpointOf(s), ctx.mtuLength, ctx.termLength,
            ctx.socketBufferLength, ctx.receiverWindowLength);
    publications[s] = aeron.addExclusivePublication(channel, ctx.streamIdBase + s);
  }

  private void sendHello(int s, long deadline) {
    clientNonce[s] = random.nextLong();
    helloEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
        .jobId(ctx.jobId).workerId(ctx.workerId).partition(ctx.partition)
        .clientNonce(clientNonce[s]).replyStreamId(ctx.replyStreamId).replyEndpoint(replyEndpoint);
    offer(s, MessageHeaderEncoder.ENCODED_LENGTH + helloEncoder.encodedLength(), deadline,
        "hello");
  }

  private void awaitWelcome(int s, long deadline) {
    while (!challenged[s]) {
      if (pollOnce(deadline)) {
        throw timeout("no challenge from shard " + s + " at " + endpointOf(s)
            + " (is the server up, the stream id base " + ctx.streamIdBase + " right?)");
      }
    }
    auth.prove(ctx.jobId, ctx.workerId, ctx.partition, s, clientNonce[s], serverNonce[s], macScratch);
    authEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
        .jobId(ctx.jobId).workerId(ctx.workerId).putMac(macScratch, 0, macScratch.length);
    offer(s, MessageHeaderEncoder.ENCODED_LENGTH + authEncoder.encodedLength(), deadline, "auth");
    while (!welcomed[s]) {
      if (pollOnce(deadline)) {
        throw timeout("no welcome from shard " + s + " after authentication");
      }
    }
  }

  /** One duty cycle of reading replies; true if nothing came and the deadline has passed. */
  private boolean pollOnce(long deadline) {
    int n = subscription.poll(handler, 256);
    if (error != null) {
      throw new ParameterServerException(error);
    }
    if (n == 0 && expired(deadline)) {
      return true;
    }
    idle.idle(n);
    return false;
  }

  /**
   * True once {@code deadline} has passed; throws at once when the caller's cancellation check
   * says so (a killed Spark task must give up its slot now, not at the deadline).
   */
  private boolean expired(long deadline) {
    if (ctx.cancelled != null && ctx.cancelled.getAsBoolean()) {
      throw new ParameterServerException("parameter server client (partition " + ctx.partition
          + "): cancelled by its caller while waiting");
    }
    return System.nanoTime() - deadline > 0;
  }

  /** Built only when a wait failed, so waiting allocates nothing. */
  private ParameterServerException timeout(String what) {
    return new ParameterServerException("parameter server: " + what + " within "
        + TimeUnit.NANOSECONDS.toMillis(ctx.timeoutNs) + " ms");
  }

  private void offer(int shard, int length, long deadline, String what) {
    ExclusivePublication pub = publications[shard];
    while (true) {
      long result = pub.offer(sendBuffer, 0, length);
      if (result > 0) {
        idle.reset();
        return;
      }
      handleOfferFailure(result, shard, deadline, what);
    }
  }

  private void handleOfferFailure(long result, int shard, long deadline, String what) {
    if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
      throw new ParameterServerException("parameter server: publication to shard " + shard
          + " closed while sending " + what);
    }
    // BACK_PRESSURED, NOT_CONNECTED, ADMIN_ACTION: keep reading replies, back off, retry.
    subscription.poll(handler, 64);
    if (error != null) {
      throw new ParameterServerException(error);
    }
    if (expired(deadline)) {
      throw timeout((result == Publication.NOT_CONNECTED ? "shard " + shard + " at "
          + endpointOf(shard)
          + " not connected" : "shard " + shard + " back pressured") + " sending " + what);
    }
    idle.idle();
  }

  // ---------------------------------------------------------------------------------------------
  // Public API

  /** Length of the flat parameter vector. */
  public int parameterCount() {
    return totalLength;
  }

  /** Number of shards. */
  public int shardCount() {
    return shardCount;
  }

  /** The job's mode. */
  public TrainingMode mode() {
    return mode;
  }

  /** The job's staleness bound (async). */
  public int staleness() {
    return staleness;
  }

  /** Number of workers of the job. */
  public int workers() {
    return workers;
  }

  /** Lowest version any shard has announced to this client. */
  public long version() {
    long min = Long.MAX_VALUE;
    for (int s = 0; s < shardCount; s++) {
      min = Math.min(min, shardVersion[s]);
    }
    return min;
  }

  /** Pushes acknowledged so far (per shard and push), and how many of them were duplicates. */
  public long acks() {
    return acks;
  }

  public long duplicateAcks() {
    return duplicateAcks;
  }

  /**
   * Pushes a gradient (mean over this worker's batch) for {@code step}: sync, the version the
   * gradient was computed at; async, this worker's push count. Every element from
   * {@code gradients.position()} on, {@link #parameterCount()} of them, is sent. A repeat of an
   * already received (epoch, partition, step) is acknowledged and never applied twice.
   */
  public void pushGradient(int epoch, long step, FloatBuffer gradients) {
    pushGradient(epoch, step, gradients, Float.NaN, 0);
  }

  /**
   * As {@link #pushGradient(int, long, FloatBuffer)}, with this step's training loss over the
   * worker's {@code samples} rows: the server keeps their sample-weighted sum for the driver's
   * live progress ({@code ParameterServer.trainingLoss()}).
   */
  public void pushGradient(int epoch, long step, FloatBuffer gradients, float loss, int samples) {
    pushGradientFrom(epoch, step, gradients, 0, loss, samples);
  }

  /**
   * Pushes the part of step {@code step}'s gradient that is final: every chunk lying entirely at
   * or after float {@code from} (relative to {@code gradients.position()}) that this push has not
   * sent yet. A backward pass finishes gradients from the last layer to the first, so a worker
   * that learns when each layer group is done (like PyTorch DDP's buckets) calls this with a
   * falling {@code from} while backward still runs, and finally with {@code from = 0}, which
   * completes the push. Calls for another (epoch, step) start a new push. The loss and sample
   * count are those of the whole step (the same in every call).
   *
   * <pre>{@code
   * ps.beginPull(step + 1, params);           // each shard is asked once its part is pushed
   * for (int g = groups - 1; g >= 0; g--) {
   *   backwardOf(g);                          // gradients[groupStart[g], groupEnd[g]) are final
   *   ps.pushGradientFrom(epoch, step, gradients, groupStart[g], loss, samples);
   * }
   * ps.awaitPull();                           // the shards pushed first answered meanwhile
   * }</pre>
   */
  public void pushGradientFrom(int epoch, long step, FloatBuffer gradients, int from, float loss,
      int samples) {
    pushLoss = loss;
    pushSamples = samples;
    push(PushKind.GRADIENT, epoch, step, gradients, from);
  }

  /** Averaging mode: pushes this worker's weights for averaging round {@code round}. */
  public void pushWeights(int epoch, long round, FloatBuffer weights) {
    pushWeights(epoch, round, weights, Float.NaN, 0);
  }

  /** As {@link #pushWeights(int, long, FloatBuffer)}, with the round's loss over its samples. */
  public void pushWeights(int epoch, long round, FloatBuffer weights, float loss, int samples) {
    pushLoss = loss;
    pushSamples = samples;
    push(PushKind.WEIGHTS, epoch, round, weights, 0);
  }

  /**
   * Sends the chunks of the push (kind, epoch, step) that lie at or after {@code from} and were
   * not sent yet, shards interleaved chunk by chunk; a shard whose last chunk goes out gets its
   * pending pull request at once. {@code from == 0} completes the push.
   */
  private void push(PushKind kind, int epoch, long step, FloatBuffer values, int from) {
    throwIfFailed();
    if (values.remaining() < totalLength) {
      throw new IllegalArgumentException("push: " + values.remaining() + " floats given, the model has "
          + totalLength);
    }
    if (from < 0 || from > totalLength) {
      throw new IllegalArgumentException("push: from must be in [0, " + totalLength + "], found "
          + from);
    }
    Encoding enc = kind == PushKind.WEIGHTS && encoding == Encoding.THRESHOLD ? Encoding.FLOAT32 : encoding;
    if (enc == Encoding.THRESHOLD && residual == null) {
      residual = new float[totalLength];
    }
    int base = values.position();
    if (!pushOpen || openKind != kind || openEpoch != epoch || openStep != step
        || openBase != base) {
      pushOpen = true;
      openKind = kind;
      openEpoch = epoch;
      openStep = step;
      openBase = base;
      System.arraycopy(shardChunks, 0, unsent, 0, shardCount);
    }
    long deadline = System.nanoTime() + ctx.timeoutNs;
    int span = 0;
    for (int s = 0; s < shardCount; s++) {
      // the first chunk of shard s that lies entirely at or after from
      long first = ((long) from - shardOffset[s] + chunkFloats - 1) / chunkFloats;
      readyFrom[s] = (int) Math.max(0, Math.min(first, unsent[s]));
      span = Math.max(span, unsent[s] - readyFrom[s]);
    }
    for (int k = 0; k < span; k++) {
      for (int s = 0; s < shardCount; s++) {
        int c = readyFrom[s] + k;
        if (c < unsent[s]) {
          pushChunk(kind, epoch, step, values, base, s, c, enc, deadline);
        }
      }
      if ((k & 15) == 15) {
        subscription.poll(handler, 64);
        throwIfFailed();
      }
    }
    boolean open = false;
    for (int s = 0; s < shardCount; s++) {
      boolean had = unsent[s] > 0;
      unsent[s] = readyFrom[s];
      if (had && unsent[s] == 0 && pullDest != null && !pullAsked[s]) {
        sendPull(s, deadline);
      }
      open |= unsent[s] > 0;
    }
    pushOpen = open;
  }

  private void pushChunk(PushKind kind, int epoch, long step, FloatBuffer values, int base, int s,
      int c, Encoding enc, long deadline) {
    int floats = Protocol.chunkLength(shardLength[s], chunkFloats, c);
    int from = base + shardOffset[s] + c * chunkFloats;
    if (enc == Encoding.THRESHOLD) {
      int n = encodePushHeader(sendBuffer, 0, kind, epoch, step, s, c, enc);
      int count = 0;
      int at = n + 4;
      int r = shardOffset[s] + c * chunkFloats;
      for (int i = 0; i < floats; i++) {
        float acc = residual[r + i] + values.get(from + i);
        if (acc >= threshold) {
          sendBuffer.putInt(at + 4 * count++, i << 1, ByteOrder.LITTLE_ENDIAN);
          acc -= threshold;
        } else if (acc <= -threshold) {
          sendBuffer.putInt(at + 4 * count++, (i << 1) | 1, ByteOrder.LITTLE_ENDIAN);
          acc += threshold;
        }
        residual[r + i] = acc;
      }
      sendBuffer.putInt(n, count * 4, ByteOrder.LITTLE_ENDIAN);
      offer(s, n + 4 + count * 4, deadline, "push");
      return;
    }
    int bpf = Protocol.bytesPerFloat(enc);
    int length = MessageHeaderEncoder.ENCODED_LENGTH + PushEncoder.BLOCK_LENGTH + 4 + floats * bpf;
    ExclusivePublication pub = publications[s];
    long result;
    while ((result = pub.tryClaim(length, claim)) <= 0) {
      handleOfferFailure(result, s, deadline, "push");
    }
    idle.reset();
    MutableDirectBuffer out = claim.buffer();
    int n = encodePushHeader(out, claim.offset(), kind, epoch, step, s, c, enc);
    out.putInt(n, floats * bpf, ByteOrder.LITTLE_ENDIAN);
    int at = n + 4;
    long address = directAddress(values);
    if (enc == Encoding.FLOAT32 && address != 0) {
      userView.wrap(address + (long) from * Float.BYTES, floats * Float.BYTES);
      out.putBytes(at, userView, 0, floats * Float.BYTES);
    } else if (enc == Encoding.FLOAT32) {
      for (int i = 0; i < floats; i++) {
        out.putFloat(at + 4 * i, values.get(from + i), ByteOrder.LITTLE_ENDIAN);
      }
    } else if (enc == Encoding.FP16) {
      for (int i = 0; i < floats; i++) {
        out.putShort(at + 2 * i, HalfFloats.toFp16(values.get(from + i)), ByteOrder.LITTLE_ENDIAN);
      }
    } else {
      for (int i = 0; i < floats; i++) {
        out.putShort(at + 2 * i, HalfFloats.toBf16(values.get(from + i)), ByteOrder.LITTLE_ENDIAN);
      }
    }
    claim.commit();
  }

  /** Encodes header + Push block at {@code offset}; returns the offset of the payload length field. */
  private int encodePushHeader(MutableDirectBuffer buffer, int offset, PushKind kind, int epoch,
      long step, int s, int c, Encoding enc) {
    pushEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
        .jobId(ctx.jobId).workerId(ctx.workerId).shardId(s).epoch(epoch).partition(ctx.partition)
        .step(step).chunkIndex(c).chunkCount(shardChunks[s]).kind(kind).encoding(enc)
        .loss(pushLoss).samples(pushSamples);
    return pushEncoder.limit();
  }

  /**
   * Pulls the parameters into {@code dest} from {@code dest.position()} on. Each shard answers
   * when {@code waitFor} is reached: sync and averaging, its version is at least {@code waitFor};
   * async, every worker has pushed at least {@code waitFor} times (pass your push count + 1 minus
   * the staleness). Returns the lowest version among the shards' answers.
   */
  public long pull(long waitFor, FloatBuffer dest) {
    beginPull(waitFor, dest);
    return awaitPull();
  }

  /**
   * Starts {@link #pull(long, FloatBuffer)} without waiting: every shard is asked now (a sync
   * shard keeps the request until its step is complete), except those whose part of a push
   * begun with {@link #pushGradientFrom} is still to be sent, which are asked the moment it is. Chunks that arrive while this thread pushes are written into
   * {@code dest} then, so a shard pushed early streams its new parameters back while later shards
   * are still being pushed (a link carries both directions at once). Finish with
   * {@link #awaitPull()}; {@code dest} must not be used until then.
   */
  public void beginPull(long waitFor, FloatBuffer dest) {
    throwIfFailed();
    if (dest.remaining() < totalLength) {
      throw new IllegalArgumentException("pull: room for " + dest.remaining() + " floats, the model has "
          + totalLength);
    }
    if (pullDest != null) {
      throw new IllegalStateException("pull: the pull begun for " + pullWaitFor
          + " was not awaited (awaitPull)");
    }
    long deadline = System.nanoTime() + ctx.timeoutNs;
    requestId++;
    pullDest = dest;
    pullBase = dest.position();
    pullWaitFor = waitFor;
    shardsComplete = 0;
    Arrays.fill(chunksReceived, 0, shardCount, 0);
    Arrays.fill(pullAsked, 0, shardCount, false);
    for (int s = 0; s < shardCount; s++) {
      if (!pushOpen || unsent[s] == 0) {
        sendPull(s, deadline);
      }
    }
  }

  private void sendPull(int s, long deadline) {
    pullAsked[s] = true;
    pullEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
        .jobId(ctx.jobId).workerId(ctx.workerId).shardId(s).requestId(requestId)
        .waitFor(pullWaitFor);
    offer(s, MessageHeaderEncoder.ENCODED_LENGTH + pullEncoder.encodedLength(), deadline, "pull");
  }

  /**
   * Waits for the pull begun with {@link #beginPull}; returns the lowest version among the
   * shards' answers. Every push it depends on must be complete (a shard still waiting for its
   * part of an open push is an {@link IllegalStateException}).
   */
  public long awaitPull() {
    if (pullDest == null) {
      throw new IllegalStateException("awaitPull: no pull was begun");
    }
    for (int s = 0; s < shardCount; s++) {
      if (pushOpen && unsent[s] > 0) {
        pullDest = null;
        throw new IllegalStateException("awaitPull: shard " + s + " still waits for its part of"
            + " the push of step " + openStep + " (finish it with from = 0)");
      }
    }
    long deadline = System.nanoTime() + ctx.timeoutNs;
    try {
      while (shardsComplete < shardCount) {
        if (pollOnce(deadline)) {
          throw timeout("pull (waiting for " + pullWaitFor + ") not answered by all "
              + shardCount + " shards");
        }
      }
    } finally {
      pullDest = null;
    }
    long min = Long.MAX_VALUE;
    for (int s = 0; s < shardCount; s++) {
      min = Math.min(min, pullVersion[s]);
    }
    return min;
  }

  /** Blocks until every shard has announced a version of at least {@code version}. */
  public void waitForVersion(long version) {
    long deadline = System.nanoTime() + ctx.timeoutNs;
    while (version() < version) {
      if (pollOnce(deadline)) {
        throw timeout("version " + version + " not reached");
      }
    }
  }

  /** Asks shard {@code shard} for its counters (indexed by {@code ShardCounter.ordinal()}). */
  public long[] metrics(int shard) {
    long deadline = System.nanoTime() + ctx.timeoutNs;
    metricsShard = shard;
    metricsReceived = false;
    heartbeatEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
        .jobId(ctx.jobId).workerId(ctx.workerId).timestampNs(System.nanoTime());
    offer(shard, MessageHeaderEncoder.ENCODED_LENGTH + heartbeatEncoder.encodedLength(), deadline,
        "heartbeat");
    while (!metricsReceived) {
      if (pollOnce(deadline)) {
        throw timeout("no metrics from shard " + shard);
      }
    }
    metricsShard = -1;
    return metricsValues.clone();
  }

  private void throwIfFailed() {
    if (error != null) {
      throw new ParameterServerException(error);
    }
  }

  /** Says bye to every shard (best effort) and releases the connection and the embedded driver. */
  @Override
  public void close() {
    try {
      for (int s = 0; s < Math.max(shardCount, 1); s++) {
        if (publications[s] != null && publications[s].isConnected()) {
          byeEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
              .jobId(ctx.jobId).workerId(ctx.workerId);
          publications[s].offer(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + byeEncoder.encodedLength());
        }
      }
    } finally {
      CloseHelper.quietClose(aeron);
      CloseHelper.quietClose(driver);
    }
  }

  /**
   * Address of element 0 of a direct little-endian float buffer (then floats are copied with
   * memcpy, not one by one), or 0 for heap or big-endian buffers.
   */
  private static long directAddress(FloatBuffer b) {
    if (!b.isDirect() || b.order() != ByteOrder.LITTLE_ENDIAN) {
      return 0;
    }
    return UnsafeApi.getLong(b, BufferUtil.BYTE_BUFFER_ADDRESS_FIELD_OFFSET);
  }

  // ---------------------------------------------------------------------------------------------
  // Receive path: every field bounds-checked, nothing allocated.

  private void onFragment(DirectBuffer buffer, int offset, int length, Header header) {
    if ((header.flags() & FrameDescriptor.UNFRAGMENTED) != FrameDescriptor.UNFRAGMENTED
        || length < MessageHeaderDecoder.ENCODED_LENGTH) {
      return;
    }
    headerDecoder.wrap(buffer, offset);
    int blockLength = headerDecoder.blockLength();
    int version = headerDecoder.version();
    int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
    int end = offset + length;
    if (headerDecoder.schemaId() != SCHEMA_ID || body + blockLength > end) {
      return;
    }
    switch (headerDecoder.templateId()) {
      case ChallengeDecoder.TEMPLATE_ID: {
        if (blockLength < ChallengeDecoder.BLOCK_LENGTH) {
          return;
        }
        challengeDecoder.wrap(buffer, body, blockLength, version);
        int s = challengeDecoder.shardId();
        if (s >= 0 && s < MAX_SHARDS && challengeDecoder.workerId() == ctx.workerId) {
          serverNonce[s] = challengeDecoder.serverNonce();
          challenged[s] = true;
        }
        break;
      }
      case WelcomeDecoder.TEMPLATE_ID:
        if (blockLength >= WelcomeDecoder.BLOCK_LENGTH) {
          welcomeDecoder.wrap(buffer, body, blockLength, version);
          onWelcome(welcomeDecoder);
        }
        break;
      case ParamsChunkDecoder.TEMPLATE_ID:
        if (blockLength >= ParamsChunkDecoder.BLOCK_LENGTH) {
          chunkDecoder.wrap(buffer, body, blockLength, version);
          onChunk(buffer, end);
        }
        break;
      case PushAckDecoder.TEMPLATE_ID:
        if (blockLength >= PushAckDecoder.BLOCK_LENGTH) {
          ackDecoder.wrap(buffer, body, blockLength, version);
          acks++;
          if (ackDecoder.statusRaw() == 2) {
            duplicateAcks++;
          }
        }
        break;
      case StepCompleteDecoder.TEMPLATE_ID:
        if (blockLength >= StepCompleteDecoder.BLOCK_LENGTH) {
          stepDecoder.wrap(buffer, body, blockLength, version);
          int s = stepDecoder.shardId();
          if (s >= 0 && s < shardCount) {
            shardVersion[s] = Math.max(shardVersion[s], stepDecoder.version());
          }
        }
        break;
      case ErrorDecoder.TEMPLATE_ID:
        if (blockLength >= ErrorDecoder.BLOCK_LENGTH) {
          errorDecoder.wrap(buffer, body, blockLength, version);
          onError(buffer, end);
        }
        break;
      case MetricsDecoder.TEMPLATE_ID:
        if (blockLength >= MetricsDecoder.BLOCK_LENGTH) {
          metricsDecoder.wrap(buffer, body, blockLength, version);
          onMetrics(end);
        }
        break;
      default:
        break;
    }
  }

  private void onWelcome(WelcomeDecoder d) {
    int s = d.shardId();
    int count = d.shardCount();
    if (s < 0 || s >= MAX_SHARDS || count < 1 || count > MAX_SHARDS || d.workerId() != ctx.workerId
        || (shardCount > 0 && count != shardCount) || d.chunkFloats() < 16 || d.shardLength() < 1
        || TrainingMode.fromWire(d.modeRaw()) == null || d.encodingRaw() > 3) {
      error = "parameter server: invalid welcome from shard " + s;
      return;
    }
    shardCount = count;
    totalLength = d.totalLength();
    chunkFloats = d.chunkFloats();
    workers = d.workers();
    staleness = d.staleness();
    mode = TrainingMode.fromWire(d.modeRaw());
    encoding = d.encoding();
    threshold = d.threshold();
    shardOffset[s] = d.shardOffset();
    shardLength[s] = d.shardLength();
    shardChunks[s] = Protocol.chunkCount(shardLength[s], chunkFloats);
    shardVersion[s] = d.version();
    int needed = MessageHeaderEncoder.ENCODED_LENGTH + PushEncoder.BLOCK_LENGTH + 4 + chunkFloats * 4;
    if (needed > publications[s].maxPayloadLength()) {
      error = "parameter server: shard chunks of " + chunkFloats + " floats need an MTU of at least "
          + (needed + 32) + "; this client's MTU is " + ctx.mtuLength;
      return;
    }
    welcomed[s] = true;
  }

  private void onChunk(DirectBuffer buffer, int end) {
    ParamsChunkDecoder d = chunkDecoder;
    int s = d.shardId();
    if (pullDest == null || d.requestId() != requestId || s < 0 || s >= shardCount) {
      return;
    }
    int c = d.chunkIndex();
    short encRaw = d.encodingRaw();
    if (c < 0 || c >= shardChunks[s] || d.chunkCount() != shardChunks[s] || encRaw < 0 || encRaw > 2) {
      return;
    }
    int floats = Protocol.chunkLength(shardLength[s], chunkFloats, c);
    int lenAt = d.limit();
    if (lenAt + 4 > end) {
      return;
    }
    int bpf = encRaw == 0 ? 4 : 2;
    long n = buffer.getInt(lenAt, ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL;
    if (n != (long) floats * bpf || lenAt + 4 + n != end) {
      return;
    }
    int at = lenAt + 4;
    int to = pullBase + shardOffset[s] + c * chunkFloats;
    FloatBuffer dest = pullDest;
    long address = directAddress(dest);
    if (encRaw == 0 && address != 0) {
      userView.wrap(address + (long) to * Float.BYTES, floats * Float.BYTES);
      userView.putBytes(0, buffer, at, floats * Float.BYTES);
    } else if (encRaw == 0) {
      for (int i = 0; i < floats; i++) {
        dest.put(to + i, buffer.getFloat(at + 4 * i, ByteOrder.LITTLE_ENDIAN));
      }
    } else if (encRaw == 1) {
      for (int i = 0; i < floats; i++) {
        dest.put(to + i, HalfFloats.fromFp16(buffer.getShort(at + 2 * i, ByteOrder.LITTLE_ENDIAN)));
      }
    } else {
      for (int i = 0; i < floats; i++) {
        dest.put(to + i, HalfFloats.fromBf16(buffer.getShort(at + 2 * i, ByteOrder.LITTLE_ENDIAN)));
      }
    }
    if (chunksReceived[s] == 0) {
      pullVersion[s] = d.version();
    } else {
      pullVersion[s] = Math.min(pullVersion[s], d.version());
    }
    shardVersion[s] = Math.max(shardVersion[s], d.version());
    if (++chunksReceived[s] == shardChunks[s]) {
      shardsComplete++;
    }
  }

  private void onError(DirectBuffer buffer, int end) {
    ErrorDecoder d = errorDecoder;
    int lenAt = d.limit();
    if (lenAt + 4 > end) {
      return;
    }
    long n = buffer.getInt(lenAt, ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL;
    if (lenAt + 4 + n != end || n > 4096) {
      return;
    }
    if (error == null) {
      String code = d.codeRaw() >= 1 && d.codeRaw() <= 5 ? d.code().name() : "ERROR";
      error = "parameter server " + code + ": " + d.message();
    }
  }

  private void onMetrics(int end) {
    MetricsDecoder d = metricsDecoder;
    if (d.shardId() != metricsShard) {
      return;
    }
    int lim = d.limit();
    if (lim + 4 > end) {
      return;
    }
    MetricsDecoder.CountersDecoder group = d.counters();
    int count = group.count();
    if (lim + 4 + (long) count * MetricsDecoder.CountersDecoder.sbeBlockLength() > end) {
      return;
    }
    if (metricsValues == null || metricsValues.length < count) {
      metricsValues = new long[count];
    }
    for (int i = 0; i < count; i++) {
      group.next();
      int id = group.counterId();
      if (id >= 0 && id < count) {
        metricsValues[id] = group.value();
      }
    }
    metricsReceived = true;
  }

  /** Settings of a client; {@link #conclude()} validates them once. */
  public static final class Context {
    private String[] servers = {ParameterServerContext.BIND_DEFAULT};
    private int streamIdBase = ParameterServerContext.STREAM_ID_BASE_DEFAULT;
    private String replyHost = "127.0.0.1";
    private int replyStreamId = 2001;
    private boolean replyStreamIdSet;
    private boolean ipc;
    private java.util.function.BooleanSupplier cancelled;
    private long jobId;
    private byte[] secret;
    private int workerId = -1;
    private int partition;
    private long timeoutNs = TimeUnit.SECONDS.toNanos(120);
    private int mtuLength = Integer.getInteger(ParameterServerContext.MTU_LENGTH_PROP_NAME,
        ParameterServerContext.MTU_LENGTH_DEFAULT);
    private int termLength = Integer.getInteger(ParameterServerContext.TERM_LENGTH_PROP_NAME,
        ParameterServerContext.TERM_LENGTH_DEFAULT);
    private int socketBufferLength = Integer.getInteger(ParameterServerContext.SOCKET_BUFFER_PROP_NAME,
        ParameterServerContext.SOCKET_BUFFER_DEFAULT);
    private int receiverWindowLength = Integer.getInteger(ParameterServerContext.RECEIVER_WINDOW_PROP_NAME,
        ParameterServerContext.RECEIVER_WINDOW_DEFAULT);
    private boolean launchEmbeddedDriver = true;
    private boolean dedicatedDriverThreads;
    private String aeronDirectoryName;
    private String driverDirectoryParent;
    private Supplier<IdleStrategy> idleStrategySupplier =
        () -> new BackoffIdleStrategy(100, 10, 1_000, 100_000);
    private boolean concluded;

    /** Validates the settings; throws {@link IllegalArgumentException} naming the setting. */
    public Context conclude() {
      if (concluded) {
        return this;
      }
      check(ipc || servers.length >= 1, "servers", "at least one server node is required");
      for (String server : servers) {
        check(ipc || Protocol.isValidEndpoint(server), servers.length == 1 ? "server" : "servers",
            "expected host:port, found '" + server + "'");
      }
      check(!ipc || servers.length == 1, "ipc",
          "shared memory reaches one server node (this host's), found " + servers.length);
      check(!ipc || !launchEmbeddedDriver, "ipc",
          "needs the server's media driver: launchEmbeddedDriver(false) + its aeronDirectoryName");
      if (ipc && !replyStreamIdSet) {
        // every IPC subscriber of a stream sees every message on it: one stream per client
        replyStreamId = (1 << 20) + new SecureRandom().nextInt(1 << 29);
      }
      check(Protocol.isValidEndpoint(replyHost + ":1"), "replyHost", "invalid host '" + replyHost + "'");
      check(secret != null && secret.length >= HmacAuth.MIN_SECRET_LENGTH, "secret",
          "at least " + HmacAuth.MIN_SECRET_LENGTH + " bytes required");
      check(partition >= 0, "partition", "must be >= 0");
      check(timeoutNs > 0, "timeout", "must be positive");
      check(replyStreamId > 0, "replyStreamId", "must be positive");
      check(mtuLength >= 1408 && mtuLength <= 65504 && mtuLength % 32 == 0, "mtuLength",
          "must be a multiple of 32 in [1408, 65504]");
      check(Integer.bitCount(termLength) == 1 && termLength >= 64 * 1024, "termLength",
          "must be a power of two >= 64 KiB");
      check(receiverWindowLength >= mtuLength && receiverWindowLength <= termLength / 2,
          "receiverWindowLength", "must be in [mtu, termLength / 2]");
      if (workerId < 0) {
        workerId = new SecureRandom().nextInt() & Integer.MAX_VALUE;
      }
      if (launchEmbeddedDriver && aeronDirectoryName == null) {
        aeronDirectoryName = MediaDrivers.newDirectoryName(driverDirectoryParent, "sparkeras-psc");
      }
      check(aeronDirectoryName != null, "aeronDirectoryName", "required without an embedded driver");
      concluded = true;
      return this;
    }

    private static void check(boolean ok, String key, String message) {
      if (!ok) {
        throw new IllegalArgumentException("parameter server client setting '" + key + "': " + message);
      }
    }

    /** Server address {@code host:port} (a job whose shards all run in one server process). */
    public Context server(String v) { servers = new String[] {v}; return this; }
    /**
     * The server nodes' addresses {@code host:port}, in node order, when the job's shards are
     * spread over several server processes ({@code ParameterServerContext.nodes(count, index)}):
     * shard s is reached at the node that runs it ({@code Protocol.nodeOfShard}).
     *
     * <pre>{@code
     * ctx.servers("10.0.0.5:40123", "10.0.0.6:40123");   // 2 nodes, e.g. 4 shards: 0-1, 2-3
     * }</pre>
     */
    public Context servers(String... v) { servers = v.clone(); return this; }
    /** First stream id of the server's shards. */
    public Context streamIdBase(int v) { streamIdBase = v; return this; }
    /** Address this client receives on (an ephemeral port is bound). */
    public Context replyHost(String v) { replyHost = v; return this; }
    /** Stream id of replies (default 2001 over UDP, a random one per client over IPC). */
    public Context replyStreamId(int v) { replyStreamId = v; replyStreamIdSet = true; return this; }
    /**
     * Talk to the server over shared memory ({@code aeron:ipc}) through the server's own media
     * driver: for clients on the server's host, with {@code launchEmbeddedDriver(false)} and
     * {@code aeronDirectoryName} = the server's. {@link #server} is then not used.
     */
    public Context ipc(boolean v) { ipc = v; return this; }
    /**
     * Checked while a call waits (must not allocate): when it returns true the call throws
     * {@link ParameterServerException} at once instead of waiting for its deadline. A Spark task
     * passes {@code TaskContext::isInterrupted}.
     */
    public Context cancelled(java.util.function.BooleanSupplier v) { cancelled = v; return this; }
    /** Job to join. */
    public Context jobId(long v) { jobId = v; return this; }
    /** The job's secret. */
    public Context secret(byte[] v) { secret = v.clone(); return this; }
    /** Identity of this worker process (default random); a retried task may reuse its partition. */
    public Context workerId(int v) { workerId = v; return this; }
    public int workerId() { return workerId; }
    /** Partition (worker slot, 0..workers-1) this client pushes for. */
    public Context partition(int v) { partition = v; return this; }
    /** Deadline of every blocking call. */
    public Context timeout(long v, TimeUnit unit) { timeoutNs = unit.toNanos(v); return this; }
    public Context mtuLength(int v) { mtuLength = v; return this; }
    public Context termLength(int v) { termLength = v; return this; }
    public Context socketBufferLength(int v) { socketBufferLength = v; return this; }
    public Context receiverWindowLength(int v) { receiverWindowLength = v; return this; }
    /** Launch an embedded driver (default) or use the one at {@link #aeronDirectoryName(String)}. */
    public Context launchEmbeddedDriver(boolean v) { launchEmbeddedDriver = v; return this; }
    public Context dedicatedDriverThreads(boolean v) { dedicatedDriverThreads = v; return this; }
    public Context aeronDirectoryName(String v) { aeronDirectoryName = v; return this; }
    public Context driverDirectoryParent(String v) { driverDirectoryParent = v; return this; }
    public Context idleStrategySupplier(Supplier<IdleStrategy> v) { idleStrategySupplier = v; return this; }
  }
}
