package io.sparkeras.api.callbacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

  /** Feeds one value per epoch; returns the epoch at which it asked to stop, or -1. */
  private static int run(EarlyStopping es, Model model, String key, double... values) {
    es.setModel(model);
    model.setStopTraining(false);
    es.onTrainBegin(new HashMap<>());
    for (int epoch = 0; epoch < values.length; epoch++) {
      Map<String, Double> logs = new HashMap<>();
      logs.put(key, values[epoch]);
      es.onEpochEnd(epoch, logs);
      if (model.isStopTraining()) {
        es.onTrainEnd(logs);
        return epoch;
      }
    }
    es.onTrainEnd(new HashMap<>());
    return -1;
  }

  private static Model bare() {
    return new Sequential();
  }

  @Test
  void kerasDefaults() {
    EarlyStopping es = new EarlyStopping();
    assertEquals("val_loss", es.getMonitor());
    assertEquals(0, es.getPatience());
    assertEquals(0.0, es.getMinDelta());
    assertEquals(Mode.AUTO, es.getMode());
    assertEquals(null, es.getBaseline());
    assertFalse(es.isRestoreBestWeights());
    assertEquals(0, es.getStartFromEpoch());
  }

  @Test
  void stopsAfterPatienceEpochsWithoutImprovement() {
    // best at epoch 1; epochs 2 and 3 do not improve -> stop at 3 with patience 2
    EarlyStopping es = new EarlyStopping("val_loss", 2);
    assertEquals(3, run(es, bare(), "val_loss", 1.0, 0.9, 0.95, 0.96, 0.5));
    assertEquals(3, es.stoppedEpoch());
    assertEquals(1, es.bestEpoch());
    assertEquals(0.9, es.best());
    // an improvement resets the count
    assertEquals(-1, run(new EarlyStopping("val_loss", 2), bare(), "val_loss",
        1.0, 1.1, 0.9, 1.2, 0.8, 1.3));
    // patience 0: the first epoch without improvement stops (but never epoch 0)
    assertEquals(1, run(new EarlyStopping("val_loss", 0), bare(), "val_loss", 1.0, 1.0));
  }

  @Test
  void minDeltaDecidesWhatCountsAsImprovement() {
    double[] v = {1.0, 0.9995, 0.999, 0.9985};
    assertEquals(1, run(new EarlyStopping("loss", 1).minDelta(1e-3), bare(), "loss", v));
    assertEquals(-1, run(new EarlyStopping("loss", 1), bare(), "loss", v));
    // the sign of min_delta is ignored, as in Keras
    assertEquals(1e-3, new EarlyStopping().minDelta(-1e-3).getMinDelta());
  }

  @Test
  void modeAutoMaximisesAccuracyAndMinimisesTheRest() {
    double[] rising = {0.5, 0.6, 0.7, 0.8};
    assertEquals(-1, run(new EarlyStopping("val_accuracy", 1), bare(), "val_accuracy", rising));
    assertEquals(-1, run(new EarlyStopping("val_auc", 1), bare(), "val_auc", rising));
    assertEquals(1, run(new EarlyStopping("val_loss", 1), bare(), "val_loss", rising));
    assertEquals(1, run(new EarlyStopping("val_accuracy", 1).mode("min"), bare(), "val_accuracy",
        rising));
    assertEquals(-1, run(new EarlyStopping("val_loss", 1).mode(Mode.MAX), bare(), "val_loss",
        rising));
    assertThrows(IllegalArgumentException.class, () -> new EarlyStopping().mode("upwards"));
  }

  @Test
  void baselineMustBeBeatenToResetPatience() {
    double[] v = {0.9, 0.8, 0.85};
    // without baseline: epoch 2 is the first miss, patience 2 not reached
    assertEquals(-1, run(new EarlyStopping("loss", 2), bare(), "loss", v));
    // with baseline 0.5 nothing resets the count: 3 epochs counted, stop at the first miss
    EarlyStopping es = new EarlyStopping("loss", 2).baseline(0.5);
    assertEquals(2, run(es, bare(), "loss", v));
    assertEquals(1, es.bestEpoch());
    // beating the baseline resets it
    assertEquals(-1, run(new EarlyStopping("loss", 2).baseline(0.5), bare(), "loss",
        0.9, 0.4, 0.45));
  }

  @Test
  void startFromEpochIgnoresTheWarmUp() {
    double[] v = {5.0, 6.0, 7.0, 1.0, 2.0, 3.0};
    assertEquals(1, run(new EarlyStopping("loss", 0), bare(), "loss", v));
    EarlyStopping es = new EarlyStopping("loss", 1).startFromEpoch(3);
    assertEquals(4, run(es, bare(), "loss", v));
    assertEquals(3, es.bestEpoch());
  }

  @Test
  void missingKeyWarnsWithTheKeysThereAre() {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    int stopped;
    try {
      EarlyStopping es = new EarlyStopping("val_loss", 0);
      Model m = bare();
      es.setModel(m);
      es.onTrainBegin(new HashMap<>());
      Map<String, Double> logs = new LinkedHashMap<>();
      logs.put("loss", 1.0);
      logs.put("accuracy", 0.5);
      es.onEpochEnd(0, logs);
      es.onEpochEnd(1, logs);
      stopped = m.isStopTraining() ? 1 : 0;
    } finally {
      System.setErr(old);
    }
    String err = buf.toString(StandardCharsets.UTF_8);
    assertEquals(0, stopped);
    assertTrue(err.contains("WARN") && err.contains("`val_loss`")
        && err.contains("Available metrics are: loss,accuracy"), err);
  }

  @Test
  void restoresTheBestEpochsWeights() {
    Model m = TinyModels.classifier(1e-2);
    int n = m.getFlatWeights().length;
    double[] losses = {0.5, 0.3, 0.4, 0.45};
    float[][] w = new float[losses.length][n];
    for (int e = 0; e < losses.length; e++) {
      Arrays.fill(w[e], e + 1);
    }
    for (boolean restore : new boolean[] {true, false}) {
      EarlyStopping es = new EarlyStopping("loss", 2).restoreBestWeights(restore);
      es.setModel(m);
      m.setStopTraining(false);
      es.onTrainBegin(new HashMap<>());
      for (int e = 0; e < losses.length && !m.isStopTraining(); e++) {
        m.setFlatWeights(w[e]);
        Map<String, Double> logs = new HashMap<>();
        logs.put("loss", losses[e]);
        es.onEpochEnd(e, logs);
      }
      assertEquals(3, es.stoppedEpoch());
      es.onTrainEnd(new HashMap<>());
      assertArrayEquals(restore ? w[1] : w[3], m.getFlatWeights(), "restore=" + restore);
    }
  }

  @Test
  void stopsARealFitAndRestoresTheBestEpoch() {
    NDArray[] d = TinyModels.data(48, 1);
    Model m = TinyModels.classifier(1e-2);
    TinyModels.Recorder rec = new TinyModels.Recorder();
    // min_delta so large that only the first epoch improves: stop at epoch 2 of 20
    EarlyStopping es = new EarlyStopping("loss", 2).minDelta(100).restoreBestWeights(true);
    History h = m.fit(d[0], d[1], FitOptions.epochs(20).batchSize(16).verbose(0)
        .callbacks(rec, es));
    assertEquals(3, h.get("loss").size());
    assertEquals(2, es.stoppedEpoch());
    assertTrue(m.isStopTraining());
    assertArrayEquals(rec.weights.get(0), m.getFlatWeights());
    assertFalse(Arrays.equals(rec.weights.get(0), rec.weights.get(2)));
  }

  @Test
  void rejectsBadSettings() {
    assertThrows(IllegalArgumentException.class, () -> new EarlyStopping().patience(-1));
    assertThrows(IllegalArgumentException.class, () -> new EarlyStopping().monitor(""));
    assertThrows(IllegalArgumentException.class, () -> new EarlyStopping().startFromEpoch(-2));
    assertThrows(IllegalArgumentException.class, () -> new EarlyStopping().baseline(Double.NaN));
  }
}
