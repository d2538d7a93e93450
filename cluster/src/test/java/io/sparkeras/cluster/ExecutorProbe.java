package io.sparkeras.cluster;

import java.io.Serializable;
import java.lang.management.ManagementFactory;

/**
 * A class that exists only on the test classpath: executors can load it only if the workers gave
 * them the test JVM's classpath through {@code SPARK_DIST_CLASSPATH}.
 */
public final class ExecutorProbe implements Serializable {
  private static final long serialVersionUID = 1L;

  private ExecutorProbe() {}

  /** A value computed with this class on the executor: {@code x * x + 1}. */
  public static long squarePlusOne(long x) {
    return x * x + 1;
  }

  /** The pid of the JVM running this code. */
  public static long pid() {
    return ProcessHandle.current().pid();
  }

  /** Whether java.base exports jdk.internal.misc to the unnamed module here (Aeron needs it). */
  public static boolean aeronExportPresent() {
    return Object.class.getModule().isExported("jdk.internal.misc", ExecutorProbe.class.getModule());
  }

  /** The JVM's input arguments, for messages. */
  public static String jvmArguments() {
    return String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments());
  }
}
