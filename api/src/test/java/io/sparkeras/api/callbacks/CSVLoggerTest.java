package io.sparkeras.api.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CSVLoggerTest {

  private static Map<String, Double> logs(Object... kv) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
    }
    return m;
  }

  private static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }

  @Test
  void writesSortedHeaderAndOneRowPerEpochFlushedEachEpoch(@TempDir Path dir)
      throws IOException {
    Path f = dir.resolve("log.csv");
    CSVLogger csv = new CSVLogger(f.toString());
    csv.onTrainBegin(new HashMap<>());
    csv.onEpochEnd(0, logs("loss", 0.5, "accuracy", 0.25, "val_loss", 1e-5));
    // flushed: readable before training ends
    assertEquals("epoch,accuracy,loss,val_loss\r\n0,0.25,0.5,1e-05\r\n", read(f));
    csv.onEpochEnd(1, logs("val_loss", 0.1 + 0.2, "loss", 2.0, "extra", 9));
    csv.onTrainEnd(new HashMap<>());
    assertEquals("epoch,accuracy,loss,val_loss\r\n"
        + "0,0.25,0.5,1e-05\r\n"
        + "1,NA,2.0,0.30000000000000004\r\n", read(f));
  }

  @Test
  void overwritesOrAppends(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("a/b/log.csv");
    CSVLogger csv = new CSVLogger(f.toUri().toString());
    for (int run = 0; run < 2; run++) {
      csv.onTrainBegin(new HashMap<>());
      csv.onEpochEnd(run, logs("loss", run + 1));
      csv.onTrainEnd(new HashMap<>());
    }
    assertEquals("epoch,loss\r\n1,2.0\r\n", read(f));
    csv.append(true);
    csv.onTrainBegin(new HashMap<>());
    csv.onEpochEnd(2, logs("loss", 3));
    csv.onTrainEnd(new HashMap<>());
    assertEquals("epoch,loss\r\n1,2.0\r\n2,3.0\r\n", read(f));
    // appending to an empty file writes the header
    Path empty = dir.resolve("empty.csv");
    Files.createFile(empty);
    CSVLogger app = new CSVLogger(empty.toString()).append(true);
    app.onTrainBegin(new HashMap<>());
    app.onEpochEnd(0, logs("loss", 1));
    app.onTrainEnd(new HashMap<>());
    assertEquals("epoch,loss\r\n0,1.0\r\n", read(empty));
  }

  @Test
  void separatorAndQuoting(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("semi.csv");
    CSVLogger csv = new CSVLogger(f.toString()).separator(";");
    csv.onTrainBegin(new HashMap<>());
    csv.onEpochEnd(0, logs("b;c", 1, "a", Double.NaN));
    csv.onTrainEnd(new HashMap<>());
    assertEquals("epoch;a;\"b;c\"\r\n0;nan;1.0\r\n", read(f));
    assertThrows(IllegalArgumentException.class, () -> new CSVLogger("x").separator(";;"));
    assertThrows(IllegalArgumentException.class, () -> new CSVLogger("x").separator("\""));
  }

  @Test
  void logsARealFit(@TempDir Path dir) throws IOException {
    NDArray[] d = TinyModels.data(48, 6);
    Model m = TinyModels.classifier(1e-2);
    Path f = dir.resolve("fit.csv");
    History h = m.fit(d[0], d[1], FitOptions.epochs(3).batchSize(16).validationSplit(0.25)
        .verbose(0).callbacks(new LearningRateScheduler((e, lr) -> lr), new CSVLogger(
            f.toString())));
    List<String> lines = Files.readAllLines(f);
    assertEquals("epoch,accuracy,learning_rate,loss,val_accuracy,val_loss", lines.get(0));
    assertEquals(4, lines.size());
    for (int e = 0; e < 3; e++) {
      assertEquals(e + "," + PyFormat.repr(h.get("accuracy").get(e)) + ",0.01,"
          + PyFormat.repr(h.get("loss").get(e)) + ","
          + PyFormat.repr(h.get("val_accuracy").get(e)) + ","
          + PyFormat.repr(h.get("val_loss").get(e)), lines.get(e + 1));
    }
  }
}
