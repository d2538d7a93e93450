package io.sparkeras.ps;

import io.aeron.driver.MediaDriver;
import java.io.File;

/**
 * A JVM that launches an embedded media driver under {@code args[0]}, prints {@code DIR <path>}
 * and waits to be killed: the process a SIGKILLed executor is.
 */
public final class DriverHolderMain {
  private DriverHolderMain() {}

  public static void main(String[] args) throws Exception {
    MediaDriver driver = StaleDriverDirectoriesTest.driver(new File(args[0]));
    System.out.println("DIR " + driver.aeronDirectoryName());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
