package io.sparkeras.api.saving.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad files give a clear error, write nothing and leave the model the user holds unchanged. */
class KerasFilesBadInputTest {
  @TempDir
  Path tmp;

  private String message(Path file) {
    return assertThrows(Exception.class, () -> Model.load("file:" + file)).getMessage();
  }

  @Test
  void notAModelFile() throws IOException {
    Path text = Files.writeString(tmp.resolve("model.keras"), "hello, I am text");
    String m = message(text);
    assertTrue(m.contains("not a model file") && m.contains("68656c6c"), m);
    assertTrue(message(Files.write(tmp.resolve("empty.keras"), new byte[0])).contains("empty"));
  }

  @Test
  void truncatedFiles() throws IOException {
    byte[] keras = Files.readAllBytes(Path.of(KerasFilesTest.resource(tmp, "cnn.keras")
        .substring(5)));
    Path cut = Files.write(tmp.resolve("cut.keras"), Arrays.copyOf(keras, keras.length / 2));
    String m = message(cut);
    assertTrue(m.contains("truncated or corrupt"), m);
    byte[] h5 = Files.readAllBytes(Path.of(KerasFilesTest.resource(tmp, "cnn_legacy.h5")
        .substring(5)));
    Path cutH5 = Files.write(tmp.resolve("cut.h5"), Arrays.copyOf(h5, h5.length / 2));
    m = message(cutH5);
    assertTrue(m.contains("cut.h5") && m.contains("HDF5"), m);
  }

  @Test
  void unknownLayerNamesTheClassAndWhatIsSupported() throws IOException {
    Path src = Path.of(KerasFilesTest.resource(tmp, "mlp.keras").substring(5));
    Path bad = tmp.resolve("fancy.keras");
    rewriteConfig(src, bad, c -> c.replace("\"class_name\": \"Dropout\"",
        "\"class_name\": \"FancyLayer\"").replace("\"class_name\":\"Dropout\"",
        "\"class_name\":\"FancyLayer\""));
    String m = message(bad);
    assertTrue(m.contains("FancyLayer") && m.contains("Dense") && m.contains("Conv2D"), m);
  }

  @Test
  void weightOfTheWrongShapeNamesLayerVariableAndShapesAndChangesNothing() throws IOException {
    Model m = new Sequential(Input.of(12), new Dense(17).activation("relu"), new Dense(5));
    m.build(new int[] {12});
    float[] before = m.getFlatWeights();
    IOException e = assertThrows(IOException.class,
        () -> m.loadWeights(KerasFilesTest.resource(tmp, "mlp.weights.h5")));
    String msg = e.getMessage();
    assertTrue(msg.contains("variable 'kernel'") && msg.contains("[12, 17]")
        && msg.contains("[12, 16]") && msg.contains("layer '"), msg);
    assertArrayEquals(before, m.getFlatWeights(), "nothing half-loaded");
  }

  @Test
  void wrongNumberOfLayersChangesNothing() throws IOException {
    Model m = new Sequential(Input.of(12), new Dense(16), new Dense(16), new Dense(5));
    m.build(new int[] {12});
    float[] before = m.getFlatWeights();
    IOException e = assertThrows(IOException.class,
        () -> m.loadWeights(KerasFilesTest.resource(tmp, "mlp.weights.h5")));
    assertTrue(e.getMessage().contains("layer 'dense") && e.getMessage().contains("found"),
        e.getMessage());
    assertArrayEquals(before, m.getFlatWeights());
  }

  @Test
  void failedSaveLeavesNoFileAndKeepsTheOldOne() throws IOException {
    Model m = Model.load(KerasFilesTest.resource(tmp, "mlp.keras"));
    Path target = tmp.resolve("keep.keras");
    Files.writeString(target, "old");
    assertThrows(IllegalArgumentException.class, () -> m.save("file:" + tmp.resolve("x.h5")));
    assertThrows(IllegalArgumentException.class, () -> m.saveWeights("file:" + tmp.resolve("w.h5")));
    assertFalse(Files.exists(tmp.resolve("x.h5")));
    m.save("file:" + target);
    assertTrue(Files.size(target) > 1000);
    try (var s = Files.list(tmp)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary");
    }
  }

  @Test
  void sparkerasZipStillLoads() throws IOException {
    Model m = Model.load(KerasFilesTest.resource(tmp, "mlp.keras"));
    Path old = tmp.resolve("old.sparkeras");
    io.sparkeras.api.saving.ModelFormat.save(m, "file:" + old);
    Model again = Model.load("file:" + old);
    KerasFilesTest.reference("mlp").check(again, 1e-5);
  }

  private static void rewriteConfig(Path src, Path dst,
      java.util.function.UnaryOperator<String> edit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(src));
        ZipOutputStream zip = new ZipOutputStream(out)) {
      ZipEntry e;
      while ((e = in.getNextEntry()) != null) {
        byte[] data = in.readAllBytes();
        if (e.getName().equals("config.json")) {
          data = edit.apply(new String(data, StandardCharsets.UTF_8))
              .getBytes(StandardCharsets.UTF_8);
        }
        zip.putNextEntry(new ZipEntry(e.getName()));
        zip.write(data);
        zip.closeEntry();
      }
    }
    Files.write(dst, out.toByteArray());
  }
}
