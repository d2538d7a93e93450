package io.sparkeras.driver.tuner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkeras.api.callbacks.EarlyStopping;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.optimizers.Adam;
import io.sparkeras.api.tuner.Execution;
import io.sparkeras.api.tuner.HyperModel;
import io.sparkeras.api.tuner.HyperbandOracle;
import io.sparkeras.api.tuner.Objective;
import io.sparkeras.api.tuner.Trial;
import io.sparkeras.api.tuner.TrialStatus;
import io.sparkeras.driver.ChildJvm;
import io.sparkeras.driver.SparkTestSupport;
import io.sparkeras.driver.TrainerSettings;
import io.sparkeras.worker.BadRowPolicy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Searches on a real local Spark session: tiny models, a few hundred rows, seconds each. */
class TunerSparkTest {
  private static SparkSession spark;
  private static Dataset<Row> train;
  private static Dataset<Row> validation;
  private static float[][] valX;
  private static int[] valY;

  /** 4 -> units (act) -> 3 softmax, Adam(lr): 8 points. */
  static final HyperModel HYPERMODEL = hp -> {
    Model m = new Sequential(Input.of(SparkTestSupport.FEATURES),
        new Dense(hp.choice("units", 4, 8)).activation(hp.choice("act", "relu", "tanh")),
        new Dense(SparkTestSupport.CLASSES).activation("softmax"));
    m.compile(new Adam(hp.choice("lr", 0.01, 0.05)), Losses.sparseCategoricalCrossentropy(),
        Metrics.accuracy());
    return m;
  };

