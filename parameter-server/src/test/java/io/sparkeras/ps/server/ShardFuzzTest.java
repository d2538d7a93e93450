package io.sparkeras.ps.server;

import static io.sparkeras.ps.PsTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import io.aeron.Aeron;
import io.sparkeras.ps.ParameterServer;
import io.sparkeras.ps.ServerTestFixture;
import io.sparkeras.ps.RawPeer;
import io.sparkeras.ps.TrainingMode;
import io.sparkeras.ps.client.ParameterServerClient;
import io.sparkeras.ps.codecs.AuthEncoder;
import io.sparkeras.ps.codecs.ByeEncoder;
import io.sparkeras.ps.codecs.Encoding;
import io.sparkeras.ps.codecs.HeartbeatEncoder;
import io.sparkeras.ps.codecs.HelloEncoder;
import io.sparkeras.ps.codecs.MessageHeaderEncoder;
import io.sparkeras.ps.codecs.PullEncoder;
import io.sparkeras.ps.codecs.PushEncoder;
import io.sparkeras.ps.codecs.PushKind;
import io.sparkeras.ps.protocol.Protocol;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 10^5 random and mutated messages, half from an unauthenticated session and half from an
 * authenticated one: the shard neither crashes nor changes its parameters, optimizer state or
 * version, and its counters account for every fragment.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShardFuzzTest extends ServerTestFixture {
  static final int SIZE = 3000;
  static final int MESSAGES_PER_PEER = 50_000;
  static final int AUTH_WORKER = 99;


  @BeforeEach
  void launchServer() {
    FloatBuffer init = floats(SIZE);
    for (int i = 0; i < SIZE; i++) {
      init.put(i, value(11, i));
    }
    // Two workers: the authenticated fuzzer is partition 0, so no step can ever complete.
    server = ParameterServer.launch(serverContext(dir, freeUdpPort()).shards(1).workers(2)
        .mode(TrainingMode.SYNC).initialParameters(init).syncTimeout(10, TimeUnit.MINUTES));
  }

  /** Valid messages to mutate; the authenticated peer gets no Hello/Auth/Bye (they would end its session). */
  static List<byte[]> baseMessages(boolean authenticatedPeer, String replyEndpoint) {
    UnsafeBuffer b = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
    MessageHeaderEncoder h = new MessageHeaderEncoder();
    List<byte[]> out = new ArrayList<>();
    int chunkFloats = Protocol.chunkFloats(MTU);
    int chunks = Protocol.chunkCount(SIZE, chunkFloats);
    for (int c = 0; c < chunks; c++) {
      PushEncoder p = new PushEncoder().wrapAndApplyHeader(b, 0, h).jobId(JOB).workerId(AUTH_WORKER)
          .shardId(0).epoch(0).partition(0).step(0).chunkIndex(c).chunkCount(chunks)
          .kind(PushKind.GRADIENT).encoding(Encoding.FLOAT32);
      int floats = Protocol.chunkLength(SIZE, chunkFloats, c);
      b.putInt(p.limit(), floats * 4, ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < floats; i++) {
        b.putFloat(p.limit() + 4 + 4 * i, 0.5f, ByteOrder.LITTLE_ENDIAN);
      }
      out.add(copy(b, p.limit() + 4 + floats * 4));
    }
    PullEncoder pull = new PullEncoder().wrapAndApplyHeader(b, 0, h).jobId(JOB).workerId(AUTH_WORKER)
        .shardId(0).requestId(1).waitFor(1);
    out.add(copy(b, MessageHeaderEncoder.ENCODED_LENGTH + pull.encodedLength()));
    HeartbeatEncoder hb = new HeartbeatEncoder().wrapAndApplyHeader(b, 0, h).jobId(JOB)
        .workerId(AUTH_WORKER).timestampNs(1);
    out.add(copy(b, MessageHeaderEncoder.ENCODED_LENGTH + hb.encodedLength()));
    if (!authenticatedPeer) {
      HelloEncoder hello = new HelloEncoder().wrapAndApplyHeader(b, 0, h).jobId(JOB).workerId(5)
          .partition(1).clientNonce(3).replyStreamId(2001).replyEndpoint(replyEndpoint);
      out.add(copy(b, MessageHeaderEncoder.ENCODED_LENGTH + hello.encodedLength()));
      AuthEncoder auth = new AuthEncoder().wrapAndApplyHeader(b, 0, h).jobId(JOB).workerId(5)
          .putMac(new byte[32], 0, 32);
      out.add(copy(b, MessageHeaderEncoder.ENCODED_LENGTH + auth.encodedLength()));
      ByeEncoder bye = new ByeEncoder().wrapAndApplyHeader(b, 0, h).jobId(JOB).workerId(5);
      out.add(copy(b, MessageHeaderEncoder.ENCODED_LENGTH + bye.encodedLength()));
    }
    return out;
  }

  static byte[] copy(UnsafeBuffer b, int len) {
    byte[] bytes = new byte[len];
    b.getBytes(0, bytes);
    return bytes;
  }

  /** Sends the fuzz stream; returns the number of fragments it makes. */
  static long fuzz(RawPeer peer, List<byte[]> bases, long seed, int count) {
    Random rnd = new Random(seed);
    UnsafeBuffer out = peer.buffer;
    int maxPayload = MTU - 32;
    long fragments = 0;
    for (int n = 0; n < count; n++) {
      int len;
      double kind = rnd.nextDouble();
      if (kind < 0.002) { // oversized: fragmented by Aeron, must be dropped
        len = maxPayload + 1 + rnd.nextInt(3 * maxPayload);
        for (int i = 0; i < len; i++) {
          out.putByte(i, (byte) rnd.nextInt());
        }
      } else if (kind < 0.15) { // random bytes
        len = 1 + rnd.nextInt(400);
        for (int i = 0; i < len; i++) {
          out.putByte(i, (byte) rnd.nextInt());
        }
      } else { // a valid message with 1-3 mutations
        byte[] base = bases.get(rnd.nextInt(bases.size()));
        out.putBytes(0, base);
        len = base.length;
        for (int m = 1 + rnd.nextInt(3); m > 0; m--) {
          switch (rnd.nextInt(6)) {
            case 0: { // flip a bit
              int at = rnd.nextInt(len);
              out.putByte(at, (byte) (out.getByte(at) ^ (1 << rnd.nextInt(8))));
              break;
            }
            case 1: // random byte, biased to the header and the fixed block
              out.putByte(rnd.nextInt(Math.min(len, 64)), (byte) rnd.nextInt());
              break;
            case 2: // truncate
              len = Math.max(1, rnd.nextInt(len));
              break;
            case 3: { // extend
              int extra = 1 + rnd.nextInt(64);
              for (int i = 0; i < extra && len < maxPayload; i++) {
                out.putByte(len++, (byte) rnd.nextInt());
              }
              break;
            }
            case 4: { // extreme int at a field-ish offset
              if (len >= 4) {
                int[] extremes = {0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 1 << 20, rnd.nextInt()};
                out.putInt(rnd.nextInt(Math.min(len, 72) - 3), extremes[rnd.nextInt(extremes.length)],
                    ByteOrder.LITTLE_ENDIAN);
              }
              break;
            }
            default: // another template id
              if (len >= 4) {
                out.putShort(2, (short) rnd.nextInt(20), ByteOrder.LITTLE_ENDIAN);
              }
          }
        }
      }
      peer.send(out, 0, len);
      fragments += len <= maxPayload ? 1 : (len + maxPayload - 1) / maxPayload;
      if ((n & 255) == 0) {
        peer.drainReplies();
      }
    }
    return fragments;
  }

  @Test
  void randomAndMutatedMessagesNeitherCrashNorChangeState() throws Exception {
    ShardSnapshot before = server.snapshot()[0];
    long fragments;
    try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(clientDriver.aeronDirectoryName()));
         RawPeer stranger = new RawPeer(aeron, port(), 0);
         RawPeer insider = new RawPeer(aeron, port(), 0)) {
      assertTrue(insider.authenticate(JOB, AUTH_WORKER, 0, 0, SECRET));
      long baseline = server.counter(ShardCounter.RECEIVED);
      fragments = fuzz(stranger, baseMessages(false, stranger.replyEndpoint), 1, MESSAGES_PER_PEER);
      fragments += fuzz(insider, baseMessages(true, insider.replyEndpoint), 2, MESSAGES_PER_PEER);
      long expected = baseline + fragments;
      await(() -> {
        stranger.drainReplies();
        insider.drainReplies();
        return server.counter(ShardCounter.RECEIVED) >= expected;
      }, 60_000, "all fuzz fragments received");
      assertEquals(expected, server.counter(ShardCounter.RECEIVED));
    }
    long outcomes = 0;
    StringBuilder report = new StringBuilder();
    for (ShardCounter c : ShardCounter.values()) {
      if (c.isOutcome()) {
        outcomes += server.counter(c);
      }
      report.append(c).append('=').append(server.counter(c)).append(' ');
    }
    assertEquals(server.counter(ShardCounter.RECEIVED), outcomes, "every fragment has one outcome: " + report);
    for (ShardCounter reason : new ShardCounter[] {ShardCounter.MALFORMED, ShardCounter.UNAUTHENTICATED,
        ShardCounter.UNKNOWN_TEMPLATE, ShardCounter.FRAGMENTED, ShardCounter.BAD_REQUEST,
        ShardCounter.AUTH_FAILED, ShardCounter.PUSH_ACCEPTED, ShardCounter.PUSH_DUPLICATE}) {
      assertTrue(server.counter(reason) > 0, reason + " never counted: " + report);
    }
    assertNull(server.failure());

    ShardSnapshot after = server.snapshot()[0];
    assertEquals(before.version, after.version);
    assertArrayEquals(before.params, after.params);
    for (int s = 0; s < before.state.length; s++) {
      assertTrue(Arrays.equals(before.state[s], after.state[s]), "optimizer state slot " + s);
    }
    // The shard still serves a well-behaved worker.
    try (ParameterServerClient c = ParameterServerClient.connect(
        clientContext(clientDriver.aeronDirectoryName(), port(), 1))) {
      FloatBuffer params = floats(SIZE);
      assertEquals(0, c.pull(0, params));
      for (int i = 0; i < SIZE; i++) {
        assertEquals(before.params[i], params.get(i));
      }
    }
  }
}
