package io.sparkeras.api.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallbackListTest {

  /** Writes "<name>.<hook>" for every hook it gets. */
  static final class Tracer extends Callback {
    final String name;
    final List<String> calls;

    Tracer(String name, List<String> calls) {
      this.name = name;
      this.calls = calls;
    }

    private void log(String hook) {
      calls.add(name + "." + hook);
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
      log("trainBegin");
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
      log("trainEnd");
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
      log("epochBegin" + epoch);
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
      log("epochEnd" + epoch);
    }

    @Override
    public void onTrainBatchBegin(int batch, Map<String, Double> logs) {
      log("trainBatchBegin" + batch);
    }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
      log("trainBatchEnd" + batch);
    }

    @Override
    public void onTestBegin(Map<String, Double> logs) {
      log("testBegin");
    }

    @Override
    public void onTestEnd(Map<String, Double> logs) {
      log("testEnd");
    }

    @Override
    public void onTestBatchBegin(int batch, Map<String, Double> logs) {
      log("testBatchBegin" + batch);
    }

    @Override
    public void onTestBatchEnd(int batch, Map<String, Double> logs) {
      log("testBatchEnd" + batch);
    }

    @Override
    public void onPredictBegin(Map<String, Double> logs) {
      log("predictBegin");
    }

    @Override
    public void onPredictEnd(Map<String, Double> logs) {
      log("predictEnd");
    }

    @Override
    public void onPredictBatchBegin(int batch, Map<String, Double> logs) {
      log("predictBatchBegin" + batch);
    }

    @Override
    public void onPredictBatchEnd(int batch, Map<String, Double> logs) {
      log("predictBatchEnd" + batch);
    }
  }

  @Test
  void passesEveryHookToEachCallbackInOrder() {
    List<String> calls = new ArrayList<>();
    CallbackList list = new CallbackList(List.of(new Tracer("a", calls), new Tracer("b", calls)));
    Map<String, Double> logs = Map.of();
    list.onTrainBegin(logs);
    list.onEpochBegin(0, logs);
    list.onTrainBatchBegin(1, logs);
    list.onTrainBatchEnd(1, logs);
    list.onEpochEnd(0, logs);
    list.onTrainEnd(logs);
    list.onTestBegin(logs);
    list.onTestBatchBegin(2, logs);
    list.onTestBatchEnd(2, logs);
    list.onTestEnd(logs);
    list.onPredictBegin(logs);
    list.onPredictBatchBegin(3, logs);
    list.onPredictBatchEnd(3, logs);
    list.onPredictEnd(logs);
    List<String> expected = new ArrayList<>();
    for (String hook : List.of("trainBegin", "epochBegin0", "trainBatchBegin1", "trainBatchEnd1",
        "epochEnd0", "trainEnd", "testBegin", "testBatchBegin2", "testBatchEnd2", "testEnd",
        "predictBegin", "predictBatchBegin3", "predictBatchEnd3", "predictEnd")) {
      expected.add("a." + hook);
      expected.add("b." + hook);
    }
    assertEquals(expected, calls);
    assertNull(list.history(), "a plain list has no History");
  }

  @Test
  void forFitPutsTheUsersCallbacksFirstThenHistoryThenTheBar() {
    Model model = TinyModels.classifier(0.01);
    Tracer user = new Tracer("user", new ArrayList<>());
    CallbackList list = CallbackList.forFit(model,
        FitOptions.epochs(2).verbose(2).callbacks(user), 5);
    List<Callback> all = list.callbacks();
    assertEquals(3, all.size(), all.toString());
    assertSame(user, all.get(0));
    assertSame(list.history(), all.get(1));
    assertTrue(all.get(2) instanceof ProgressBar, all.toString());
    for (Callback c : all) {
      assertSame(model, c.getModel(), c + " got the model");
    }
    CallbackList silent = CallbackList.forFit(model, FitOptions.epochs(2).verbose(0), 5);
    assertEquals(1, silent.callbacks().size(), "verbose 0: History only");
  }

  @Test
  void stepsAndProgressReachTheBarOnly() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream previous = System.out;
    List<String> calls = new ArrayList<>();
    CallbackList list;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      list = CallbackList.forFit(TinyModels.classifier(0.01),
          FitOptions.epochs(1).verbose(2).callbacks(new Tracer("user", calls)), -1);
      list.onEpochBegin(0, Map.of());
      list.showProgress(2, Map.of("loss", 0.5));
      list.setSteps(7);
      list.onEpochEnd(0, Map.of("loss", 0.25));
    } finally {
      System.setOut(previous);
    }
    String s = out.toString(StandardCharsets.UTF_8);
    assertTrue(s.contains("7/7 - "), "the bar learnt the step count: " + s);
    assertEquals(List.of("user.epochBegin0", "user.epochEnd0"), calls,
        "showProgress is not a batch hook");
    assertEquals(List.of(0.25), list.history().get("loss"));
  }
}
