package io.sparkeras.ps.node;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.sparkeras.core.optim.schedules.LearningRateSchedule;
import io.sparkeras.ps.ParameterServerContext;
import io.sparkeras.ps.ParameterServerException;
import io.sparkeras.ps.codecs.AdminChallengeDecoder;
import io.sparkeras.ps.codecs.AdminHelloEncoder;
import io.sparkeras.ps.codecs.AdminKind;
import io.sparkeras.ps.codecs.AdminReplyDecoder;
import io.sparkeras.ps.codecs.AdminRequestEncoder;
import io.sparkeras.ps.codecs.AdminStatus;
import io.sparkeras.ps.codecs.MessageHeaderDecoder;
import io.sparkeras.ps.codecs.MessageHeaderEncoder;
import io.sparkeras.ps.codecs.NodeState;
import io.sparkeras.ps.protocol.AdminAuth;
import io.sparkeras.ps.protocol.Protocol;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A driver's admin session with one {@link ServerNode}: it proves the node's admin secret, then
 * initialises the node for a job (settings, sealed job secret, initial weights in chunks, or a
 * checkpoint to restore), reads its progress, triggers checkpoints, passes the learning rate on
 * and stops the job. Each request waits for its answer (bounded by the timeout); an answer other
 * than OK throws a {@link NodeAdminException} with the node's reason. One thread at a time.
 *
 * <pre>{@code
 * try (NodeAdminClient node = NodeAdminClient.connect(aeron, "10.0.0.5:40123", adminSecret,
 *     "10.0.0.2", ParameterServerContext.SOCKET_BUFFER_DEFAULT, 30_000)) {
 *   node.init(jobId, spec.nodes(2, 0), jobSecret, weights, false);
 *   NodeAdminClient.Reply r = node.status(jobId);          // r.stepsApplied(), r.lossSum() ...
 *   node.checkpoint(jobId, "hdfs://nn/jobs/42/ps.node0");
 *   node.stop(jobId);
 * }
 * }</pre>
 */
public final class NodeAdminClient implements AutoCloseable {
  /** A node's answer. {@code lossSum / lossSamples} is the job's training loss so far. */
  public record Reply(AdminStatus status, NodeState state, long jobId, long stepsApplied,
      double lossSum, long lossSamples, String message) {}

  /** A node refused or failed a request: {@link #status()} says how. */
  public static final class NodeAdminException extends ParameterServerException {
    private static final long serialVersionUID = 1L;
    private final transient AdminStatus status;

    NodeAdminException(AdminStatus status, String message) {
      super(message);
      this.status = status;
    }

    public AdminStatus status() {
      return status;
    }
  }

  private static final int MTU = ParameterServerContext.MTU_LENGTH_DEFAULT;
  private static final int TERM = 4 * 1024 * 1024;

