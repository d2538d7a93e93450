package io.sparkeras.ps.client;

import static io.sparkeras.ps.PsTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import io.sparkeras.ps.ParameterServer;
import io.sparkeras.ps.ServerTestFixture;
import io.sparkeras.ps.ParameterServerException;
import java.nio.FloatBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ParameterServerClientTest extends ServerTestFixture {



  @Test
  void noServerIsAClearErrorWithinTheTimeout() {
    int port = freeUdpPort();
    ParameterServerException e = assertThrows(ParameterServerException.class,
        () -> ParameterServerClient.connect(clientContext(clientDriver.aeronDirectoryName(), port, 0)
            .timeout(1, TimeUnit.SECONDS)));
    assertTrue(e.getMessage().contains("127.0.0.1:" + port + " not connected"), e.getMessage());
    assertTrue(e.getMessage().contains("within 1000 ms"), e.getMessage());
  }

  @Test
  void aServerThatDiesIsAnErrorNotAHang() {
    int port = freeUdpPort();
    ParameterServer server = ParameterServer.launch(serverContext(dir, port).shards(2).workers(2)
        .parameterCount(5000));
    try (ParameterServerClient c = ParameterServerClient.connect(
        clientContext(clientDriver.aeronDirectoryName(), port, 0).timeout(2, TimeUnit.SECONDS))) {
      assertEquals(5000, c.parameterCount());
      long[] counters = c.metrics(1);
      assertEquals(1, counters[io.sparkeras.ps.server.ShardCounter.AUTH_OK.ordinal()]);
      server.close();
      ParameterServerException e = assertThrows(ParameterServerException.class,
          () -> c.pull(1, FloatBuffer.allocate(5000)));
      assertTrue(e.getMessage().contains("within 2000 ms"), e.getMessage());
    } finally {
      server.close();
    }
  }

  @Test
  void vectorsOfTheWrongLengthAreRefusedLocally() {
    int port = freeUdpPort();
    try (ParameterServer server = ParameterServer.launch(serverContext(dir, port).parameterCount(100));
         ParameterServerClient c = ParameterServerClient.connect(
             clientContext(clientDriver.aeronDirectoryName(), port, 0))) {
      assertThrows(IllegalArgumentException.class, () -> c.pushGradient(0, 0, FloatBuffer.allocate(99)));
      assertThrows(IllegalArgumentException.class, () -> c.pull(0, FloatBuffer.allocate(99)));
      assertEquals(0, server.counter(io.sparkeras.ps.server.ShardCounter.PUSH_ACCEPTED));
    }
  }
}
