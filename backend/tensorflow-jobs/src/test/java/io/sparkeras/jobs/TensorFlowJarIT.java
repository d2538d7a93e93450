package io.sparkeras.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkeras.api.datasets.FashionMnist;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.cluster.StandaloneCluster;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * sparkeras-jobs-tensorflow's shaded jar on a real standalone cluster, submitted with Spark's own
 * {@code SparkSubmit} (as {@link SparkSubmitJarIT} submits the torch-only jar) and
 * {@code --conf spark.sparkeras.backend=tensorflow}: the driver and the executors (started
 * without any Sparkeras setting of their own) train on TensorFlow, with the protobuf-java 3.19
 * that Spark's tink brings first on every classpath (the jar's relocated protobuf must not see
 * it).
 */
@Timeout(900)
class TensorFlowJarIT {
  static final Path WORK = Path.of("target", "tensorflow-jar-it").toAbsolutePath();

  @Test
  void trainOnTensorFlowExecutorsWithTheShadedJar() throws Exception {
    Assumptions.assumeTrue(FashionMnist.isAvailable(), "Fashion-MNIST (Debian package) missing");
    Path jar = Path.of(System.getProperty("sparkeras.jobs.jar", "missing"));
    assertTrue(Files.isRegularFile(jar), "run after packaging: " + jar);
    Set<String> entries = entries(jar);
    assertTrue(entries.contains("io/sparkeras/shaded/com/google/protobuf/Message.class"));
    assertFalse(entries.stream().anyMatch(e -> e.startsWith("com/google/protobuf/")),
        "protobuf must be relocated");
    assertTrue(entries.stream().anyMatch(e -> e.contains("libtensorflow")),
        "the jar holds TensorFlow's natives");

    String classpath = withClusterProtobuf(
        SparkSubmitJarIT.withoutJarContents(System.getProperty("java.class.path"), jar));
    SparkSubmitJarIT.deleteRecursively(WORK);
    Files.createDirectories(WORK);
    Path model = WORK.resolve("mlp.json");
    Files.writeString(model, new Sequential(Input.of(784), new Dense(32).activation("relu"),
        new Dense(10).activation("softmax")).toJson());
    String data = WORK.resolve("fmnist").toUri().toString();
    String saved = WORK.resolve("fmnist.keras").toUri().toString();

    try (StandaloneCluster cluster = StandaloneCluster.builder().workers(1).coresPerWorker(2)
        .memoryPerWorker("2500m").workDir(WORK.resolve("cluster")).classpath(classpath)
        .executorJavaOptions("").start()) {
      System.setProperty("spark.sql.warehouse.dir", WORK.resolve("warehouse").toString());
      JobRun ds = JobRun.of("dataset", "fashion-mnist", "--output", data, "--limit", "1000");
      assertEquals(0, ds.exitCode, ds.err);

      JsonNode train = SparkSubmitJarIT.submit(WORK, cluster, classpath, jar, Map.of(
          "spark.sparkeras.backend", "tensorflow",
          "spark.executor.memory", "2g",
          "spark.executorEnv.TF_ENABLE_ONEDNN_OPTS", "0",
          "spark.executorEnv.TF_CPP_MIN_LOG_LEVEL", "1"),
          "train", "--model", model.toString(),
          "--input", data + "/train", "--features", "features", "--label", "label",
          "--epochs", "2", "--batch-size", "64", "--workers", "2", "--mode", "sync",
          "--optimizer", "adam", "--learning-rate", "0.002",
          "--loss", "sparse_categorical_crossentropy", "--metrics", "accuracy", "--seed", "1",
          "--validation", data + "/test", "--output", saved);
      double accuracy = train.get("metrics").get("accuracy").asDouble();
      assertTrue(accuracy > 0.4, "Fashion-MNIST validation accuracy " + accuracy);
      assertTrue(Files.isRegularFile(WORK.resolve("fmnist.keras")));

      String driverLog = Files.readString(WORK.resolve("submit-train.log"));
      assertTrue(driverLog.contains("tensorflow backend: TensorFlow"), "the driver's log");
      String executorLogs = executorStderr(cluster.workDir());
      assertTrue(executorLogs.contains("tensorflow backend: TensorFlow"),
          "the executors must run tensorflow; their logs: " + executorLogs);
      assertFalse(executorLogs.contains("torch backend:"), executorLogs);
    }
  }

  /** Every executor's stderr under the cluster's work directory, concatenated. */
  static String executorStderr(Path clusterDir) throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(clusterDir)) {
      for (Path f : files.filter(f -> f.getFileName().toString().equals("stderr")).toList()) {
        all.append(Files.readString(f, StandardCharsets.UTF_8));
      }
    }
    return all.toString();
  }

  static Set<String> entries(Path jar) throws IOException {
    Set<String> names = new HashSet<>();
    try (JarFile jf = new JarFile(jar.toFile())) {
      for (Enumeration<JarEntry> en = jf.entries(); en.hasMoreElements(); ) {
        names.add(en.nextElement().getName());
      }
    }
    return names;
  }

  /**
   * {@code classpath} with protobuf-java 3.19.6 (copied to target/ by the build: what Spark's
   * tink brings) first, in place of the 3.21 that TensorFlow Java's pom adds here: a cluster's
   * own protobuf.
   */
  static String withClusterProtobuf(String classpath) {
    Path old = Path.of("target", "cluster-protobuf", "protobuf-java.jar").toAbsolutePath();
    assertTrue(Files.isRegularFile(old), old.toString());
    List<String> kept = new ArrayList<>(List.of(old.toString()));
    for (String e : classpath.split(File.pathSeparator)) {
      if (!e.contains(File.separator + "protobuf-java-")) {
        kept.add(e);
      }
    }
    return String.join(File.pathSeparator, kept);
  }
}
