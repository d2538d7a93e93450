package io.sparkeras.backend.tensorflow;

import static io.sparkeras.driver.SparkTestSupport.CLASSES;
import static io.sparkeras.driver.SparkTestSupport.FEATURES;
import static io.sparkeras.driver.SparkTestSupport.assertClose;
import static io.sparkeras.driver.SparkTestSupport.awaitExecutors;
import static io.sparkeras.driver.SparkTestSupport.classifier;
import static io.sparkeras.driver.SparkTestSupport.copy;
import static io.sparkeras.driver.SparkTestSupport.features;
import static io.sparkeras.driver.SparkTestSupport.flat;
import static io.sparkeras.driver.SparkTestSupport.frame;
import static io.sparkeras.driver.SparkTestSupport.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.callbacks.History;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.optimizers.Adam;
import io.sparkeras.cluster.JvmFlags;
import io.sparkeras.cluster.StandaloneCluster;
import io.sparkeras.driver.SparkTrainer;
import io.sparkeras.ps.SyncMode;
import io.sparkeras.worker.SparkBackend;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A distributed fit with executors on the tensorflow backend: a real standalone cluster whose
 * executor JVMs are started without {@code -Dsparkeras.backend} (their own default is torch) and
 * get the backend from the application's {@code spark.sparkeras.backend}; the sync fit of 2
 * workers equals the local fit of the driver (tensorflow too), and predict on the executors
 * equals local predict.
 */
@Timeout(value = 360, unit = TimeUnit.SECONDS)
class DistributedTensorFlowFitTest {
  static final int ROWS = 60; // not a multiple of the batch: the last step is partial
  static StandaloneCluster cluster;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    String cachedir = System.getProperty("org.bytedeco.javacpp.cachedir");
    cluster = StandaloneCluster.builder()
        .workers(1).coresPerWorker(2).memoryPerWorker("2g")
        .workDir(Paths.get("target", "tensorflow-cluster", String.valueOf(System.currentTimeMillis())))
        .environment("OMP_WAIT_POLICY", "PASSIVE").environment("OPENBLAS_NUM_THREADS", "1")
        .environment("TF_CPP_MIN_LOG_LEVEL", "1").environment("TF_ENABLE_ONEDNN_OPTS", "0")
        .environment(Backends.BACKEND_ENV_NAME, "")
        .executorJavaOptions(JvmFlags.AERON_EXPORT + " -Dsparkeras.threads=1"
            + (cachedir == null ? "" : " -Dorg.bytedeco.javacpp.cachedir=" + cachedir))
        .start();
    spark = SparkSession.builder()
        .appName("DistributedTensorFlowFitTest")
        .master(cluster.masterUrl())
        .config(SparkBackend.KEY, "tensorflow")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.executor.memory", "1536m")
        .config("spark.ui.enabled", "false")
        .getOrCreate();
    awaitExecutors(spark, 1, cluster);
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void syncFitOnTensorFlowExecutorsEqualsTheLocalFitAndPredictsAlike() {
    assertEquals("tensorflow", Backends.current().name());
    Sparkeras.setRandomSeed(7);
    float[][] x = features(ROWS, 11);
    int[] y = labels(x);
    Model model = classifier(new Adam(0.01));
    Model local = copy(model);
    FitOptions options = FitOptions.epochs(2).batchSize(8).shuffle(false).verbose(0);

    History localHistory = local.fit(NDArray.of(flat(x), ROWS, FEATURES), NDArray.ofLabels(y),
        options);
    Dataset<Row> df = frame(spark, x, y);
    SparkTrainer trainer = SparkTrainer.of(spark, model).workers(2).mode(SyncMode.SYNC)
        .ipc(false);
    History h = trainer.fit(df, "x", "y", options);

    assertClose(local.getFlatWeights(), model.getFlatWeights(), 1e-5, "weights");
    assertEquals(localHistory.last("loss"), h.last("loss"), 1e-5);

    // the executors' JVMs run tensorflow: chosen from the conf when the fit loaded its model
    List<String> executorBackends = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(List.of(0, 1), 2).map(i -> Backends.current().name()).distinct().collect();
    assertEquals(List.of("tensorflow"), executorBackends);

    NDArray expected = local.predict(NDArray.of(flat(x), ROWS, FEATURES));
    List<Row> scored = trainer.predict(df.repartition(2), "x").orderBy("id").collectAsList();
    assertEquals(ROWS, scored.size());
    for (int i = 0; i < ROWS; i++) {
      List<Float> p = scored.get(i).getList(scored.get(i).fieldIndex("prediction"));
      for (int k = 0; k < CLASSES; k++) {
        assertEquals(expected.get(i, k), p.get(k), 1e-5, "prediction of row " + i);
      }
    }
  }
}
