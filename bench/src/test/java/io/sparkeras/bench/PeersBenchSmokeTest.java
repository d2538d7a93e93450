package io.sparkeras.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sparkeras.api.datasets.FashionMnist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the peer benchmark from rotting: every system (Sparkeras sync / async / averaging, DL4J
 * shared / averaging in bench-dl4j's own JVM, MLlib's MLP, the single JVM) trains the MLP for one
 * epoch on a few hundred Fashion-MNIST rows, and each must produce a row with numbers; the CSV,
 * Markdown and PNG files must be written. No timing is checked.
 */
class PeersBenchSmokeTest {
  /** Children's logs and crash reports, kept with the build's reports. */
  private static final Path LOGS = Path.of("target", "peers-smoke-logs").toAbsolutePath();

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void everySystemProducesARow(@TempDir Path out) throws Exception {
    assumeTrue(FashionMnist.isAvailable(), "Fashion-MNIST missing: bin/setup --data-only");
    PeersBench.Options o = PeersBench.Options.parse("--epochs", "1", "--train-rows", "512",
        "--test-rows", "256", "--batch", "64", "--workloads", "mlp", "--mllib-seconds", "1",
        "--system-timeout", "240", "--no-ps", "--no-inference", "--out", out.toString(),
        "--logs", LOGS.toString());
    List<PeersBench.Result> results = PeersBench.run(o);

    assertEquals(PeersBench.SYSTEMS.size(), results.size());
    for (int i = 0; i < results.size(); i++) {
      PeersBench.Result r = results.get(i);
      assertEquals(PeersBench.SYSTEMS.get(i), r.system());
      assertNull(r.error(), r.system() + " failed (logs in " + LOGS + ")");
      double acc = r.finalAccuracy();
      assertTrue(acc > 0.1 && acc <= 1.0, r.system() + ": test accuracy " + acc);
      assertTrue(r.samplesPerSecondMedian() > 0, r.system() + ": no samples/s");
    }
    String base = "peers-" + LocalDate.now(ZoneOffset.UTC);
    List<String> csv = Files.readAllLines(out.resolve(base + ".csv"));
    assertTrue(csv.get(0).startsWith("system,workload,samples_per_s_median,samples_per_s_min,"
        + "samples_per_s_max,seconds_to_85,seconds_to_88,final_test_accuracy,peak_rss_mb"));
    assertEquals(1 + PeersBench.SYSTEMS.size(), csv.size());
    for (String system : PeersBench.SYSTEMS) {
      assertTrue(csv.stream().anyMatch(l -> l.startsWith(system + ",mlp,")), system);
    }
    assertTrue(Files.size(out.resolve(base + ".png")) > 1000);
    String md = Files.readString(out.resolve(base + ".md"));
    assertTrue(md.contains("| dl4j-shared |") && md.contains("Targets (mlp)"), md);
    assertFalse(md.contains("NaN"), md);
    try (java.util.stream.Stream<Path> shm = Files.list(Path.of("/dev/shm"))) {
      assertTrue(shm.noneMatch(f -> f.getFileName().toString().startsWith("aeron-"
          + System.getProperty("user.name") + "-")), "DL4J's Aeron directory left in /dev/shm");
    }
  }
}
