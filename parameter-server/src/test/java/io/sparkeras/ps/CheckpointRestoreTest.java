package io.sparkeras.ps;

import static io.sparkeras.ps.PsTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import io.sparkeras.ps.client.ParameterServerClient;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone server (its own JVM) is checkpointed, killed with SIGKILL and restored from the
 * checkpoint; training continues and ends bit-exactly where an uninterrupted run ends.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CheckpointRestoreTest extends ServerTestFixture {
  static final int SIZE = 6007;
  static final int WORKERS = 2; // two-term sums are commutative, so results are order-free
  static final int STEPS = 6;

  @TempDir
  Path tmp;



  static float[] initial() {
    float[] p = new float[SIZE];
    for (int i = 0; i < SIZE; i++) {
      p[i] = value(21, i);
    }
    return p;
  }

  /** Every worker runs steps [from, to) in sync mode; returns worker 0's final parameters. */
  float[] train(int port, long from, long to) throws Exception {
    List<Future<float[]>> results = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      int worker = w;
      results.add(pool.submit(() -> {
        try (ParameterServerClient c = ParameterServerClient.connect(
            clientContext(clientDriver.aeronDirectoryName(), port, worker))) {
          assertEquals(from, c.version(), "resumes at the checkpointed step");
          FloatBuffer params = floats(SIZE);
          FloatBuffer grads = floats(SIZE);
          for (long step = from; step < to; step++) {
            for (int i = 0; i < SIZE; i++) {
              grads.put(i, value(500 * worker + step, i));
            }
            c.pushGradient(0, step, grads);
            assertEquals(step + 1, c.pull(step + 1, params));
          }
          float[] out = new float[SIZE];
          params.get(0, out);
          return out;
        }
      }));
    }
    float[] first = results.get(0).get();
    for (Future<float[]> f : results) {
      assertArrayEquals(first, f.get());
    }
    return first;
  }

  List<String> serverArgs(int port, Path secret) {
    return new ArrayList<>(List.of("--bind", "127.0.0.1:" + port, "--shards", "2", "--workers",
        String.valueOf(WORKERS), "--optimizer", "adam", "--optimizer-config",
        "learning_rate=0.01,beta_1=0.8,beta_2=0.99", "--job-id", String.valueOf(JOB),
        "--secret-file", secret.toString(), "--mtu", String.valueOf(MTU), "--term-length",
        String.valueOf(TERM), "--socket-buffer", String.valueOf(SOCKET_BUFFER), "--receiver-window",
        String.valueOf(WINDOW), "--driver-dir-parent", dir.getAbsolutePath()));
  }

  @Test
  void checkpointKillRestoreContinuesBitExactly() throws Exception {
    Path secret = tmp.resolve("secret");
    Files.write(secret, SECRET);
    Path init = tmp.resolve("init.f32");
    ByteBuffer bytes = ByteBuffer.allocate(SIZE * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(initial());
    try (OutputStream out = new FileOutputStream(init.toFile())) {
      out.write(bytes.array());
    }

    // Uninterrupted reference, same settings, embedded.
    float[] reference;
    FloatBuffer initBuffer = floats(SIZE);
    initBuffer.put(initial()).flip();
    int refPort = freeUdpPort();
    try (ParameterServer ref = ParameterServer.launch(serverContext(dir, refPort).shards(2)
        .workers(WORKERS).initialParameters(initBuffer)
        .optimizer("adam", java.util.Map.of("learning_rate", 0.01, "beta_1", 0.8, "beta_2", 0.99)))) {
      reference = train(refPort, 0, STEPS);
    }

    int port = freeUdpPort();
    String checkpoint = tmp.resolve("ps.ckpt").toUri().toString();
    List<String> first = serverArgs(port, secret);
    first.addAll(List.of("--init", init.toUri().toString()));
    try (ChildJvm server = new ChildJvm(ParameterServerMain.class, first)) {
      server.awaitLine("READY", 30_000);
      train(port, 0, STEPS / 2);
      server.send("checkpoint " + checkpoint);
      server.awaitLine("CHECKPOINTED", 30_000);
      server.kill();
    }
    try (var files = Files.list(tmp)) {
      // (.ps.ckpt.crc is the checksum Hadoop's local file system keeps beside each file)
      assertEquals(List.of(".ps.ckpt.crc", "init.f32", "ps.ckpt", "secret"),
          files.map(p -> p.getFileName().toString()).sorted().toList(), "no temp file left");
    }

    List<String> second = serverArgs(port, secret);
    second.addAll(List.of("--restore", checkpoint));
    try (ChildJvm server = new ChildJvm(ParameterServerMain.class, second)) {
      server.awaitLine("READY", 30_000);
      float[] resumed = train(port, STEPS / 2, STEPS);
      assertArrayEquals(reference, resumed, "restored run ends where the uninterrupted one does");
      server.send("quit");
      assertEquals(0, server.awaitExit(30_000), server.transcript());
    }
  }

  @Test
  void restoreRejectsAMismatchedServer() throws IOException {
    FloatBuffer initBuffer = floats(SIZE);
    initBuffer.put(initial()).flip();
    String checkpoint = tmp.resolve("c.ckpt").toUri().toString();
    try (ParameterServer ps = ParameterServer.launch(serverContext(dir, freeUdpPort()).shards(2)
        .workers(WORKERS).initialParameters(initBuffer))) {
      ps.checkpoint(checkpoint);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ParameterServer.launch(serverContext(dir, freeUdpPort()).shards(3).workers(WORKERS)
            .restoreFrom(checkpoint)));
    assertTrue(e.getMessage().contains("shards=2"), e.getMessage());
    Files.write(Path.of(java.net.URI.create(checkpoint)), new byte[] {1, 2, 3});
    assertThrows(java.io.UncheckedIOException.class,
        () -> ParameterServer.launch(serverContext(dir, freeUdpPort()).shards(2).workers(WORKERS)
            .restoreFrom(checkpoint)));
  }
}
