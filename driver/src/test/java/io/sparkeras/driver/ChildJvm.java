package io.sparkeras.driver;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A test's child JVM: this JVM's module flags and class path, its output in a log file, and
 * {@code -XX:ErrorFile} under {@code target/} so that a native crash leaves its {@code hs_err}
 * report where the build keeps its reports, and {@link #describe()} names it.
 *
 * <pre>{@code
 * ChildJvm child = ChildJvm.start(MyProgram.class, logDir, "-Dsparkeras.threads=2");
 * assertEquals(0, child.waitFor(120), child.describe());
 * }</pre>
 */
public final class ChildJvm implements AutoCloseable {
  private static final Path CRASH_DIR = Path.of("target", "crash-reports").toAbsolutePath();

  private final Process process;
  private final Path log;
  private final String name;

  private ChildJvm(Process process, Path log, String name) {
    this.process = process;
    this.log = log;
    this.name = name;
  }

  /** Starts {@code main} of {@code program} with the extra JVM options, output to a log. */
  public static ChildJvm start(Class<?> program, Path logDir, String... jvmOptions) throws IOException {
    return start(program, program.getSimpleName(), logDir, List.of(jvmOptions));
  }

  /**
   * Starts {@code main} of {@code program} with {@code args} (JVM options first, then
   * {@code --} and the program's arguments), output to {@code <name>.log}.
   */
  public static ChildJvm start(Class<?> program, String name, Path logDir, List<String> args)
      throws IOException {
    Files.createDirectories(CRASH_DIR);
    List<String> cmd = new ArrayList<>();
    cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-") || a.startsWith("-XX:+Ignore") || a.startsWith("-Djdk.reflect")
          || a.startsWith("-Dorg.bytedeco") || a.startsWith("-Dlog4j2.")
          || a.startsWith("-Dorg.slf4j.")) {
        cmd.add(a);
      }
    }
    cmd.add("-XX:ErrorFile=" + CRASH_DIR.resolve("hs_err_" + name + "_%p.log"));
    int split = args.indexOf("--");
    cmd.addAll(split < 0 ? args : args.subList(0, split));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(program.getName());
    if (split >= 0) {
      cmd.addAll(args.subList(split + 1, args.size()));
    }
    Path log = logDir.resolve(name + ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
        .start();
    return new ChildJvm(p, log, name);
  }

  /** Waits up to {@code seconds}; returns the exit code, or -1 if it is still running. */
  public int waitFor(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String output() throws IOException {
    return Files.readString(log);
  }

  /** The last lines of the output, and the crash report this child left, if any. */
  public String describe() throws IOException {
    String out = output();
    String tail = out.length() <= 4000 ? out : "..." + out.substring(out.length() - 4000);
    String crash = crashReport();
    return name + (process.isAlive() ? " (still running)" : " exited " + process.exitValue())
        + (crash == null ? "" : "; JVM crash report: " + crash) + "\n" + tail;
  }

  /** The {@code hs_err} file this child wrote, or null. */
  String crashReport() throws IOException {
    String suffix = "_" + process.pid() + ".log";
    try (Stream<Path> files = Files.list(CRASH_DIR)) {
      return files.map(Path::toString)
          .filter(f -> f.contains("hs_err_" + name) && f.endsWith(suffix))
          .findFirst().orElse(null);
    }
  }

  /** SIGKILL (no shutdown hooks run), and waits until the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /**
   * SIGTERM (shutdown hooks run), up to {@code seconds}; then SIGKILL. Returns whether it ended
   * by itself.
   */
  public boolean stop(long seconds) throws InterruptedException {
    process.destroy();
    if (process.waitFor(seconds, TimeUnit.SECONDS)) {
      return true;
    }
    kill();
    return false;
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