  private final String node;
  private final Subscription subscription;
  private final ExclusivePublication publication;
  private final long timeoutNs;
  private final long clientNonce;
  private final IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 1_000_000);
  private final MessageHeaderDecoder header = new MessageHeaderDecoder();
  private final AdminChallengeDecoder challenge = new AdminChallengeDecoder();
  private final AdminReplyDecoder replyDecoder = new AdminReplyDecoder();
  private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
  private final AdminRequestEncoder requestEncoder = new AdminRequestEncoder();
  private final FragmentAssembler assembler = new FragmentAssembler(this::onMessage);
  private final byte[] adminSecret;
  private AdminAuth auth;
  private long serverNonce;
  private long sequence;
  private long awaited;
  private Reply reply;

  private NodeAdminClient(Aeron aeron, String node, byte[] adminSecret, String replyHost,
      int socketBuffer, long timeoutMs) {
    if (!Protocol.isValidEndpoint(node)) {
      throw new IllegalArgumentException("node: expected host:port, found '" + node + "'");
    }
    if (!Protocol.isValidEndpoint(replyHost + ":1")) {
      throw new IllegalArgumentException("replyHost: invalid host '" + replyHost + "'");
    }
    this.node = node;
    this.adminSecret = adminSecret;
    this.timeoutNs = timeoutMs * 1_000_000L;
    SecureRandom random = new SecureRandom();
    this.clientNonce = random.nextLong();
    int replyStream = 3000 + random.nextInt(1 << 20);
    Subscription sub = null;
    ExclusivePublication pub = null;
    try {
      int window = Math.min(socketBuffer / 2, ParameterServerContext.RECEIVER_WINDOW_DEFAULT);
      sub = aeron.addSubscription(Protocol.udpChannel(replyHost + ":0", MTU, TERM, socketBuffer,
          window), replyStream);
      pub = aeron.addExclusivePublication(Protocol.udpChannel(node, MTU, TERM, socketBuffer,
          window), ServerNode.ADMIN_STREAM_ID);
      long deadline = System.nanoTime() + timeoutNs;
      String resolved;
      while ((resolved = sub.resolvedEndpoint()) == null || !pub.isConnected()) {
        check(deadline, resolved == null ? "the reply subscription did not bind on " + replyHost
            : "no node listens (is bin/sparkeras ps running there, reachable over UDP?)");
        idle.idle();
      }
      this.subscription = sub;
      this.publication = pub;
      UnsafeBuffer buf = new UnsafeBuffer(ByteBuffer.allocate(512));
      AdminHelloEncoder hello = new AdminHelloEncoder().wrapAndApplyHeader(buf, 0, headerEncoder)
          .clientNonce(clientNonce).replyStreamId(replyStream).replyEndpoint(resolved);
      offer(buf, MessageHeaderEncoder.ENCODED_LENGTH + hello.encodedLength(), deadline);
      while (auth == null) {
        if (subscription.poll(assembler, 16) == 0) {
          check(deadline, "no challenge from the node");
          idle.idle();
        }
      }
    } catch (RuntimeException e) {
      CloseHelper.quietClose(pub);
      CloseHelper.quietClose(sub);
      throw e;
    } finally {
      java.util.Arrays.fill(adminSecret, (byte) 0);
    }
  }

  /**
   * Opens an admin session with {@code node} ({@code host:port}) on {@code aeron}'s media driver;
   * {@code replyHost} is this host's address as the node reaches it; {@code socketBuffer} the
   * socket buffer size of the job's channels (a media driver shares one socket per destination,
   * and its settings must agree with the workers' that use the same driver).
   */
  public static NodeAdminClient connect(Aeron aeron, String node, byte[] adminSecret,
      String replyHost, int socketBuffer, long timeoutMs) {
    byte[] secret = adminSecret.clone();
    if (secret.length < AdminAuth.MIN_SECRET_LENGTH) {
      throw new IllegalArgumentException("admin secret: at least " + AdminAuth.MIN_SECRET_LENGTH
          + " bytes required, found " + secret.length);
    }
    return new NodeAdminClient(aeron, node, secret, replyHost, socketBuffer, timeoutMs);
  }

  /**
   * Initialises the node for job {@code jobId}: {@code spec} (with this node's index), the job
   * secret (sealed on the wire), and {@code weights} (the whole vector, from position 0) unless
   * {@code spec} restores a checkpoint. {@code reset} replaces a job in progress.
   */
  public Reply init(long jobId, JobSpec spec, byte[] jobSecret, FloatBuffer weights,
      boolean reset) {
    int count = spec.restoreFrom() != null ? 0
        : Protocol.chunkCount(weights.limit(), ServerNode.INIT_CHUNK_FLOATS);
    // the INIT goes out as the next request: its sequence seals the job secret
    byte[] body = spec.encode(auth.seal(jobSecret, sequence + 1));
    Reply r = request(AdminKind.INIT, jobId, reset, 0, count, body);
    if (count == 0) {
      return r;
    }
    byte[] chunk = new byte[ServerNode.INIT_CHUNK_FLOATS * Float.BYTES];
    for (int c = 0; c < count; c++) {
      int floats = Protocol.chunkLength(weights.limit(), ServerNode.INIT_CHUNK_FLOATS, c);
      byte[] bytes = floats * Float.BYTES == chunk.length ? chunk : new byte[floats * Float.BYTES];
      FloatBuffer view = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
      view.put(0, weights, c * ServerNode.INIT_CHUNK_FLOATS, floats);
      r = request(AdminKind.INIT_PARAMS, jobId, false, c, count, bytes);
    }
    return r;
  }

  /** The node's state and progress; a failed job answers with status FAILED (no exception). */
  public Reply status(long jobId) {
    return status(jobId, timeoutNs / 1_000_000);
  }

  /**
   * {@link #status(long)} waiting at most {@code timeoutMs} for the answer (a driver that polls
   * its nodes notices a lost one sooner than a long request, a job's start, may take).
   */
  public Reply status(long jobId, long timeoutMs) {
    return send(AdminKind.STATUS, jobId, false, 0, 0, new byte[0], timeoutMs * 1_000_000L);
  }

  /** Checkpoints the node's shards of the job to {@code uri} (a path the node can write). */
  public Reply checkpoint(long jobId, String uri) {
    return request(AdminKind.CHECKPOINT, jobId, false, 0, 0,
        uri.getBytes(StandardCharsets.UTF_8));
  }

  /** The learning rate (or schedule) of the job's next steps. */
  public Reply learningRate(long jobId, LearningRateSchedule schedule) {
    return request(AdminKind.LEARNING_RATE, jobId, false, 0, 0, JobSpec.encodeSchedule(schedule));
  }

  /** Ends the job on the node (idempotent). */
  public Reply stop(long jobId) {
    return request(AdminKind.STOP, jobId, false, 0, 0, new byte[0]);
  }

  private Reply request(AdminKind kind, long jobId, boolean reset, int index, int count,
      byte[] body) {
    Reply r = send(kind, jobId, reset, index, count, body, timeoutNs);
    if (r.status() != AdminStatus.OK) {
      throw new NodeAdminException(r.status(), "parameter-server node " + node + ": " + kind
          + " " + r.status() + ": " + r.message());
    }
    return r;
  }

  private Reply send(AdminKind kind, long jobId, boolean reset, int index, int count,
      byte[] body, long waitNs) {
    long seq = ++sequence;
    UnsafeBuffer buf = new UnsafeBuffer(ByteBuffer.allocate(MessageHeaderEncoder.ENCODED_LENGTH
        + AdminRequestEncoder.BLOCK_LENGTH + body.length + 64));
    requestEncoder.wrapAndApplyHeader(buf, 0, headerEncoder).clientNonce(clientNonce)
        .sequence(seq).jobId(jobId).kind(kind).reset((short) (reset ? 1 : 0))
        .chunkIndex(index).chunkCount(count).putBody(body, 0, body.length);
    int macStart = requestEncoder.limit();
    byte[] mac = auth.mac(buf, 0, macStart);
    requestEncoder.putMac(mac, 0, mac.length);
    long deadline = System.nanoTime() + waitNs;
    offer(buf, requestEncoder.limit(), deadline);
    awaited = seq;
    reply = null;
    while (reply == null) {
      if (subscription.poll(assembler, 16) == 0) {
        check(deadline, waitNs, kind + " unanswered");
        idle.idle();
      }
    }
    return reply;
  }

  private void offer(UnsafeBuffer buf, int length, long deadline) {
    long r;
    while ((r = publication.offer(buf, 0, length)) < 0) {
      if (r == ExclusivePublication.CLOSED || r == ExclusivePublication.MAX_POSITION_EXCEEDED) {
        throw new ParameterServerException("parameter-server node " + node
            + ": admin publication closed");
      }
      check(deadline, "cannot send (back pressure or no node)");
      idle.idle();
    }
  }

  private void check(long deadline, String what) {
    check(deadline, timeoutNs, what);
  }

  private void check(long deadline, long waitNs, String what) {
    if (System.nanoTime() - deadline > 0) {
      throw new ParameterServerException("parameter-server node " + node + ": " + what
          + " within " + waitNs / 1_000_000 + " ms");
    }
  }

  private void onMessage(org.agrona.DirectBuffer buffer, int offset, int length,
      io.aeron.logbuffer.Header h) {
    if (length < MessageHeaderDecoder.ENCODED_LENGTH) {
      return;
    }
    header.wrap(buffer, offset);
    int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
    if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID) {
      return;
    }
    if (header.templateId() == AdminChallengeDecoder.TEMPLATE_ID && auth == null) {
      challenge.wrap(buffer, body, header.blockLength(), header.version());
      if (challenge.clientNonce() == clientNonce) {
        serverNonce = challenge.serverNonce();
        auth = AdminAuth.session(adminSecret, clientNonce, serverNonce);
      }
    } else if (header.templateId() == AdminReplyDecoder.TEMPLATE_ID) {
      replyDecoder.wrap(buffer, body, header.blockLength(), header.version());
      if (replyDecoder.clientNonce() == clientNonce && replyDecoder.sequence() == awaited) {
        reply = new Reply(replyDecoder.status(), replyDecoder.state(), replyDecoder.jobId(),
            replyDecoder.stepsApplied(), replyDecoder.lossSum(), replyDecoder.lossSamples(),
            replyDecoder.message());
      }
    }
  }

  @Override
  public void close() {
    CloseHelper.quietClose(publication);
    CloseHelper.quietClose(subscription);
  }
}
