package io.sparkeras.api.callbacks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

  static Map<String, Double> logs() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("loss", 0.51234);
    m.put("accuracy", 0.8);
    m.put("val_loss", 0.4);
    return m;
  }

  @Test
  void verboseTwoPrintsOneKerasLinePerEpoch() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ProgressBar p = new ProgressBar(2, 3, 10, new PrintStream(out, true, StandardCharsets.UTF_8));
    p.onEpochBegin(0, Map.of());
    for (int i = 0; i < 10; i++) {
      p.onTrainBatchEnd(i, logs());
    }
    p.onEpochEnd(0, logs());
    String s = out.toString(StandardCharsets.UTF_8);
    assertTrue(s.startsWith("Epoch 1/3\n10/10 - "), s);
    assertTrue(s.contains("ms/step - accuracy: 0.8000 - loss: 0.5123 - val_loss: 0.4000\n"), s);
    assertTrue(!s.contains("\r") && !s.contains("\u2501"), "no live bar in logs: " + s);
  }

  @Test
  void verboseOneRedrawsABarInPlace() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ProgressBar p = new ProgressBar(1, 1, 4, new PrintStream(out, true, StandardCharsets.UTF_8));
    p.onEpochBegin(0, Map.of());
    p.onTrainBatchEnd(1, logs());
    p.onTrainBatchEnd(3, logs());
    p.onEpochEnd(0, logs());
    String s = out.toString(StandardCharsets.UTF_8);
    assertTrue(s.contains("\r2/4 \u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501"
        + "\u2500"), s);
    assertTrue(s.contains("\r4/4 " + "\u2501".repeat(20) + " "), s);
    assertTrue(s.endsWith("\n"), s);
  }
}
