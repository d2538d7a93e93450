package io.sparkeras.api.callbacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCheckpointTest {

  private static List<String> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  private static Map<String, Double> logs(String key, double v) {
    Map<String, Double> l = new HashMap<>();
    l.put(key, v);
    l.put("loss", 1.0);
    return l;
  }

  @Test
  void bestOnlySavesOnlyOnImprovementWithFormattedNames(@TempDir Path dir) throws IOException {
    Model m = TinyModels.classifier(1e-2);
    ModelCheckpoint ckpt = new ModelCheckpoint(dir + "/model-{epoch:02d}-{val_loss:.2f}.sparkeras")
        .saveBestOnly(true);
    ckpt.setModel(m);
    ckpt.onTrainBegin(new HashMap<>());
    double[] v = {0.5, 0.6, 0.4, 0.4, 0.45, 0.123};
    for (int e = 0; e < v.length; e++) {
      ckpt.onEpochEnd(e, logs("val_loss", v[e]));
    }
    assertEquals(List.of("model-01-0.50.sparkeras", "model-03-0.40.sparkeras",
        "model-06-0.12.sparkeras"), files(dir));
    assertEquals(0.123, ckpt.best());
    assertEquals(dir + "/model-06-0.12.sparkeras", ckpt.lastSavedPath());
  }

  @Test
  void modeAndThreshold(@TempDir Path dir) throws IOException {
    Model m = TinyModels.classifier(1e-2);
    // accuracy is maximised in auto mode; the threshold must be beaten first
    ModelCheckpoint ckpt = new ModelCheckpoint(dir.toUri() + "acc-{epoch}.sparkeras")
        .monitor("val_accuracy").saveBestOnly(true).initialValueThreshold(0.6);
    ckpt.setModel(m);
    ckpt.onTrainBegin(new HashMap<>());
    double[] v = {0.5, 0.7, 0.65, 0.9};
    for (int e = 0; e < v.length; e++) {
      ckpt.onEpochEnd(e, logs("val_accuracy", v[e]));
    }
    assertEquals(List.of("acc-2.sparkeras", "acc-4.sparkeras"), files(dir));
  }

  @Test
  void savesEveryEpochAndTheFileLoadsAndPredictsLikeThatEpoch(@TempDir Path dir)
      throws IOException {
    NDArray[] d = TinyModels.data(48, 5);
    Model m = TinyModels.classifier(5e-2);
    List<float[]> predictions = new ArrayList<>();
    Callback predictor = new Callback() {
      @Override
      public void onEpochEnd(int epoch, Map<String, Double> logs) {
        predictions.add(getModel().predict(d[0]).toArray());
      }
    };
    String path = dir.resolve("sub/dir").toString() + "/ep{epoch:02d}-{loss:.3f}.sparkeras";
    ModelCheckpoint ckpt = new ModelCheckpoint(path);
    m.fit(d[0], d[1], FitOptions.epochs(3).batchSize(16).verbose(0)
        .callbacks(predictor, ckpt));
    List<String> names = files(dir.resolve("sub/dir"));
    assertEquals(3, names.size(), names.toString());
    for (int e = 0; e < 3; e++) {
      String name = names.get(e);
      assertTrue(name.matches("ep0" + (e + 1) + "-\\d\\.\\d{3}\\.sparkeras"), name);
      Model loaded = Model.load(dir.resolve("sub/dir").resolve(name).toString());
      assertArrayEquals(predictions.get(e), loaded.predict(d[0]).toArray(), 1e-6f, name);
    }
    assertFalse(Arrays.equals(predictions.get(0), predictions.get(2)));
  }

  @Test
  void missingMonitorSavesAnywayAndMissingFieldFailsWithTheKeys(@TempDir Path dir)
      throws IOException {
    Model m = TinyModels.classifier(1e-2);
    ModelCheckpoint ckpt = new ModelCheckpoint(dir + "/best.sparkeras").saveBestOnly(true);
    ckpt.setModel(m);
    ckpt.onTrainBegin(new HashMap<>());
    ckpt.onEpochEnd(0, logs("loss", 0.3));
    assertEquals(List.of("best.sparkeras"), files(dir));

    ModelCheckpoint bad = new ModelCheckpoint(dir + "/m-{val_acc:.2f}.sparkeras");
    bad.setModel(m);
    bad.onTrainBegin(new HashMap<>());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> bad.onEpochEnd(0, logs("val_loss", 0.3)));
    assertTrue(e.getMessage().contains("val_acc") && e.getMessage().contains("[epoch, loss, "
        + "val_loss]"), e.getMessage());
  }

  @Test
  void rejectsBadSettings() {
    assertThrows(IllegalArgumentException.class, () -> new ModelCheckpoint(""));
    assertThrows(IllegalArgumentException.class, () -> new ModelCheckpoint("m-{epoch"));
    assertThrows(IllegalArgumentException.class, () -> new ModelCheckpoint("m-{}.x"));
    assertThrows(IllegalArgumentException.class,
        () -> new ModelCheckpoint("m.sparkeras").saveFreq("batch"));
    assertEquals("epoch", new ModelCheckpoint("m.sparkeras").saveFreq("epoch").getSaveFreq());
  }
}
