package io.sparkeras.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The JVM flags every Sparkeras JVM needs on Java 17: Spark's module opens (the list in
 * {@code org.apache.spark.launcher.JavaModuleOptions}) and Aeron's
 * {@code --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED}.
 *
 * <p>The list comes from the parent pom's {@code sparkeras.jvm.flags} property through resource
 * filtering, so Spark daemons started by {@link StandaloneCluster} get the same flags as the test
 * JVMs and {@code bin/sparkeras}.
 *
 * <pre>{@code
 * List<String> command = new ArrayList<>(List.of("java"));
 * command.addAll(JvmFlags.all());
 * }</pre>
 */
public final class JvmFlags {

  /** Aeron/Agrona's export; Spark does not add it to executors by itself. */
  public static final String AERON_EXPORT = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";

  private static final List<String> ALL = load();

  private JvmFlags() {}

  /** All flags, in order, one element per flag. */
  public static List<String> all() {
    return ALL;
  }

  /** All flags joined by spaces, e.g. for {@code spark.executor.extraJavaOptions}. */
  public static String joined() {
    return String.join(" ", ALL);
  }

  private static List<String> load() {
    Properties props = new Properties();
    try (InputStream in = JvmFlags.class.getResourceAsStream("jvm-flags.properties")) {
      if (in == null) {
        throw new IllegalStateException("jvm-flags.properties missing from the sparkeras-cluster classpath");
      }
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String flags = props.getProperty("flags", "").trim();
    if (flags.isEmpty() || flags.contains("${")) {
      throw new IllegalStateException("jvm-flags.properties was not filtered by Maven: '" + flags + "'");
    }
    return List.copyOf(Arrays.asList(flags.split("\\s+")));
  }
}
