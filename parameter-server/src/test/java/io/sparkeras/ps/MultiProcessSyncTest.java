package io.sparkeras.ps;

import static io.sparkeras.ps.PsTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Sync training with each worker in its own JVM and media driver, as Spark executors would be. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MultiProcessSyncTest {
  static final int SIZE = 7001;
  static final int WORKERS = 3;
  static final int STEPS = 4;

  @TempDir
  Path tmp;
  File shm;

  @BeforeEach
  void setUp() {
    shm = shmDir("mp");
  }

  @AfterEach
  void tearDown() {
    deleteTree(shm);
  }

  static float gradient(int worker, long step, int i) {
    return value(777 * worker + step, i);
  }

  @Test
  void workersInSeparateJvmsTrainToTheHandComputedParameters() throws Exception {
    int port = freeUdpPort();
    FloatBuffer init = floats(SIZE);
    for (int i = 0; i < SIZE; i++) {
      init.put(i, value(3, i));
    }
    File serverShm = new File(shm, "server");
    File workerShm = new File(shm, "workers");
    assertTrue(serverShm.mkdir() && workerShm.mkdir());
    try (ParameterServer server = ParameterServer.launch(serverContext(serverShm, port).shards(2)
        .workers(WORKERS).initialParameters(init).optimizer("adam", adamConfig(false)))) {
      List<ChildJvm> children = new ArrayList<>();
      try {
        for (int w = 0; w < WORKERS; w++) {
          children.add(new ChildJvm(SyncWorkerMain.class, List.of(String.valueOf(port),
              String.valueOf(w), String.valueOf(STEPS), String.valueOf(SIZE),
              workerShm.getAbsolutePath(), tmp.resolve("w" + w + ".f32").toString())));
        }
        for (ChildJvm c : children) {
          assertEquals("DONE " + STEPS, c.awaitLine("DONE", 90_000));
          assertEquals(0, c.awaitExit(30_000), c.transcript());
        }
      } finally {
        for (ChildJvm c : children) {
          c.close();
        }
      }
      String[] left = workerShm.list();
      assertEquals(0, left.length, "worker driver directories removed on close: " + Arrays.toString(left));

      double[] expected = new double[SIZE];
      for (int i = 0; i < SIZE; i++) {
        expected[i] = init.get(i);
      }
      PsTestSupport.RefAdam adam = new PsTestSupport.RefAdam(SIZE, 0.01, 0.8, 0.99, 1e-7, false);
      for (long step = 0; step < STEPS; step++) {
        double[] mean = new double[SIZE];
        for (int i = 0; i < SIZE; i++) {
          for (int w = 0; w < WORKERS; w++) {
            mean[i] += gradient(w, step, i);
          }
          mean[i] /= WORKERS;
        }
        adam.step(expected, mean, step + 1);
      }
      for (int w = 0; w < WORKERS; w++) {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(tmp.resolve("w" + w + ".f32")))
            .order(ByteOrder.LITTLE_ENDIAN);
        float[] got = new float[SIZE];
        b.asFloatBuffer().get(got);
        SyncModeTest.assertClose(expected, got);
      }
    }
    assertEquals(0, serverShm.list().length, "server driver directory removed on close");
  }
}
