package io.sparkeras.api.tuner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/** Each oracle against synthetic objectives whose optimum is known. */
class OraclesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Runs a search to the end: one slot, the build function, one epoch per trial. */
  static List<Trial> search(Oracle oracle, Consumer<HyperParameters> build,
      ToDoubleFunction<HyperParameters> score) {
    SpaceExplorer.populate(build, oracle);
    List<Trial> ran = new ArrayList<>();
    while (true) {
      Trial t = oracle.createTrial("slot-0");
      if (t.status() == TrialStatus.STOPPED) {
        return ran;
      }
      assertEquals(TrialStatus.RUNNING, t.status(), "one slot never has to wait");
      HyperParameters hp = t.hyperparameters().copy();
      build.accept(hp);
      oracle.updateSpace(hp);
      ran.add(t);
      oracle.endTrial(t.id(), List.of(Execution.of(0,
          Map.of("score", List.of(score.applyAsDouble(hp))))));
    }
  }

  private static final Consumer<HyperParameters> DISCRETE = hp -> {
    hp.choice("act", "relu", "gelu", "tanh", "elu", "selu");
    hp.intRange("layers", 0, 4);
  };

  /** Best at act = tanh, layers = 3. */
  private static double discreteScore(HyperParameters hp) {
    int a = List.of("relu", "gelu", "tanh", "elu", "selu").indexOf(hp.getString("act"));
    return -Math.abs(a - 2) - Math.abs(hp.getInt("layers") - 3);
  }

  @Test
  void randomSearchTriesEachPointOnceAndFindsTheOptimumOfASmallSpace() {
    Oracle o = new RandomSearchOracle(Objective.max("score")).maxTrials(25).seed(3);
    List<Trial> ran = search(o, DISCRETE, OraclesTest::discreteScore);
    assertEquals(25, ran.size());
    Set<String> seen = new HashSet<>();
    for (Trial t : ran) {
      assertTrue(seen.add(t.hyperparameters().values().toString()), "repeated " + t);
    }
    Trial best = o.bestTrials(1).get(0);
    assertEquals(0.0, best.score());
    assertEquals("tanh", best.hyperparameters().getString("act"));
    assertEquals(3, best.hyperparameters().getInt("layers"));
  }

  @Test
  void gridSearchWalksEveryCombinationInOrderDefaultsFirst() {
    Oracle o = new GridSearchOracle(Objective.max("score"));
    List<Trial> ran = search(o, DISCRETE, OraclesTest::discreteScore);
    assertEquals(25, ran.size(), "5 x 5 combinations, then it stops by itself");
    assertEquals(Map.of("act", "relu", "layers", 0), ran.get(0).hyperparameters().values());
    assertEquals(Map.of("act", "relu", "layers", 1), ran.get(1).hyperparameters().values());
    assertEquals(Map.of("act", "gelu", "layers", 0), ran.get(5).hyperparameters().values());
    assertEquals(0.0, o.bestTrials(1).get(0).score());
  }

  @Test
  void gridSearchCoversConditionalBranches() {
    Consumer<HyperParameters> build = hp -> {
      String model = hp.choice("model", "mlp", "cnn");
      try (HyperParameters.Scope s = hp.conditionalScope("model", "mlp")) {
        if (model.equals("mlp")) {
          hp.choice("units", 8, 16);
        }
      }
      try (HyperParameters.Scope s = hp.conditionalScope("model", "cnn")) {
        if (model.equals("cnn")) {
          hp.intRange("filters", 1, 3);
        }
      }
    };
    Oracle o = new GridSearchOracle(Objective.max("score"));
    List<Trial> ran = search(o, build, hp -> hp.getString("model").equals("cnn")
        ? hp.getInt("filters") : 0);
    List<Map<String, Object>> values = new ArrayList<>();
    for (Trial t : ran) {
      values.add(t.hyperparameters().values());
    }
    assertEquals(List.of(Map.of("model", "mlp", "units", 8), Map.of("model", "mlp", "units", 16),
        Map.of("model", "cnn", "filters", 1), Map.of("model", "cnn", "filters", 2),
        Map.of("model", "cnn", "filters", 3)), values);
    assertEquals(3.0, o.bestTrials(1).get(0).score());
  }

  /** A smooth objective with its maximum 0 at (0.7, 0.2). */
  private static double bowl(HyperParameters hp) {
    double x = hp.getDouble("x") - 0.7;
    double y = hp.getDouble("y") - 0.2;
    return -(x * x + y * y);
  }

  private static final Consumer<HyperParameters> PLANE = hp -> {
    hp.floatRange("x", 0, 1);
    hp.floatRange("y", 0, 1);
  };

  @Test
  void bayesianOptimizationBeatsRandomSearchOnASmoothObjective() {
    double bayes = 0;
    double random = 0;
    int seeds = 6;
    for (int seed = 1; seed <= seeds; seed++) {
      Oracle b = new BayesianOptimizationOracle(Objective.max("score")).numInitialPoints(4)
          .maxTrials(16).seed(seed);
      search(b, PLANE, OraclesTest::bowl);
      bayes += b.bestTrials(1).get(0).score();
      Oracle r = new RandomSearchOracle(Objective.max("score")).maxTrials(16).seed(seed);
      search(r, PLANE, OraclesTest::bowl);
      random += r.bestTrials(1).get(0).score();
    }
    assertTrue(bayes / seeds > random / seeds, "mean best " + bayes / seeds + " vs random "
        + random / seeds);
    assertTrue(bayes / seeds > -1e-3, "within 0.03 of the optimum on average: " + bayes / seeds);
  }

  @Test
  void bayesianOptimizationWithExpectedImprovementFindsTheOptimum() {
    Oracle b = new BayesianOptimizationOracle(Objective.min("score")).numInitialPoints(4)
        .acquisition(Acquisition.EXPECTED_IMPROVEMENT).maxTrials(16).seed(2);
    search(b, PLANE, hp -> -bowl(hp));
    assertTrue(b.bestTrials(1).get(0).score() < 1e-3, "" + b.bestTrials(1).get(0));
  }

  @Test
  void hyperbandSpendsItsBudgetAsItsBracketsSay() {
    HyperbandOracle o = new HyperbandOracle(Objective.max("score")).maxEpochs(9).factor(3);
    o.seed(5);
    assertEquals(3, o.bracketCount());
    SpaceExplorer.populate(PLANE, o);
    int epochsTrained = 0;
    List<Trial> ran = new ArrayList<>();
    while (true) {
      Trial t = o.createTrial("slot-0");
      if (t.status() == TrialStatus.STOPPED) {
        break;
      }
      ran.add(t);
      int from = t.initialEpoch();
      int to = t.epochs(-1);
      if (t.continuesFrom() != null) {
        Trial past = o.trial(t.continuesFrom());
        assertEquals(TrialStatus.COMPLETED, past.status());
        assertEquals(past.epochs(-1), from, "continues where the round before stopped");
        assertEquals(past.hyperparameters().getDouble("x"), t.hyperparameters().getDouble("x"));
      }
      epochsTrained += to - from;
      // the longer it trains, the closer to the bowl's value
      double s = bowl(t.hyperparameters());
      List<Double> perEpoch = new ArrayList<>();
      for (int e = from; e < to; e++) {
        perEpoch.add(s - 1.0 / (e + 1));
      }
      o.endTrial(t.id(), List.of(Execution.of(from, Map.of("score", perEpoch))));
    }
    int expectedTrials = 0;
    int expectedEpochs = 0;
    for (int b = 2; b >= 0; b--) {
      for (int r = 0; r <= b; r++) {
        expectedTrials += o.size(b, r);
        expectedEpochs += o.size(b, r) * (o.epochs(b, r) - (r == 0 ? 0 : o.epochs(b, r - 1)));
      }
    }
    // brackets (size x epochs): 2: 9x1, 3x3, 1x9; 1: 5x3, 1x9 (rounded up); 0: 3x9
    assertEquals(9 + 3 + 1 + 5 + 2 + 3, expectedTrials);
    assertEquals(expectedTrials, ran.size());
    assertEquals(expectedEpochs, epochsTrained);
  }

  @Test
  void aSavedStateResumesTheSameSearch() throws Exception {
    Oracle whole = new RandomSearchOracle(Objective.max("score")).maxTrials(12).seed(9);
    List<Trial> all = search(whole, PLANE, OraclesTest::bowl);

    Oracle first = new RandomSearchOracle(Objective.max("score")).maxTrials(12).seed(9);
    SpaceExplorer.populate(PLANE, first);
    for (int i = 0; i < 5; i++) {
      Trial t = first.createTrial("slot-0");
      first.endTrial(t.id(), List.of(Execution.of(0, Map.of("score",
          List.of(bowl(t.hyperparameters()))))));
    }
    Trial interrupted = first.createTrial("slot-0");
    String saved = JSON.writeValueAsString(first.getState());
    @SuppressWarnings("unchecked")
    Oracle resumed = Oracles.fromState(JSON.readValue(saved, Map.class), "oracle.json");
    resumed.requeueInterrupted();
    List<Trial> rest = search(resumed, PLANE, OraclesTest::bowl);
    assertEquals(interrupted.id(), rest.get(0).id(), "the interrupted trial runs again first");
    assertEquals(7, rest.size(), "finished trials are not run again");
    assertEquals(1, rest.get(0).runs());
    for (int i = 0; i < all.size(); i++) {
      assertEquals(all.get(i).hyperparameters().values(),
          resumed.trials().get(i).hyperparameters().values());
    }
  }

  @Test
  void failedTrialsAreRetriedThenMarkedAndTooManyInARowStopTheSearch() {
    Oracle o = new RandomSearchOracle(Objective.max("score")).maxTrials(10).seed(1)
        .maxRetriesPerTrial(1).maxConsecutiveFailedTrials(2);
    SpaceExplorer.populate(PLANE, o);
    Trial t = o.createTrial("a");
    o.failTrial(t.id(), "boom");
    Trial again = o.createTrial("a");
    assertEquals(t.id(), again.id(), "retried");
    assertEquals(2, again.runs());
    o.failTrial(t.id(), "boom again");
    assertEquals(TrialStatus.FAILED, o.trial(t.id()).status());
    assertEquals("boom again", o.trial(t.id()).message());
    Trial next = o.createTrial("a");
    o.failTrial(next.id(), "x");
    assertEquals(next.id(), o.createTrial("a").id());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> o.failTrial(next.id(), "last error"));
    assertTrue(e.getMessage().contains("last error"), e.getMessage());
  }

  @Test
  void aTrialWithoutTheObjectiveInItsLogsFailsSayingSo() {
    Oracle o = new RandomSearchOracle(Objective.max("val_accuracy")).maxTrials(3).seed(1);
    SpaceExplorer.populate(PLANE, o);
    Trial t = o.createTrial("a");
    o.endTrial(t.id(), List.of(Execution.of(0, Map.of("accuracy", List.of(0.5)))));
    assertEquals(TrialStatus.FAILED, o.trial(t.id()).status());
    assertNotNull(o.trial(t.id()).message());
    assertTrue(o.trial(t.id()).message().contains("'val_accuracy' is not among"));
  }

  @Test
  void objectiveDirectionIsInferredAsKerasTunerDoes() {
    assertEquals(Objective.Direction.MAX, Objective.of("val_accuracy").direction());
    assertEquals(Objective.Direction.MIN, Objective.of("val_loss").direction());
    assertEquals(Objective.Direction.MAX, Objective.of("auc").direction());
    assertThrows(IllegalArgumentException.class, () -> Objective.of("val_custom"));
  }
}
