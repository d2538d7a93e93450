package io.sparkeras.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkeras.api.datasets.FashionMnist;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.cluster.JvmFlags;
import io.sparkeras.cluster.StandaloneCluster;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shaded jar on a real standalone cluster (master, 2 workers and their executors: separate
 * JVMs), started with Spark's own {@code SparkSubmit} exactly as a data engineer would:
 * {@code train} on a Fashion-MNIST subset (written first by {@code dataset} in this JVM), then
 * {@code predict} to Delta. The cluster
 * and the submitting JVM get Spark and Hadoop only; every other class (Sparkeras, libtorch and
 * its natives, Aeron, picocli, Delta) must come from the jar, and the executors get Aeron's
 * export only from {@code spark.executor.extraJavaOptions}.
 */
@Timeout(900)
class SparkSubmitJarIT {
  static final Path WORK = Path.of("target", "spark-submit-it").toAbsolutePath();

  @Test
  void trainAndPredictWithTheShadedJar() throws Exception {
    Assumptions.assumeTrue(FashionMnist.isAvailable(), "Fashion-MNIST (Debian package) missing");
    Path jar = Path.of(System.getProperty("sparkeras.jobs.jar", "missing"));
    assertTrue(Files.isRegularFile(jar), "run after packaging: " + jar);
    String sparkOnly = withoutJarContents(System.getProperty("java.class.path"), jar);
    deleteRecursively(WORK);
    Files.createDirectories(WORK);
    Path model = WORK.resolve("mlp.json");
    Files.writeString(model, new Sequential(Input.of(784), new Dense(64).activation("relu"),
        new Dense(10).activation("softmax")).toJson());
    String data = WORK.resolve("fmnist").toUri().toString();
    String saved = WORK.resolve("fmnist.keras").toUri().toString();
    String scores = WORK.resolve("scores").toUri().toString();

    try (StandaloneCluster cluster = StandaloneCluster.builder().workers(2).coresPerWorker(1)
        .memoryPerWorker("1500m").workDir(WORK.resolve("cluster")).classpath(sparkOnly)
        .executorJavaOptions("").start()) {
      // the data in this JVM, through Main's own session (local[*], Delta configured, stopped
      // at the end): a spark-submit costs a minute of start-up on a loaded 2-core machine
      System.setProperty("spark.sql.warehouse.dir", WORK.resolve("warehouse").toString());
      JobRun ds = JobRun.of("dataset", "fashion-mnist", "--output", data, "--limit", "2000");
      assertEquals(0, ds.exitCode, ds.err);
      assertEquals(2000, ds.json.get("rows").get("train").asLong());

      JsonNode train = submit(cluster, sparkOnly, jar, "train", "--model", model.toString(),
          "--input", data + "/train", "--features", "features", "--label", "label",
          "--epochs", "2", "--batch-size", "64", "--workers", "2", "--mode", "sync",
          "--optimizer", "adam", "--learning-rate", "0.002",
          "--loss", "sparse_categorical_crossentropy", "--metrics", "accuracy", "--seed", "1",
          "--validation", data + "/test", "--output", saved);
      double accuracy = train.get("metrics").get("accuracy").asDouble();
      assertTrue(accuracy > 0.5, "Fashion-MNIST validation accuracy " + accuracy);

      JsonNode predict = submit(cluster, sparkOnly, jar, "predict", "--model", saved,
          "--input", data + "/test", "--features", "features", "--keep", "id,label",
          "--output", scores, "--output-format", "delta");
      assertEquals(2000, predict.get("rows").asLong());
      assertTrue(Files.isRegularFile(WORK.resolve("scores/_delta_log/00000000000000000000.json")));
    }
  }

  /** Runs SparkSubmit against the cluster and returns the job's JSON line. */
  static JsonNode submit(StandaloneCluster cluster, String classpath, Path jar, String... args)
      throws Exception {
    return submit(WORK, cluster, classpath, jar, Map.of(), args);
  }

