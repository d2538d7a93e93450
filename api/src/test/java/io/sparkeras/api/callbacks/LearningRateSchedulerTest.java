package io.sparkeras.api.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LearningRateSchedulerTest {

  @Test
  void setsTheRateEachEpochAndLogsIt() {
    NDArray[] d = TinyModels.data(48, 3);
    Model m = TinyModels.classifier(0.04);
    List<int[]> seen = new ArrayList<>();
    List<Double> given = new ArrayList<>();
    LearningRateScheduler s = new LearningRateScheduler((epoch, lr) -> {
      seen.add(new int[] {epoch});
      given.add(lr);
      return epoch == 0 ? lr : lr / 2;
    });
    History h = m.fit(d[0], d[1], FitOptions.epochs(4).batchSize(16).verbose(0).callbacks(s));
    assertEquals(List.of(0.04, 0.02, 0.01, 0.005), h.get("learning_rate"));
    assertEquals(List.of(0.04, 0.04, 0.02, 0.01), given);
    assertEquals(4, seen.size());
    assertEquals(3, seen.get(3)[0]);
    assertEquals(0.005, m.getOptimizer().getLearningRate(), 0);
  }

  @Test
  void startsAtTheInitialEpoch() {
    NDArray[] d = TinyModels.data(24, 4);
    Model m = TinyModels.classifier(0.04);
    List<Integer> epochs = new ArrayList<>();
    LearningRateScheduler s = new LearningRateScheduler((epoch, lr) -> {
      epochs.add(epoch);
      return 0.001 * (epoch + 1);
    });
    History h = m.fit(d[0], d[1], FitOptions.epochs(3).initialEpoch(1).batchSize(12).verbose(0)
        .callbacks(s));
    assertEquals(List.of(1, 2), epochs);
    assertEquals(List.of(0.002, 0.003), h.get("learning_rate"));
  }

  @Test
  void rejectsABadRate() {
    Model m = TinyModels.classifier(0.01);
    LearningRateScheduler s = new LearningRateScheduler((epoch, lr) -> Double.NaN);
    s.setModel(m);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> s.onEpochBegin(2, new HashMap<>()));
    assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("epoch 2"),
        e.getMessage());
    LearningRateScheduler neg = new LearningRateScheduler((epoch, lr) -> -1);
    neg.setModel(m);
    assertThrows(IllegalArgumentException.class, () -> neg.onEpochBegin(0, new HashMap<>()));
    assertEquals(0.01, m.getOptimizer().getLearningRate(), 0);
    assertThrows(IllegalArgumentException.class, () -> new LearningRateScheduler(null));
    Map<String, Double> logs = new HashMap<>();
    LearningRateScheduler keep = new LearningRateScheduler((epoch, lr) -> lr);
    keep.setModel(m);
    keep.onEpochEnd(0, logs);
    assertEquals(Map.of("learning_rate", 0.01), logs);
  }
}
