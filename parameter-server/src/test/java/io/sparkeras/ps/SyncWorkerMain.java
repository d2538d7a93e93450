package io.sparkeras.ps;

import io.sparkeras.ps.client.ParameterServerClient;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * A worker process for {@link MultiProcessSyncTest}: own JVM, own embedded media driver.
 * Args: port partition steps size driverDirParent outFile. Prints {@code DONE <version>}.
 */
public final class SyncWorkerMain {
  private SyncWorkerMain() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int partition = Integer.parseInt(args[1]);
    int steps = Integer.parseInt(args[2]);
    int size = Integer.parseInt(args[3]);
    ParameterServerClient.Context ctx = PsTestSupport.clientContext(null, port, partition)
        .launchEmbeddedDriver(true).aeronDirectoryName(null).driverDirectoryParent(args[4]);
    long version;
    FloatBuffer params = PsTestSupport.floats(size);
    try (ParameterServerClient c = ParameterServerClient.connect(ctx)) {
      FloatBuffer grads = PsTestSupport.floats(size);
      c.pull(0, params);
      version = 0;
      for (long step = 0; step < steps; step++) {
        for (int i = 0; i < size; i++) {
          grads.put(i, MultiProcessSyncTest.gradient(partition, step, i));
        }
        c.pushGradient(0, step, grads);
        version = c.pull(step + 1, params);
      }
    }
    ByteBuffer out = ByteBuffer.allocate(size * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < size; i++) {
      out.putFloat(params.get(i));
    }
    try (OutputStream o = new FileOutputStream(args[5])) {
      o.write(out.array());
    }
    System.out.println("DONE " + version);
  }
}