  @BeforeAll
  static void start() {
    spark = SparkTestSupport.session("TunerSparkTest");
    float[][] x = SparkTestSupport.features(240, 1);
    train = SparkTestSupport.frame(spark, x, SparkTestSupport.labels(x));
    valX = SparkTestSupport.features(60, 2);
    valY = SparkTestSupport.labels(valX);
    validation = SparkTestSupport.frame(spark, valX, valY);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static Dataset<Row> train() {
    return train;
  }

  @Test
  void randomSearchRunsTrialsAsParallelTasksAndKeepsEverythingInTheDirectory(
      @TempDir Path dir) throws Exception {
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    Tuner tuner = Tuner.randomSearch(HYPERMODEL, Objective.max("val_accuracy")).maxTrials(4)
        .seed(1).directory(dir.toUri().toString());
    tuner.search(spark, train, validation, "x", "y", SearchOptions.parallelTrials(2)
        .withEpochs(4).batchSize(16)
        .callbacks(() -> List.of(new EarlyStopping("val_loss", 1).minDelta(100)))
        .progress(new PrintStream(lines, true, StandardCharsets.UTF_8)));

    List<Trial> trials = tuner.oracle().trials();
    assertEquals(4, trials.size());
    for (Trial t : trials) {
      assertEquals(TrialStatus.COMPLETED, t.status(), t.toString());
      Execution e = t.executions().get(0);
      assertEquals(2, e.metrics().get("val_loss").length,
          "EarlyStopping(patience 1, min_delta 100) ends each run after 2 of 4 epochs");
      assertTrue(Files.exists(dir.resolve("trial_" + t.id()).resolve("checkpoint.keras")));
      assertTrue(Files.exists(dir.resolve("trial_" + t.id()).resolve("trial.json")));
    }
    assertTrue(overlap(trials), "two slots: some trials ran at the same time");
    String out = lines.toString(StandardCharsets.UTF_8);
    assertEquals(4, out.lines().filter(l -> l.startsWith("Trial ")).count(), out);

    Trial best = tuner.bestTrials(1).get(0);
    Model model = tuner.bestModels(1).get(0);
    Map<String, Double> scores = model.evaluate(NDArray.of(SparkTestSupport.flat(valX),
        valX.length, SparkTestSupport.FEATURES), labels(valY));
    assertEquals(best.score(), scores.get("accuracy"), 1e-9,
        "the checkpoint holds the best epoch's weights");
    assertTrue(tuner.resultsSummary(2).contains("Showing 2 best trials"));
    Path png = dir.resolve("search.png");
    tuner.plot(png.toUri().toString());
    byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 4);
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, head);
  }

  private static NDArray labels(int[] y) {
    float[] f = new float[y.length];
    for (int i = 0; i < y.length; i++) {
      f[i] = y[i];
    }
    return NDArray.of(f, y.length);
  }

  private static boolean overlap(List<Trial> trials) {
    for (Trial a : trials) {
      for (Trial b : trials) {
        if (a != b && a.startedMs() < b.endedMs() && b.startedMs() < a.endedMs()) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void hyperbandContinuesTheBestTrialsFromTheirCheckpoints(@TempDir Path dir) {
    Tuner tuner = Tuner.hyperband(HYPERMODEL, Objective.max("val_accuracy")).maxEpochs(3)
        .factor(3).seed(2).directory(dir.toUri().toString());
    tuner.search(spark, train, validation, "x", "y",
        SearchOptions.parallelTrials(2).batchSize(16).progress(null));
    List<Trial> trials = tuner.oracle().trials();
    // bracket 1: 3 trials of 1 epoch, then the best continues to 3; bracket 0: 2 of 3 epochs
    assertEquals(6, trials.size());
    List<Trial> continued = new ArrayList<>();
    for (Trial t : trials) {
      assertEquals(TrialStatus.COMPLETED, t.status(), t.toString());
      if (t.continuesFrom() != null) {
        continued.add(t);
      }
    }
    assertEquals(1, continued.size());
    Trial c = continued.get(0);
    Trial from = tuner.oracle().trial(c.continuesFrom());
    assertEquals(1, c.executions().get(0).initialEpoch());
    assertEquals(2, c.executions().get(0).epochs(), "epochs 1 and 2");
    assertEquals(1, from.executions().get(0).epochs());
    for (Trial t : trials) {
      if (t.hyperparameters().getInt(HyperbandOracle.BRACKET) == 1 && t.continuesFrom() == null) {
        assertTrue(!Objective.max("val_accuracy").better(t.score(), from.score()),
            "the best of round 0 continues");
      }
    }
  }

  @Test
  void aSearchWhoseDriverWasKilledResumesWithoutRerunningFinishedTrials(@TempDir Path dir)
      throws Exception {
    Path state = dir.resolve("tune");
    Path oracleJson = state.resolve(TunerDirectory.ORACLE);
    List<String> finishedBefore = new ArrayList<>();
    try (ChildJvm child = ChildJvm.start(TuneChild.class, dir, "-Dtune.dir="
        + state.toUri())) {
      long deadline = System.currentTimeMillis() + 240_000;
      while (finishedBefore.size() < 2 && child.isAlive()
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(200);
        finishedBefore = completed(oracleJson);
      }
      assertTrue(child.isAlive(), "the child must be killed mid-search: " + child.describe());
      assertTrue(finishedBefore.size() >= 2, child.describe());
    }
    // killed; whatever it finished after our last look is also on disk
    Tuner again = TuneChild.tuner(state.toUri().toString());
    again.reload();
    Map<String, Long> endedBefore = new java.util.HashMap<>();
    for (Trial t : again.oracle().trials()) {
      if (t.status() == TrialStatus.COMPLETED) {
        endedBefore.put(t.id(), t.endedMs());
      }
    }
    assertTrue(endedBefore.keySet().containsAll(finishedBefore));
    assertNotEquals(TuneChild.TRIALS, endedBefore.size(), "some trials were left to run");
    TuneChild.search(spark, again);
    List<Trial> trials = again.oracle().trials();
    assertEquals(TuneChild.TRIALS, trials.size());
    for (Trial t : trials) {
      assertEquals(TrialStatus.COMPLETED, t.status(), t.toString());
      if (endedBefore.containsKey(t.id())) {
        assertEquals(endedBefore.get(t.id()), t.endedMs(), "trial " + t.id() + " ran again");
        assertEquals(1, t.runs());
      }
    }
  }

  /**
   * A trial whose task fails (a row one value short: bad rows fail the task by default) is
   * retried, then marked FAILED with the row's error, in the directory too; three failures in a
   * row end the search with that error. With the trials' settings skipping bad rows, the same
   * table trains.
   */
  @Test
  void trialsWhoseTasksFailAreRetriedThenMarkedFailedAndEndTheSearch(@TempDir Path dir) {
    float[][] x = SparkTestSupport.features(40, 3);
    int[] y = SparkTestSupport.labels(x);
    x[7] = java.util.Arrays.copyOf(x[7], SparkTestSupport.FEATURES - 1);
    Dataset<Row> bad = SparkTestSupport.frame(spark, x, y);
    String failing = dir.resolve("failing").toUri().toString();
    Tuner tuner = Tuner.randomSearch(HYPERMODEL, Objective.max("val_accuracy")).maxTrials(8)
        .maxRetriesPerTrial(1).seed(5).directory(failing);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> tuner.search(spark, bad, validation, "x", "y",
            SearchOptions.parallelTrials(1).shards(1).progress(null)));
    assertTrue(e.getMessage().contains("3 trials failed in a row")
        && e.getMessage().contains("of partition 0"), e.getMessage());
    Tuner saved = Tuner.randomSearch(HYPERMODEL, Objective.max("val_accuracy"))
        .directory(failing).reload();
    for (Tuner t : List.of(tuner, saved)) {
      assertEquals(3, t.oracle().trials().size());
      for (Trial trial : t.oracle().trials()) {
        assertEquals(TrialStatus.FAILED, trial.status(), trial.toString());
        assertEquals(2, trial.runs(), "run once, retried once");
        assertTrue(trial.message().contains("of partition 0"), trial.message());
      }
    }

    Tuner skipping = Tuner.randomSearch(HYPERMODEL, Objective.max("val_accuracy")).maxTrials(2)
        .seed(5).directory(dir.resolve("skipping").toUri().toString());
    skipping.search(spark, bad, validation, "x", "y", SearchOptions.parallelTrials(1).shards(1)
        .trialSettings(new TrainerSettings().set(TrainerSettings.BAD_ROWS, BadRowPolicy.SKIP))
        .progress(null));
    for (Trial trial : skipping.oracle().trials()) {
      assertEquals(TrialStatus.COMPLETED, trial.status(), trial.toString());
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> completed(Path oracleJson) {
    List<String> ids = new ArrayList<>();
    try {
      if (!Files.exists(oracleJson)) {
        return ids;
      }
      Map<String, Object> m = new ObjectMapper().readValue(oracleJson.toFile(), Map.class);
      for (Object o : (List<Object>) m.get("trials")) {
        Map<String, Object> t = (Map<String, Object>) o;
        if ("COMPLETED".equals(t.get("status"))) {
          ids.add((String) t.get("trial_id"));
        }
      }
    } catch (java.io.IOException e) {
      // being replaced right now: look again next time
    }
    return ids;
  }
}
