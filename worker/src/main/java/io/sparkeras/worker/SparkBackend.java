package io.sparkeras.worker;

import io.sparkeras.api.backend.Backends;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;

/**
 * The backend a Spark application names once for its driver and every executor:
 * {@code spark.sparkeras.backend}. The driver selects it before it builds a model (the jobs do
 * it first thing; {@code SparkTrainer} checks the model's backend against it), and an executor
 * before it loads the first model of a task, from the application's conf, which Spark gives every
 * executor: no {@code spark.executorEnv.SPARKERAS_BACKEND} is needed. When the key is unset each
 * JVM keeps its own choice ({@code -Dsparkeras.backend}, {@code SPARKERAS_BACKEND}, else torch).
 * The model files a fit ships are the same on every backend; a JVM that already runs another
 * backend refuses the task with a message that names the key.
 *
 * <pre>{@code
 * spark-submit --conf spark.sparkeras.backend=tensorflow --jars sparkeras-jobs-tensorflow-...-all.jar ...
 * SparkBackend.select(spark.sparkContext().getConf());   // what the driver does
 * }</pre>
 */
public final class SparkBackend {
  /** The Spark conf key naming the application's backend. */
  public static final String KEY = "spark.sparkeras.backend";

  private SparkBackend() {}

  /** Selects (or checks) the backend {@code conf} names; nothing when it names none. */
  public static void select(SparkConf conf) {
    if (conf != null && conf.contains(KEY)) {
      Backends.select(conf.get(KEY), KEY);
    }
  }

  /** On an executor (or the driver in local mode): {@link #select} with the application's conf. */
  public static void selectFromSparkEnv() {
    SparkEnv env = SparkEnv.get();
    if (env != null) {
      select(env.conf());
    }
  }
}
