package io.sparkeras.api.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MonitorCallbackTest {

  /** The smallest monitor: remembers whether the last epoch improved. */
  static final class Watch extends MonitorCallback<Watch> {
    boolean improved;

    Watch() {
      super("Watch", "val_loss");
    }

    Watch minDelta(double d) {
      return setMinDelta(d, false);
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
      resetMonitor(null);
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
      Double v = monitored(logs);
      improved = v != null && isImprovement(v, best());
      if (improved) {
        setBest(v);
      }
    }
  }

  private static boolean[] feed(Watch w, String key, double... values) {
    boolean[] out = new boolean[values.length];
    w.onTrainBegin(Map.of());
    for (int i = 0; i < values.length; i++) {
      w.onEpochEnd(i, Map.of(key, values[i]));
      out[i] = w.improved;
    }
    return out;
  }

  @Test
  void autoModeFollowsTheKeyAndMinDeltaItsMagnitude() {
    Watch loss = new Watch().minDelta(-0.1);
    assertEquals(0.1, loss.getMinDelta(), "Keras keeps |min_delta|");
    boolean[] l = feed(loss, "val_loss", 1.0, 0.95, 0.92, 0.7);
    assertTrue(l[0]);
    assertFalse(l[1], "0.05 better is not more than min_delta");
    assertFalse(l[2], "best is still 1.0 (0.95 did not count): 0.92 + 0.1 is not below it");
    assertTrue(l[3]);
    assertEquals(0.7, loss.best());

    Watch acc = new Watch().monitor("val_accuracy");
    boolean[] a = feed(acc, "val_accuracy", 0.5, 0.4, 0.6);
    assertTrue(a[0] && !a[1] && a[2], "accuracy is maximised");
    Watch forced = new Watch().monitor("val_accuracy").mode("min");
    boolean[] f = feed(forced, "val_accuracy", 0.5, 0.6, 0.4);
    assertTrue(f[0] && !f[1] && f[2], "mode min overrides the name");
  }

  @Test
  void aMissingKeyIsNoImprovementAndBadSettingsNameTheCallback() {
    Watch w = new Watch();
    w.onTrainBegin(Map.of());
    w.onEpochEnd(0, Map.of("loss", 1.0));
    assertFalse(w.improved);
    assertNull(w.monitored(null));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Watch().minDelta(Double.NaN));
    assertEquals("Watch min_delta: expected a finite number, found NaN", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Watch().monitor(""));
    assertTrue(e.getMessage().startsWith("Watch monitor: expected a log key"), e.getMessage());
  }
}
