package io.sparkeras.ps.node;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import io.sparkeras.ps.ParameterServer;
import io.sparkeras.ps.codecs.AdminChallengeEncoder;
import io.sparkeras.ps.codecs.AdminHelloDecoder;
import io.sparkeras.ps.codecs.AdminKind;
import io.sparkeras.ps.codecs.AdminReplyEncoder;
import io.sparkeras.ps.codecs.AdminRequestDecoder;
import io.sparkeras.ps.codecs.AdminStatus;
import io.sparkeras.ps.codecs.MessageHeaderDecoder;
import io.sparkeras.ps.codecs.MessageHeaderEncoder;
import io.sparkeras.ps.protocol.AdminAuth;
import io.sparkeras.ps.protocol.HmacAuth;
import io.sparkeras.ps.protocol.Protocol;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The admin endpoint of a server node: an Agrona agent on the node's bind address, stream
 * {@code streamIdBase - 1}, that authenticates admin sessions ({@link AdminAuth}) and hands
 * their requests to {@link NodeJobs}. Anything malformed, unauthenticated, replayed or from an
 * unknown session is dropped (and counted) without changing anything; a request that is
 * authentic but wrong gets an answer saying what is wrong. Requests are rare (a job's start,
 * a status poll every 100 ms, a checkpoint per epoch), so this agent allocates freely and may
 * block while a job starts or checkpoints.
 */
final class NodeAdminAgent implements Agent {
  private static final int MAX_SESSIONS = 16;
  private static final int MAX_MESSAGE = 1000;
  private static final long CONNECT_TIMEOUT_NS = 5_000_000_000L;

  /** One admin session: its authenticator, last sequence and reply publication. */
  private static final class Session {
    final AdminAuth auth;
    final ExclusivePublication reply;
    long lastSequence;

    Session(AdminAuth auth, ExclusivePublication reply) {
      this.auth = auth;
      this.reply = reply;
    }
  }

