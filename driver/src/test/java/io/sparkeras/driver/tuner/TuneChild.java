package io.sparkeras.driver.tuner;

import io.sparkeras.api.tuner.Objective;
import io.sparkeras.driver.SparkTestSupport;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** A driver JVM that runs a search until the test kills it. */
public final class TuneChild {
  static final int TRIALS = 8;

  private TuneChild() {}

  static Tuner tuner(String dir) {
    return Tuner.randomSearch(TunerSparkTest.HYPERMODEL, Objective.max("val_accuracy"))
        .maxTrials(TRIALS).seed(4).directory(dir);
  }

  static void search(SparkSession spark, Tuner tuner) {
    float[][] x = SparkTestSupport.features(240, 1);
    Dataset<Row> train = SparkTestSupport.frame(spark, x, SparkTestSupport.labels(x));
    float[][] v = SparkTestSupport.features(60, 2);
    Dataset<Row> val = SparkTestSupport.frame(spark, v, SparkTestSupport.labels(v));
    tuner.search(spark, train, val, "x", "y", SearchOptions.parallelTrials(2).withEpochs(6)
        .batchSize(8));
  }

  public static void main(String[] args) {
    SparkSession spark = SparkTestSupport.session("TuneChild");
    search(spark, tuner(System.getProperty("tune.dir")));
    spark.stop();
  }
}
