package io.sparkeras.ps;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A JVM started from the test classpath, with its output lines readable with deadlines. */
public final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final StringBuffer transcript = new StringBuffer();
  private final Writer stdin;

  public ChildJvm(Class<?> main, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    cmd.add("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");
    cmd.add("-Xmx512m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(args);
    try {
      process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          transcript.append(line).append('\n');
          lines.add(line);
        }
      } catch (IOException ignored) {
        // process gone
      }
    }, "child-output-" + main.getSimpleName());
    reader.setDaemon(true);
    reader.start();
  }

  /** Waits for a line starting with {@code prefix}; fails with the transcript after the deadline. */
  public String awaitLine(String prefix, long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (true) {
      long left = deadline - System.nanoTime();
      String line = lines.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
      if (line != null && line.startsWith(prefix)) {
        return line;
      }
      if (line == null) {
        throw new AssertionError("no line '" + prefix + "' within " + timeoutMs + " ms (alive="
            + process.isAlive() + "):\n" + transcript);
      }
    }
  }

  public void send(String line) throws IOException {
    stdin.write(line + "\n");
    stdin.flush();
  }

  public Process process() {
    return process;
  }

  public String transcript() {
    return transcript.toString();
  }

  /** SIGKILL, as a crashed host would. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Waits for a normal exit (up to the timeout), then kills. Returns the exit code. */
  public int awaitExit(long timeoutMs) throws InterruptedException {
    if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
      kill();
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