  /**
   * Runs SparkSubmit from {@code work} (its logs land there) against the cluster, with extra
   * {@code --conf} settings (the submitting JVM's environment gets the
   * {@code spark.executorEnv.*} ones too), and returns the job's JSON line.
   */
  static JsonNode submit(Path work, StandaloneCluster cluster, String classpath, Path jar,
      Map<String, String> conf, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(JvmFlags.all());
    cmd.add("-Xmx1g");
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add("org.apache.spark.deploy.SparkSubmit");
    cmd.addAll(List.of("--master", cluster.masterUrl(), "--deploy-mode", "client",
        "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
        "--conf", "spark.ui.enabled=false", "--conf", "spark.executor.memory=1g",
        "--conf", "spark.sql.shuffle.partitions=4",
        "--conf", "spark.driver.extraJavaOptions=" + cacheDir(),
        "--conf", "spark.executor.extraJavaOptions=" + JvmFlags.AERON_EXPORT + " " + cacheDir(),
        // Spark refuses any "-Dspark..." in extraJavaOptions, -Dsparkeras.* included: the
        // backend reads SPARKERAS_THREADS from the executor's environment instead
        "--conf", "spark.executorEnv.SPARKERAS_THREADS=1"));
    conf.forEach((k, v) -> cmd.addAll(List.of("--conf", k + "=" + v)));
    cmd.addAll(List.of("--class", "io.sparkeras.jobs.Main", jar.toString()));
    cmd.addAll(Arrays.asList(args));
    Path log = work.resolve("submit-" + args[0] + ".log");
    Path out = work.resolve("submit-" + args[0] + ".out");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectError(log.toFile())
        .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("SPARK_HOME", cluster.workDir().resolve("spark-home").toString());
    pb.environment().remove("SPARKERAS_BACKEND");
    conf.forEach((k, v) -> {
      if (k.startsWith("spark.executorEnv.")) {
        pb.environment().put(k.substring("spark.executorEnv.".length()), v);
      }
    });
    Process p = pb.start();
    try {
      if (!p.waitFor(280, TimeUnit.SECONDS)) {
        throw new AssertionError(args[0] + ": spark-submit still running after 280 s; log " + log);
      }
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    String stdout = Files.readString(out, StandardCharsets.UTF_8).strip();
    String[] lines = stdout.split("\n");
    assertEquals(0, p.exitValue(), args[0] + " failed; stdout: " + stdout + "; log " + log);
    JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
    System.err.println("spark-submit " + args[0] + " -> " + json);
    assertEquals(args[0], json.get("command").asText());
    return json;
  }

  static String cacheDir() {
    return "-Dorg.bytedeco.javacpp.cachedir=" + System.getProperty("user.home")
        + "/.cache/sparkeras-javacpp";
  }

  /**
   * The test classpath without this build's modules and without every jar whose classes the
   * shaded jar holds (a jar counts as shaded when its first file outside META-INF is in the shaded jar): Spark,
   * Scala, Hadoop and the other libraries the jar leaves out remain.
   */
  static String withoutJarContents(String classpath, Path jar) throws IOException {
    Set<String> shaded = new HashSet<>();
    try (JarFile jf = new JarFile(jar.toFile())) {
      for (Enumeration<JarEntry> en = jf.entries(); en.hasMoreElements(); ) {
        shaded.add(en.nextElement().getName());
      }
    }
    List<String> kept = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    for (String e : classpath.split(File.pathSeparator)) {
      boolean ours = e.contains(File.separator + "target" + File.separator);
      boolean test = e.contains("hadoop-client-minicluster") || e.contains("junit");
      if (ours || test || (e.endsWith(".jar") && shaded.contains(firstFile(e)))) {
        dropped.add(e);
      } else {
        kept.add(e);
      }
    }
    assertTrue(dropped.stream().anyMatch(d -> d.contains(File.separator + "pytorch-")
        && d.endsWith("-linux-x86_64.jar")), "the jar holds libtorch's natives");
    for (String must : List.of("delta-spark_2.12",
        "aeron-client", "picocli")) {
      assertTrue(dropped.stream().anyMatch(d -> d.contains(must)), "the jar holds " + must);
    }
    return String.join(File.pathSeparator, kept);
  }

  private static String firstFile(String jarPath) throws IOException {
    try (JarFile jf = new JarFile(jarPath)) {
      for (Enumeration<JarEntry> en = jf.entries(); en.hasMoreElements(); ) {
        String n = en.nextElement().getName();
        if (!n.endsWith("/") && !n.startsWith("META-INF/") && !n.endsWith("module-info.class")) {
          return n;
        }
      }
    }
    return "";
  }

  static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      for (Path x : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(x);
      }
    }
  }
}
