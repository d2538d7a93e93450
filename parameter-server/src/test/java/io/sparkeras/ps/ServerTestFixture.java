package io.sparkeras.ps;

import static io.sparkeras.ps.PsTestSupport.clientDriver;
import static io.sparkeras.ps.PsTestSupport.deleteTree;
import static io.sparkeras.ps.PsTestSupport.shmDir;

import io.aeron.driver.MediaDriver;
import java.io.File;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The one fixture of the parameter-server tests that run a server and its clients in the test
 * JVM over real media drivers: before each test a fresh directory under /dev/shm ({@link #dir}),
 * a client-side media driver in it ({@link #clientDriver}, like the one of a worker host) and a
 * pool for concurrent clients ({@link #pool}); after each test the server the test launched into
 * {@link #server}, the pool and the driver are closed and the directory deleted.
 *
 * <pre>{@code
 * class SyncModeTest extends ServerTestFixture {
 *   @Test void steps() throws Exception {
 *     server = ParameterServer.launch(serverContext(dir, freeUdpPort()).workers(2)...);
 *     try (ParameterServerClient c = ParameterServerClient.connect(
 *         clientContext(clientDriver.aeronDirectoryName(), port(), 0))) { ... }
 *   }
 * }
 * }</pre>
 */
public abstract class ServerTestFixture {
  /** This test's directory under /dev/shm (the server's and the client's media drivers). */
  protected File dir;
  /** The client side's media driver. */
  protected MediaDriver clientDriver;
  /** The server under test, when the test launched one here; closed after the test. */
  protected ParameterServer server;
  /** Threads for clients that run concurrently. */
  protected ExecutorService pool;

  @BeforeEach
  protected void startFixture() {
    dir = shmDir(getClass().getSimpleName());
    clientDriver = clientDriver(dir);
    pool = Executors.newCachedThreadPool();
  }

  @AfterEach
  protected void stopFixture() {
    pool.shutdownNow();
    CloseHelper.quietClose(server);
    CloseHelper.quietClose(clientDriver);
    deleteTree(dir);
  }

  /** The UDP port {@link #server} listens on. */
  protected int port() {
    return Integer.parseInt(server.context().bind().split(":")[1]);
  }
}
