package io.sparkeras.api.saving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.models.Sequential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code model.exportSavedModel}'s checks, on any backend: where no TensorFlow backend runs, the
 * error says how to get one; bad paths are refused before anything is written. (The export itself
 * is tested in the tensorflow backend's module.)
 */
class SavedModelExportCheckTest {
  @TempDir
  Path tmp;

  private static Sequential model() {
    return new Sequential(Input.of(3), new Dense(2));
  }

  @Test
  void withoutTheTensorFlowBackendTheErrorSaysHowToGetIt() {
    assumeFalse(Backends.current().name().equals("tensorflow"), "exports on tensorflow");
    Path dir = tmp.resolve("m/1");
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> model().exportSavedModel(dir.toString()));
    String m = e.getMessage();
    assertTrue(m.contains("SPARKERAS_BACKEND=tensorflow"), m);
    assertTrue(m.contains("sparkeras-backend-tensorflow"), m);
    assertTrue(m.contains("'" + Backends.current().name() + "' backend"), m);
    assertTrue(m.contains(Backends.available().contains("tensorflow") ? "it is here"
        : "it is not on this classpath"), m);
    assertFalse(Files.exists(dir), "nothing written");
    assertEquals(List.of(), listing(dir.getParent()), "no partial directory left");
  }

  @Test
  void remoteAndBlankPathsAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> model().exportSavedModel("hdfs://nn/models/m/1"));
    assertTrue(e.getMessage().contains("path: expected a local directory"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> model().exportSavedModel(" "));
    assertTrue(e.getMessage().contains("path: expected a local directory"), e.getMessage());
  }

  @Test
  void fileUrisAreLocalPaths() {
    assertEquals(Path.of("/srv/models/m/1"),
        SavedModelExport.localDirectory("file:/srv/models/m/1"));
    assertEquals(Path.of("/srv/models/m/1"),
        SavedModelExport.localDirectory("file:///srv/models/m/1"));
    assertEquals(Path.of("models/m/1"), SavedModelExport.localDirectory("models/m/1"));
  }

  private static List<Path> listing(Path dir) {
    try (var s = Files.list(dir)) {
      return s.toList();
    } catch (java.io.IOException e) {
      return List.of();
    }
  }
}
