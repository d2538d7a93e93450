package io.sparkeras.driver;

import static org.junit.jupiter.api.Assertions.*;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.optimizers.Adam;
import java.nio.file.Path;
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
    try (ChildJvm child = ChildJvm.start(LocalFitExitsTest.class, dir)) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
      while (child.isAlive() && !child.output().contains("main returned")
          && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertTrue(child.output().contains("main returned"),
          "the fit did not finish: " + child.describe());
      // Spark's own shutdown hooks take a second or two
      int code = child.waitFor(30);
      assertTrue(code != -1, "the JVM did not exit within 30 s after main returned: "
          + child.describe());
      assertEquals(0, code, child.describe());
    }
  }
}
