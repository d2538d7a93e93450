package io.sparkeras.worker;

import io.aeron.driver.MediaDriver;
import io.sparkeras.ps.protocol.MediaDrivers;
import org.agrona.CloseHelper;

/**
 * The one Aeron media driver of an executor JVM that every task's parameter-server client uses
 * (launching one per task would cost 0.3-0.5 s per task and epoch). Started on first use, closed
 * (and its /dev/shm directory deleted) when the JVM exits.
 */
final class ClientDrivers {
  private static MediaDriver driver;

  private ClientDrivers() {}

  static synchronized String directory(TrainSpec spec) {
    if (spec.aeronDirectory != null && new java.io.File(spec.aeronDirectory).isDirectory()) {
      return spec.aeronDirectory;
    }
    if (driver == null) {
      MediaDriver d = MediaDrivers.launch(MediaDrivers.newDirectoryName(null, "sparkeras-worker"),
          spec.mtuLength, spec.termLength, spec.socketBufferLength, spec.receiverWindowLength,
          false);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> CloseHelper.quietClose(d),
          "sparkeras-worker-driver-close"));
      driver = d;
    }
    return driver.aeronDirectoryName();
  }
}
