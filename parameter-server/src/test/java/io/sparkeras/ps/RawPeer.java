package io.sparkeras.ps;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.sparkeras.ps.codecs.AuthEncoder;
import io.sparkeras.ps.codecs.ChallengeDecoder;
import io.sparkeras.ps.codecs.HelloEncoder;
import io.sparkeras.ps.codecs.MessageHeaderDecoder;
import io.sparkeras.ps.codecs.MessageHeaderEncoder;
import io.sparkeras.ps.codecs.WelcomeDecoder;
import io.sparkeras.ps.protocol.HmacAuth;
import io.sparkeras.ps.protocol.Protocol;
import java.nio.ByteBuffer;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A hand-driven protocol peer for tests: a raw publication to one shard and a reply
 * subscription, speaking the handshake itself with the generated codecs, then sending any bytes.
 */
public final class RawPeer implements AutoCloseable {
  public final ExclusivePublication publication;
  public final Subscription replies;
  public final String replyEndpoint;
  public final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(256 * 1024));
  private final MessageHeaderDecoder header = new MessageHeaderDecoder();
  private long serverNonce;
  private boolean challenged;
  private boolean welcomed;
  private boolean rejected;
  private int templatesSeen;

  public RawPeer(Aeron aeron, int port, int shard) {
    publication = aeron.addExclusivePublication(Protocol.udpChannel("127.0.0.1:" + port,
        PsTestSupport.MTU, PsTestSupport.TERM, PsTestSupport.SOCKET_BUFFER, PsTestSupport.WINDOW),
        ParameterServerContext.STREAM_ID_BASE_DEFAULT + shard);
    replies = aeron.addSubscription("aeron:udp?endpoint=127.0.0.1:0", 2001);
    String ep;
    long deadline = System.nanoTime() + 10_000_000_000L;
    while ((ep = replies.resolvedEndpoint()) == null || !publication.isConnected()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("raw peer not connected");
      }
      Thread.onSpinWait();
    }
    replyEndpoint = ep;
  }

  /** Offers {@code buffer[0, length)}, retrying back pressure until a deadline. */
  public void send(DirectBuffer src, int offset, int length) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    long r;
    while ((r = publication.offer(src, offset, length)) < 0) {
      if (r == Publication.CLOSED || r == Publication.MAX_POSITION_EXCEEDED || System.nanoTime() > deadline) {
        throw new AssertionError("raw peer offer failed: " + r);
      }
      Thread.onSpinWait();
    }
  }

  /** Sends a Hello; returns its encoded length. */
  public int hello(long job, int workerId, int partition, long clientNonce) {
    HelloEncoder e = new HelloEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
        .jobId(job).workerId(workerId).partition(partition).clientNonce(clientNonce)
        .replyStreamId(2001).replyEndpoint(replyEndpoint);
    int len = MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    send(buffer, 0, len);
    return len;
  }

  /** Full handshake as partition {@code partition}; true if welcomed. */
  public boolean authenticate(long job, int workerId, int partition, int shard, byte[] secret) {
    long clientNonce = 12345;
    hello(job, workerId, partition, clientNonce);
    FragmentHandler h = this::onReply;
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!challenged) {
      replies.poll(h, 10);
      if (System.nanoTime() > deadline) {
        return false;
      }
    }
    byte[] mac = new byte[HmacAuth.MAC_LENGTH];
    new HmacAuth(secret).prove(job, workerId, partition, shard, clientNonce, serverNonce, mac);
    AuthEncoder a = new AuthEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
        .jobId(job).workerId(workerId).putMac(mac, 0, mac.length);
    send(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + a.encodedLength());
    while (!welcomed && !rejected) {
      replies.poll(h, 10);
      if (System.nanoTime() > deadline) {
        return false;
      }
    }
    return welcomed;
  }

  /** Polls replies; returns how many messages were seen in total. */
  public int drainReplies() {
    replies.poll(this::onReply, 100);
    return templatesSeen;
  }

  private void onReply(DirectBuffer b, int offset, int length, io.aeron.logbuffer.Header h) {
    templatesSeen++;
    header.wrap(b, offset);
    int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
    if (header.templateId() == ChallengeDecoder.TEMPLATE_ID) {
      serverNonce = new ChallengeDecoder().wrap(b, body, header.blockLength(), header.version()).serverNonce();
      challenged = true;
    } else if (header.templateId() == WelcomeDecoder.TEMPLATE_ID) {
      welcomed = true;
    } else if (header.templateId() == io.sparkeras.ps.codecs.ErrorDecoder.TEMPLATE_ID) {
      rejected = true;
    }
  }

  @Override
  public void close() {
    CloseHelper.quietCloseAll(publication, replies);
  }
}
