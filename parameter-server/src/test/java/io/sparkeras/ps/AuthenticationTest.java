package io.sparkeras.ps;

import static io.sparkeras.ps.PsTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import io.aeron.Aeron;
import io.sparkeras.ps.client.ParameterServerClient;
import io.sparkeras.ps.codecs.Encoding;
import io.sparkeras.ps.codecs.MessageHeaderEncoder;
import io.sparkeras.ps.codecs.PushEncoder;
import io.sparkeras.ps.codecs.PushKind;
import io.sparkeras.ps.protocol.Protocol;
import io.sparkeras.ps.server.ShardCounter;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A client must prove the job secret before anything it sends is applied. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuthenticationTest extends ServerTestFixture {
  static final int SIZE = 3000;

  @BeforeEach
  void launchServer() {
    server = ParameterServer.launch(serverContext(dir, freeUdpPort()).shards(1).workers(1)
        .parameterCount(SIZE));
  }

  @Test
  void wrongSecretIsRejected() {
    ParameterServerClient.Context ctx = clientContext(clientDriver.aeronDirectoryName(), port(), 0)
        .secret("not-the-secret-of-job-42-xxxxxxx".getBytes(StandardCharsets.US_ASCII));
    ParameterServerException e = assertThrows(ParameterServerException.class,
        () -> ParameterServerClient.connect(ctx));
    assertTrue(e.getMessage().contains("authentication failed"), e.getMessage());
    assertEquals(1, server.counter(ShardCounter.AUTH_FAILED));
    assertEquals(0, server.counter(ShardCounter.AUTH_OK));
  }

  @Test
  void wrongJobIsRejected() {
    ParameterServerClient.Context ctx = clientContext(clientDriver.aeronDirectoryName(), port(), 0)
        .jobId(43);
    ParameterServerException e = assertThrows(ParameterServerException.class,
        () -> ParameterServerClient.connect(ctx));
    assertTrue(e.getMessage().contains("unknown job id 43"), e.getMessage());
    assertEquals(1, server.counter(ShardCounter.WRONG_JOB));
  }

  @Test
  void unauthenticatedPushIsDroppedAndCounted() {
    try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(clientDriver.aeronDirectoryName()));
         RawPeer peer = new RawPeer(aeron, port(), 0)) {
      // A well-formed push of the right size, sent without (and then after a failed) handshake.
      int chunkFloats = Protocol.chunkFloats(MTU);
      int chunks = Protocol.chunkCount(SIZE, chunkFloats);
      for (int attempt = 0; attempt < 2; attempt++) {
        for (int c = 0; c < chunks; c++) {
          PushEncoder e = new PushEncoder().wrapAndApplyHeader(peer.buffer, 0, new MessageHeaderEncoder())
              .jobId(JOB).workerId(7).shardId(0).epoch(0).partition(0).step(0).chunkIndex(c)
              .chunkCount(chunks).kind(PushKind.GRADIENT).encoding(Encoding.FLOAT32);
          int floats = Protocol.chunkLength(SIZE, chunkFloats, c);
          peer.buffer.putInt(e.limit(), floats * 4, ByteOrder.LITTLE_ENDIAN);
          for (int i = 0; i < floats; i++) {
            peer.buffer.putFloat(e.limit() + 4 + 4 * i, 100f, ByteOrder.LITTLE_ENDIAN);
          }
          peer.send(peer.buffer, 0, e.limit() + 4 + floats * 4);
        }
        if (attempt == 0) {
          assertFalse(peer.authenticate(JOB, 7, 0, 0, "wrong-secret-wrong-secret-wrong!".getBytes(StandardCharsets.US_ASCII)));
        }
      }
      await(() -> server.counter(ShardCounter.UNAUTHENTICATED) == 2L * chunks, 10_000,
          "unauthenticated chunks counted");
      assertEquals(0, server.counter(ShardCounter.PUSH_ACCEPTED));
      assertEquals(1, server.counter(ShardCounter.AUTH_FAILED));
      FloatBuffer params = floats(SIZE);
      assertEquals(0, server.readParameters(params));
      for (int i = 0; i < SIZE; i++) {
        assertEquals(0f, params.get(i));
      }
    }
  }
}
