package io.sparkeras.api.trainers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sparkeras.api.callbacks.Callback;
import io.sparkeras.api.callbacks.CallbackList;
import io.sparkeras.api.callbacks.History;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EpochLoopTest {

  /** Epochs whose loss is 1/(epoch+1); validation 2x that when asked; records every call. */
  static final class Recorded implements EpochLoop.Epochs {
    final List<String> calls;
    final boolean validation;

    Recorded(List<String> calls, boolean validation) {
      this.calls = calls;
      this.validation = validation;
    }

    @Override
    public Map<String, Double> train(int epoch, CallbackList callbacks) {
      calls.add("train" + epoch);
      return Map.of("loss", 1.0 / (epoch + 1));
    }

    @Override
    public Map<String, Double> validate(int epoch) {
      calls.add("validate" + epoch);
      return validation ? Map.of("loss", 2.0 / (epoch + 1)) : Map.of();
    }

    @Override
    public void afterEpoch(int epoch, Map<String, Double> logs) {
      calls.add("after" + epoch + logs.keySet());
    }
  }

  /** Records hooks and their logs' keys; stops training at the end of {@code stopAt}. */
  static final class Hooks extends Callback {
    final List<String> calls;
    final int stopAt;

    Hooks(List<String> calls, int stopAt) {
      this.calls = calls;
      this.stopAt = stopAt;
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
      calls.add("trainBegin" + logs.keySet());
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
      calls.add("epochBegin" + epoch + logs.keySet());
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
      calls.add("epochEnd" + epoch + logs.keySet());
      if (epoch == stopAt) {
        getModel().setStopTraining(true);
      }
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
      calls.add("trainEnd" + new LinkedHashMap<>(logs));
    }
  }

  private static Model model() {
    return new Sequential(Input.of(2), new Dense(1));
  }

  @Test
  void callsTheHooksAndTheEpochInKerasOrder() {
    List<String> calls = new ArrayList<>();
    Model model = model();
    CallbackList callbacks = CallbackList.forFit(model,
        FitOptions.epochs(3).verbose(0).callbacks(new Hooks(calls, -1)), 4);
    History h = EpochLoop.run(model, callbacks, 1, 3, new Recorded(calls, true));
    assertEquals(List.of("trainBegin[]",
        "epochBegin1[]", "train1", "validate1", "epochEnd1[loss, val_loss]",
        "after1[loss, val_loss]",
        "epochBegin2[loss, val_loss]", "train2", "validate2", "epochEnd2[loss, val_loss]",
        "after2[loss, val_loss]",
        "trainEnd{loss=0.3333333333333333, val_loss=0.6666666666666666}"), calls);
    assertEquals(List.of(1, 2), h.epochs());
    assertEquals(List.of(0.5, 1.0 / 3), h.get("loss"));
    assertEquals(List.of(1.0, 2.0 / 3), h.get("val_loss"));
  }

  @Test
  void stopsAfterTheEpochInWhichACallbackAsks() {
    List<String> calls = new ArrayList<>();
    Model model = model();
    model.setStopTraining(true); // left over from an earlier fit: the loop clears it
    CallbackList callbacks = CallbackList.forFit(model,
        FitOptions.epochs(5).verbose(0).callbacks(new Hooks(calls, 1)), 4);
    History h = EpochLoop.run(model, callbacks, 0, 5, new Recorded(calls, false));
    assertEquals(List.of(0, 1), h.epochs());
    assertEquals("after1[loss]", calls.get(calls.size() - 2),
        "the stopping epoch still finishes (checkpoint): " + calls);
    assertEquals("trainEnd{loss=0.5}", calls.get(calls.size() - 1));
    assertFalse(h.history().containsKey("val_loss"), "no validation, no val_ keys");
  }
}
