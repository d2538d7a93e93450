package io.sparkeras.api.saving.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.models.Model;
import io.sparkeras.api.testing.KerasReference;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What we write is what Keras reads: each model Keras wrote is loaded here and saved again; the
 * result has the structure of Keras's own file (zip entries; HDF5 groups, {@code name}
 * attributes, datasets with shapes and types) and of the file real Keras loaded
 * ({@code keras3/files/ours/}, made by {@code src/test/keras3/check_ours.py} from what this test
 * leaves in {@code target/keras-files-ours/}); Keras's predictions on that file equal ours, and
 * for the optimizer cases Keras continued from our optimizer state exactly (checked by the
 * script before it wrote the file).
 */
class KerasFilesWriteTest {
  @TempDir
  Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"mlp", "cnn", "two_input", "lstm", "adam_stepped",
      "sgd_momentum_stepped"})
  void ourKerasFileIsLaidOutLikeKerasAndReadByKeras(String name) throws IOException {
    Model m = Model.load(KerasFilesTest.resource(tmp, name + ".keras"));
    Path out = Path.of("target", "keras-files-ours");
    Files.createDirectories(out);
    m.save("file:" + out.toAbsolutePath().resolve(name + ".keras"));
    Path ours = out.resolve(name + ".keras");
    Path theirs = Path.of(KerasFilesTest.resource(tmp, name + ".keras").substring(5));
    assertEquals(structure(theirs), structure(ours), name + ": layout against Keras's own file");

    Path kerasRead = Path.of(KerasFilesTest.resource(tmp, "ours/" + name + ".keras").substring(5));
    assertEquals(structure(kerasRead), structure(ours),
        name + ": layout against our file that real Keras loaded");
    KerasReference.ofResource(KerasFilesTest.FILES + "ours/" + name + ".io.json")
        .check(Model.load("file:" + ours.toAbsolutePath()), 1e-5);
  }

  @Test
  void theSameModelSavedTwiceGivesTheSameWeightsFile() throws IOException {
    Model m = Model.load(KerasFilesTest.resource(tmp, "adam_stepped.keras"));
    java.io.ByteArrayOutputStream a = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    m.save(a);
    sleepPastTheSecond(); // HDF5 keeps times in seconds
    m.save(b);
    byte[] first = entry(a.toByteArray(), KerasArchive.WEIGHTS);
    assertTrue(first.length > 1000);
    assertArrayEquals(first, entry(b.toByteArray(), KerasArchive.WEIGHTS),
        "no timestamps in the HDF5 file: a model's bytes key the executors' model cache");
    assertArrayEquals(entry(a.toByteArray(), KerasArchive.CONFIG),
        entry(b.toByteArray(), KerasArchive.CONFIG));
  }

  private static void sleepPastTheSecond() {
    try {
      Thread.sleep(1100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static byte[] entry(byte[] zipBytes, String name) throws IOException {
    try (ZipInputStream zip = new ZipInputStream(new java.io.ByteArrayInputStream(zipBytes))) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        if (e.getName().equals(name)) {
          return zip.readAllBytes();
        }
      }
    }
    throw new AssertionError("no entry " + name);
  }

  /** Zip entries (name, method) and the HDF5 tree of model.weights.h5, one line per object. */
  static List<String> structure(Path keras) throws IOException {
    List<String> out = new ArrayList<>();
    Path h5 = Files.createTempFile("structure-", ".h5");
    try {
      try (InputStream in = Files.newInputStream(keras); ZipInputStream zip = new ZipInputStream(in)) {
        ZipEntry e;
        while ((e = zip.getNextEntry()) != null) {
          out.add("zip " + e.getName() + " method=" + e.getMethod());
          if (e.getName().equals(KerasArchive.WEIGHTS)) {
            Files.copy(zip, h5, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
      try (Hdf5File f = Hdf5File.open(h5, keras.toString())) {
        walk(f, "", out);
      }
    } finally {
      Files.deleteIfExists(h5);
    }
    return out;
  }

  private static void walk(Hdf5File f, String group, List<String> out) throws IOException {
    for (String child : f.children(group.isEmpty() ? "/" : group)) {
      String p = group.isEmpty() ? child : group + "/" + child;
      if (f.isGroup(p)) {
        out.add("group " + p + (f.hasAttribute(p, "name") ? " @name" : ""));
        walk(f, p, out);
      } else {
        Hdf5File.Array a = f.readFloats(p);
        out.add("dataset " + p + " " + Arrays.toString(a.shape()) + " " + a.storedType());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mlp", "cnn"})
  void ourWeightsFileIsLaidOutLikeKeras(String name) throws IOException {
    Model m = Model.load(KerasFilesTest.resource(tmp, name + ".keras"));
    Path ours = tmp.resolve("ours.weights.h5");
    m.saveWeights("file:" + ours);
    Path theirs = Path.of(KerasFilesTest.resource(tmp, name + ".weights.h5").substring(5));
    List<String> a = new ArrayList<>();
    List<String> b = new ArrayList<>();
    try (Hdf5File f = Hdf5File.open(theirs, "keras"); Hdf5File g = Hdf5File.open(ours, "ours")) {
      walk(f, "", a);
      walk(g, "", b);
    }
    assertEquals(a, b);
    assertTrue(a.size() > 3);
  }
}
