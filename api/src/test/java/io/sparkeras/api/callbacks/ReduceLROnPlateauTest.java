package io.sparkeras.api.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReduceLROnPlateauTest {

  /** Feeds one value per epoch; returns the "learning_rate" logged at every epoch. */
  private static List<Double> run(ReduceLROnPlateau cb, Model m, String key, double... values) {
    cb.setModel(m);
    cb.onTrainBegin(new HashMap<>());
    List<Double> lrs = new ArrayList<>();
    for (int epoch = 0; epoch < values.length; epoch++) {
      Map<String, Double> logs = new HashMap<>();
      logs.put(key, values[epoch]);
      cb.onEpochEnd(epoch, logs);
      lrs.add(logs.get("learning_rate"));
    }
    return lrs;
  }

  @Test
  void kerasDefaults() {
    ReduceLROnPlateau cb = new ReduceLROnPlateau();
    assertEquals("val_loss", cb.getMonitor());
    assertEquals(0.1, cb.getFactor());
    assertEquals(10, cb.getPatience());
    assertEquals(Mode.AUTO, cb.getMode());
    assertEquals(1e-4, cb.getMinDelta());
    assertEquals(0, cb.getCooldown());
    assertEquals(0.0, cb.getMinLr());
  }

  @Test
  void reducesAfterPatienceWithCooldownAndFloor() {
    Model m = TinyModels.classifier(0.1);
    ReduceLROnPlateau cb = new ReduceLROnPlateau().factor(0.5).patience(2).cooldown(2)
        .minLr(0.02);
    double[] flat = new double[10];
    java.util.Arrays.fill(flat, 1.0);
    List<Double> lrs = run(cb, m, "val_loss", flat);
    // epoch 0 sets the best; 1, 2 miss -> halve after 2; 3 cooldown; in 4 the cooldown ends
    // and it counts (Keras); 5 misses -> halve; 6 cooldown; 7, 8 -> 0.0125 floored at 0.02
    assertEquals(List.of(0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.02), lrs);
    assertEquals(0.02, m.getOptimizer().getLearningRate(), 0);
  }

  @Test
  void withoutCooldownTheNextPatienceStartsAtOnce() {
    Model m = TinyModels.classifier(0.1);
    ReduceLROnPlateau cb = new ReduceLROnPlateau().factor(0.5).patience(2);
    List<Double> lrs = run(cb, m, "val_loss", 1, 1, 1, 1, 1, 1);
    assertEquals(List.of(0.1, 0.1, 0.1, 0.05, 0.05, 0.025), lrs);
  }

  @Test
  void minDeltaAndMode() {
    Model m = TinyModels.classifier(0.1);
    // improvements of 5e-5 are below the default min_delta 1e-4
    run(new ReduceLROnPlateau().patience(2), m, "val_loss", 1.0, 0.99995, 0.99992);
    assertEquals(0.01, m.getOptimizer().getLearningRate(), 1e-12);
    m.getOptimizer().setLearningRate(0.1);
    run(new ReduceLROnPlateau().patience(2).minDelta(1e-6), m, "val_loss", 1.0, 0.99995, 0.99992);
    assertEquals(0.1, m.getOptimizer().getLearningRate(), 0);
    // accuracy is maximised in auto mode: rising values never reduce
    run(new ReduceLROnPlateau().monitor("val_accuracy").patience(1), m, "val_accuracy",
        0.1, 0.2, 0.3, 0.4);
    assertEquals(0.1, m.getOptimizer().getLearningRate(), 0);
    run(new ReduceLROnPlateau().monitor("val_accuracy").mode("min").patience(1), m,
        "val_accuracy", 0.1, 0.2);
    assertEquals(0.01, m.getOptimizer().getLearningRate(), 1e-12);
  }

  @Test
  void addsTheLearningRateToARealFitsHistory() {
    NDArray[] d = TinyModels.data(48, 2);
    Model m = TinyModels.classifier(0.01);
    // min_delta so large that only the first epoch improves: halve after every later epoch
    ReduceLROnPlateau cb = new ReduceLROnPlateau().monitor("loss").factor(0.5).patience(1)
        .minDelta(100);
    History h = m.fit(d[0], d[1], FitOptions.epochs(3).batchSize(16).verbose(0).callbacks(cb));
    assertEquals(List.of(0.01, 0.01, 0.005), h.get("learning_rate"));
    assertEquals(0.0025, m.getOptimizer().getLearningRate(), 1e-15);
  }

  @Test
  void rejectsBadSettings() {
    assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau().factor(1.0));
    assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau().factor(-0.1));
    assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau().minLr(-1));
    assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau().cooldown(-1));
    assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau().patience(-1));
  }
}
