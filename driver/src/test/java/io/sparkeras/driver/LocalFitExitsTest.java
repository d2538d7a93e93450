package io.sparkeras.driver;

import static org.junit.jupiter.api.Assertions.*;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.optimizers.Adam;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program that trains on local Spark and returns from main must exit: no thread of ours, or
 * of Spark's that we start, may keep the JVM alive (Spark's BarrierTaskContext companion holds a
 * non-daemon Timer once initialised, so the worker must not touch it).
 */
class LocalFitExitsTest {

  /** The child: a 2-worker sync fit on local[2], then main returns without System.exit. */
  public static void main(String[] args) {
    Sparkeras.setRandomSeed(1);
    SparkSession spark = SparkTestSupport.session("LocalFitExitsTest");
    float[][] x = SparkTestSupport.features(40, 3);
    SparkTrainer.of(spark, SparkTestSupport.classifier(new Adam(0.01))).workers(2)
        .fit(SparkTestSupport.frame(spark, x, SparkTestSupport.labels(x)), "x", "y",
            FitOptions.epochs(1).batchSize(8).verbose(0));
    spark.stop();
    System.out.println("main returned");
  }

  @Test
  void theJvmExitsAfterMainReturns(@TempDir Path dir) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-") || a.startsWith("-XX:+Ignore") || a.startsWith("-Djdk.reflect")
          || a.startsWith("-Dorg.bytedeco")) {
        cmd.add(a);
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(LocalFitExitsTest.class.getName());
    Path log = dir.resolve("child.log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
        .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
      while (p.isAlive() && !Files.readString(log).contains("main returned")
          && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertTrue(Files.readString(log).contains("main returned"),
          "the fit did not finish: " + tail(Files.readString(log)));
      // Spark's own shutdown hooks take a second or two
      boolean exited = p.waitFor(30, TimeUnit.SECONDS);
      String out = Files.readString(log);
      assertTrue(exited, "the JVM did not exit within 30 s after main returned: " + tail(out));
      assertEquals(0, p.exitValue(), tail(out));
    } finally {
      p.destroyForcibly();
    }
  }

  private static String tail(String s) {
    return s.length() <= 3000 ? s : s.substring(s.length() - 3000);
  }
}
