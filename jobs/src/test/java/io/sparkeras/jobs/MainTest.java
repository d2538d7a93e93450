package io.sparkeras.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.models.Sequential;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The command line without Spark: help, usage errors and summary. */
@Timeout(60)
class MainTest {
  @TempDir
  Path dir;

  @Test
  void everyCommandHasHelp() throws Exception {
    for (String[] c : new String[][] {{"train", "--batch-size"}, {"evaluate", "--label"},
        {"predict", "--output-format"}, {"summary", "--model"}, {"dataset", "--limit"}, {"tune", "--max-trials"}}) {
      java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
      int code = Main.run(new java.io.PrintStream(o, true), System.err, c[0], "--help");
      assertEquals(0, code, c[0]);
      assertTrue(o.toString().contains(c[1]), c[0] + " --help: " + o);
    }
  }

  @Test
  void usageErrorsNameTheFlag() throws Exception {
    JobRun none = JobRun.of();
    assertEquals(2, none.exitCode);
    assertTrue(none.error().contains("expected a command"), none.error());

    JobRun notInt = JobRun.of("train", "--model", "m.json", "--input", "/x", "--features", "f",
        "--label", "y", "--output", "/o", "--epochs", "three");
    assertEquals(2, notInt.exitCode);
    assertTrue(notInt.error().contains("--epochs") && notInt.error().contains("three"),
        notInt.error());
    assertEquals("train", notInt.json.get("command").asText());

    JobRun missing = JobRun.of("predict", "--model", "m.keras", "--input", "/x");
    assertEquals(2, missing.exitCode);
    assertTrue(missing.error().contains("--features") && missing.error().contains("--output"),
        missing.error());

    JobRun mode = JobRun.of("train", "--model", "m.json", "--input", "/x", "--features", "f",
        "--label", "y", "--output", "/o", "--mode", "gossip");
    assertEquals(2, mode.exitCode);
    assertTrue(mode.error().startsWith("--mode: expected sync, async or averaging"), mode.error());

    JobRun stale = JobRun.of("train", "--model", "m.json", "--input", "/x", "--features", "f",
        "--label", "y", "--output", "/o", "--staleness", "2");
    assertEquals(2, stale.exitCode);
    assertTrue(stale.error().startsWith("--staleness: only with --mode async"), stale.error());

    JobRun batch = JobRun.of("train", "--model", "m.json", "--input", "/x", "--features", "f",
        "--label", "y", "--output", "/o", "--workers", "3", "--batch-size", "64");
    assertEquals(2, batch.exitCode);
    assertTrue(batch.error().startsWith("--batch-size: 64 is not a multiple of --workers 3"),
        batch.error());

    JobRun format = JobRun.of("predict", "--model", "m.keras", "--input", "/x", "--features",
        "f", "--output", "/o", "--output-format", "csv");
    assertEquals(2, format.exitCode);
    assertTrue(format.error().startsWith("--output-format: expected one of [parquet, delta]"),
        format.error());

    JobRun data = JobRun.of("dataset", "mnist", "--output", dir.resolve("d").toString());
    assertEquals(2, data.exitCode);
    assertTrue(data.error().contains("expected 'fashion-mnist', found 'mnist'"), data.error());
    assertFalse(Files.exists(dir.resolve("d")));
  }

  /** spark-submit's {@code --conf spark.sparkeras.backend} reaches Main as a system property. */
  @Test
  void aBackendThisJvmCannotRunIsRejectedBeforeAnythingRuns() throws Exception {
    String other = io.sparkeras.api.backend.Backends.current().name().equals("torch")
        ? "tensorflow" : "torch";
    System.setProperty("spark.sparkeras.backend", other);
    JobRun r;
    try {
      r = JobRun.of("dataset", "fashion-mnist", "--output", dir.resolve("d").toString());
    } finally {
      System.clearProperty("spark.sparkeras.backend");
    }
    assertEquals(2, r.exitCode);
    assertEquals("dataset", r.json.get("command").asText());
    assertTrue(r.error().startsWith("spark.sparkeras.backend asks for the '" + other + "' backend"),
        r.error());
    assertFalse(Files.exists(dir.resolve("d")));
  }

  @Test
  void tuneRejectsABadSearchSpaceNamingThePathOfTheBadValue() throws Exception {
    Path space = dir.resolve("space.json");
    Files.writeString(space, "{\"model\": {\"class_name\": \"Sequential\", \"config\": "
        + "{\"layers\": [{\"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": "
        + "[null, 4]}}, {\"class_name\": \"Dense\", \"config\": {\"units\": {\"hp\": "
        + "\"Int\", \"name\": \"units\", \"min_value\": 4, \"max_value\": \"lots\"}}}]}},"
        + " \"loss\": \"mse\"}");
    JobRun bad = JobRun.of("tune", "--space", space.toString(), "--input", "/x", "--features",
        "f", "--label", "y", "--directory", dir.resolve("t").toString(), "--output",
        dir.resolve("best.keras").toString());
    assertEquals(2, bad.exitCode);
    assertTrue(bad.error().endsWith("$.model.config.layers[1].config.units.max_value: expected a "
        + "whole number, found 'lots'"), bad.error());
    assertEquals("tune", bad.json.get("command").asText());
    assertFalse(Files.exists(dir.resolve("t")));
    assertFalse(Files.exists(dir.resolve("best.keras")));

    Files.writeString(space, "{\"model\": {}, \"loss\": \"mse\", \"optimiser\": \"adam\"}");
    JobRun typo = JobRun.of("tune", "--space", space.toString(), "--input", "/x", "--features",
        "f", "--label", "y", "--directory", dir.resolve("t").toString(), "--output", "/o");
    assertEquals(2, typo.exitCode);
    assertTrue(typo.error().contains("$.optimiser: unknown key"), typo.error());
  }

  @Test
  void summaryOfAKerasJsonDocument() throws Exception {
    Path json = dir.resolve("mlp.json");
    Files.writeString(json, new Sequential(Input.of(784), new Dense(128).activation("relu"),
        new Dense(10).activation("softmax")).toJson());
    JobRun r = JobRun.of("summary", "--model", json.toString());
    assertEquals(0, r.exitCode, r.err);
    assertTrue(r.out.contains("Total params"), r.out);
    assertEquals(784 * 128 + 128 + 128 * 10 + 10, r.json.get("params").asInt());
    assertEquals(784, r.json.get("inputs").get(0).get(0).asInt());
    assertEquals(10, r.json.get("outputs").get(0).get(0).asInt());
    assertFalse(r.json.get("compiled").asBoolean());

    JobRun bad = JobRun.of("summary", "--model", dir.resolve("none.json").toString());
    assertEquals(2, bad.exitCode);
    assertTrue(bad.error().startsWith("--model: cannot read"), bad.error());
  }
}