  private final Aeron aeron;
  private final Subscription subscription;
  private final FragmentAssembler assembler = new FragmentAssembler(this::onMessage);
  private final byte[] adminSecret;
  private final NodeJobs jobs;
  private final ServerNode.Context ctx;
  private final SecureRandom random = new SecureRandom();
  private final Map<Long, Session> sessions = new LinkedHashMap<>();
  private final AtomicLong dropped = new AtomicLong();
  private final MessageHeaderDecoder header = new MessageHeaderDecoder();
  private final AdminHelloDecoder hello = new AdminHelloDecoder();
  private final AdminRequestDecoder request = new AdminRequestDecoder();
  private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
  private final AdminChallengeEncoder challenge = new AdminChallengeEncoder();
  private final AdminReplyEncoder replyEncoder = new AdminReplyEncoder();
  private final UnsafeBuffer send = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));

  NodeAdminAgent(Aeron aeron, ServerNode.Context ctx, byte[] adminSecret, NodeJobs jobs) {
    this.aeron = aeron;
    this.ctx = ctx;
    this.adminSecret = adminSecret.clone();
    this.jobs = jobs;
    this.subscription = aeron.addSubscription("aeron:udp?endpoint=" + ctx.bind()
        + "|so-rcvbuf=" + ctx.socketBufferLength(), ServerNode.ADMIN_STREAM_ID);
  }

  @Override
  public String roleName() {
    return "sparkeras-ps-node-admin";
  }

  @Override
  public int doWork() {
    return subscription.poll(assembler, 16);
  }

  /** Admin messages dropped (malformed, unauthenticated, replayed, unknown session). */
  long dropped() {
    return dropped.get();
  }

  private void onMessage(DirectBuffer buffer, int offset, int length, Header h) {
    try {
      if (length < MessageHeaderDecoder.ENCODED_LENGTH) {
        dropped.incrementAndGet();
        return;
      }
      header.wrap(buffer, offset);
      if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID || header.version() < 3) {
        dropped.incrementAndGet();
        return;
      }
      int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
      int end = offset + length;
      if (header.templateId() == AdminHelloDecoder.TEMPLATE_ID
          && header.blockLength() >= AdminHelloDecoder.BLOCK_LENGTH) {
        hello.wrap(buffer, body, header.blockLength(), header.version());
        onHello(end);
      } else if (header.templateId() == AdminRequestDecoder.TEMPLATE_ID
          && header.blockLength() >= AdminRequestDecoder.BLOCK_LENGTH) {
        request.wrap(buffer, body, header.blockLength(), header.version());
        onRequest(buffer, offset, end);
      } else {
        dropped.incrementAndGet();
      }
    } catch (RuntimeException e) {
      // a length field pointing outside the message: nothing was changed yet
      dropped.incrementAndGet();
    }
  }

  private void onHello(int end) {
    long clientNonce = hello.clientNonce();
    int replyStream = hello.replyStreamId();
    String endpoint = hello.replyEndpoint();
    if (hello.limit() != end || !Protocol.isValidEndpoint(endpoint) || replyStream <= 0
        || sessions.containsKey(clientNonce)) {
      dropped.incrementAndGet();
      return;
    }
    if (sessions.size() >= MAX_SESSIONS) {
      Iterator<Session> oldest = sessions.values().iterator();
      CloseHelper.quietClose(oldest.next().reply);
      oldest.remove();
    }
    long serverNonce = random.nextLong();
    ExclusivePublication reply = aeron.addExclusivePublication(Protocol.udpChannel(endpoint,
        ctx.mtuLength(), ctx.termLength(), ctx.socketBufferLength(),
        ctx.receiverWindowLength()), replyStream);
    Session s = new Session(AdminAuth.session(adminSecret, clientNonce, serverNonce), reply);
    sessions.put(clientNonce, s);
    challenge.wrapAndApplyHeader(send, 0, headerEncoder).clientNonce(clientNonce)
        .serverNonce(serverNonce);
    offer(reply, MessageHeaderEncoder.ENCODED_LENGTH + challenge.encodedLength());
  }

  private void onRequest(DirectBuffer buffer, int offset, int end) {
    long clientNonce = request.clientNonce();
    long sequence = request.sequence();
    long job = request.jobId();
    AdminKind kind = request.kind();
    boolean reset = request.reset() != 0;
    int chunkIndex = request.chunkIndex();
    int chunkCount = request.chunkCount();
    Session s = sessions.get(clientNonce);
    if (s == null) {
      dropped.incrementAndGet();
      return;
    }
    byte[] bodyBytes = new byte[request.bodyLength()];
    request.getBody(bodyBytes, 0, bodyBytes.length);
    int macStart = request.limit();
    byte[] mac = new byte[request.macLength()];
    request.getMac(mac, 0, mac.length);
    if (request.limit() != end || mac.length != HmacAuth.MAC_LENGTH
        || !s.auth.verify(buffer, offset, macStart - offset, mac)) {
      reply(s, clientNonce, sequence, new NodeJobs.Outcome(AdminStatus.AUTH_FAILED,
          "request " + sequence + " is not authentic (admin secret differs?)"));
      dropped.incrementAndGet();
      return;
    }
    if (sequence <= s.lastSequence) {
      dropped.incrementAndGet();
      return;
    }
    s.lastSequence = sequence;
    reply(s, clientNonce, sequence, handle(s, kind, job, reset, chunkIndex, chunkCount,
        bodyBytes, sequence));
  }

  private NodeJobs.Outcome handle(Session s, AdminKind kind, long job, boolean reset,
      int chunkIndex, int chunkCount, byte[] body, long sequence) {
    try {
      switch (kind) {
        case INIT: {
          byte[][] sealed = new byte[1][];
          JobSpec spec = JobSpec.decode(body, sealed);
          if (sealed[0] == null || sealed[0].length > AdminAuth.MAX_SEALED_LENGTH) {
            throw new IllegalArgumentException("jobSecret: expected 16 to "
                + AdminAuth.MAX_SEALED_LENGTH + " bytes");
          }
          return jobs.init(job, reset, spec, s.auth.seal(sealed[0], sequence), chunkCount);
        }
        case INIT_PARAMS:
          return jobs.params(job, chunkIndex, chunkCount, body);
        case STATUS:
          return jobs.status();
        case CHECKPOINT:
          return jobs.checkpoint(job, new String(body, java.nio.charset.StandardCharsets.UTF_8));
        case LEARNING_RATE:
          return jobs.learningRate(job, JobSpec.decodeSchedule(body));
        case STOP:
          return jobs.stop(job);
        default:
          return new NodeJobs.Outcome(AdminStatus.BAD_REQUEST, "unknown request kind " + kind);
      }
    } catch (IllegalArgumentException e) {
      return new NodeJobs.Outcome(AdminStatus.BAD_REQUEST, kind + ": " + e.getMessage());
    }
  }

  private void reply(Session s, long clientNonce, long sequence, NodeJobs.Outcome outcome) {
    ParameterServer server = jobs.server();
    double[] loss = server == null ? new double[] {0, 0} : server.trainingLoss();
    String message = outcome.message() == null ? "" : outcome.message();
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE);
    }
    replyEncoder.wrapAndApplyHeader(send, 0, headerEncoder).clientNonce(clientNonce)
        .sequence(sequence).status(outcome.status()).state(jobs.state()).jobId(jobs.jobId())
        .stepsApplied(server == null ? 0 : server.stepsApplied())
        .lossSum(loss[0]).lossSamples((long) loss[1])
        .message(message.replaceAll("[^\\x20-\\x7e]", "?"));
    offer(s.reply, MessageHeaderEncoder.ENCODED_LENGTH + replyEncoder.encodedLength());
  }

  /** Sends {@code send[0, length)}, waiting (bounded) for the client's subscription. */
  private void offer(ExclusivePublication pub, int length) {
    long deadline = System.nanoTime() + CONNECT_TIMEOUT_NS;
    while (pub.offer(send, 0, length) < 0) {
      if (System.nanoTime() > deadline || pub.isClosed()) {
        return; // the client is gone; it times out on its side
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  @Override
  public void onClose() {
    sessions.values().forEach(s -> CloseHelper.quietClose(s.reply));
    sessions.clear();
    CloseHelper.quietClose(subscription);
  }
}
