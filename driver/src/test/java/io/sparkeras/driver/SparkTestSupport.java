package io.sparkeras.driver;

import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.optimizers.Optimizer;
import io.sparkeras.worker.WorkerModels;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** Shared set-up: a local[2] session that allows task retries, small models, synthetic data. */
public final class SparkTestSupport {
  public static final int FEATURES = 4;
  public static final int CLASSES = 3;

  private SparkTestSupport() {}

  /**
   * local[4, 4]: four slots (a barrier stage of 4 workers needs them all at once; the machine
   * may have fewer cores), up to 4 attempts per task (the retry test needs more than one).
   */
  public static SparkSession session(String name) {
    return SparkSession.builder().master("local[4,4]").appName(name)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
  }

  /**
   * Waits until {@code executors} executors have registered with a cluster session (a barrier
   * job is refused while fewer slots than tasks are registered), at most 90 s.
   */
  public static void awaitExecutors(SparkSession spark, int executors, Object cluster) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(90);
    // the driver counts as one
    while (spark.sparkContext().statusTracker().getExecutorInfos().length < executors + 1) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("executors did not register: " + cluster);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** 4 -> 8 (relu) -> 3 (softmax), sparse categorical crossentropy, accuracy. */
  public static Model classifier(Optimizer optimizer) {
    Model m = new Sequential(Input.of(FEATURES), new Dense(8).activation("relu"),
        new Dense(CLASSES).activation("softmax"));
    m.compile(optimizer, Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
    return m;
  }

  /** An independent copy: same architecture, compile settings and weights. */
  public static Model copy(Model m) {
    return WorkerModels.load(WorkerModels.toBytes(m));
  }

  public static float[][] features(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] x = new float[n][FEATURES];
    for (float[] row : x) {
      for (int j = 0; j < FEATURES; j++) {
        row[j] = (float) (r.nextDouble() * 2 - 1);
      }
    }
    return x;
  }

  /** Class = argmax of a fixed linear map: learnable. */
  public static int[] labels(float[][] x) {
    int[] y = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      float[] s = {x[i][0] + x[i][1], x[i][2] - x[i][0], x[i][3] - x[i][1]};
      y[i] = s[0] >= s[1] && s[0] >= s[2] ? 0 : s[1] >= s[2] ? 1 : 2;
    }
    return y;
  }

  /** Synthetic rows ({@link #features}, {@link #labels}) and their DataFrame ({@link #frame}). */
  record Rows(float[][] x, int[] y, Dataset<Row> df) {
    static Rows of(SparkSession spark, int n, long seed) {
      float[][] x = features(n, seed);
      int[] y = labels(x);
      return new Rows(x, y, frame(spark, x, y));
    }
  }

  /** id long, x array<float>, y int, note string; in the given row order, one partition. */
  public static Dataset<Row> frame(SparkSession spark, float[][] x, int[] y) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      rows.add(RowFactory.create((long) i, x[i], y[i], "row" + i));
    }
    return spark.createDataFrame(rows,
        StructType.fromDDL("id bigint, x array<float>, y int, note string"));
  }

  public static float[] flat(float[][] x) {
    float[] f = new float[x.length * x[0].length];
    for (int i = 0; i < x.length; i++) {
      System.arraycopy(x[i], 0, f, i * x[i].length, x[i].length);
    }
    return f;
  }

  /** |a - b| <= rel * max(1, |a|) for every element. */
  public static void assertClose(float[] expected, float[] actual, double rel, String what) {
    if (expected.length != actual.length) {
      throw new AssertionError(what + ": lengths " + expected.length + " vs " + actual.length);
    }
    double worst = 0;
    int at = -1;
    for (int i = 0; i < expected.length; i++) {
      double d = Math.abs(expected[i] - actual[i]) / Math.max(1.0, Math.abs(expected[i]));
      if (d > worst) {
        worst = d;
        at = i;
      }
    }
    if (worst > rel) {
      throw new AssertionError(what + ": element " + at + " differs by " + worst + " (relative): "
          + expected[at] + " vs " + actual[at]);
    }
  }
}
