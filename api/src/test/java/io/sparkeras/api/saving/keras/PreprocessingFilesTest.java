package io.sparkeras.api.saving.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.data.Columns;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.layers.preprocessing.Normalization;
import io.sparkeras.api.layers.preprocessing.StringLookup;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.testing.KerasReference;
import io.sparkeras.api.utils.FeatureSpace;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Models with preprocessing layers in {@code .keras} files: files real Keras 3.10.0 wrote
 * ({@code src/test/keras3/make_preprocessing_files.py}: an adapted Normalization, Rescaling,
 * CategoryEncoding) load and predict what Keras predicted; a FeatureSpace model saved here keeps
 * its state where Keras keeps it (a lookup's {@code assets/<layer path>/vocabulary.txt}, a
 * Normalization's mean, variance and int32 count in its {@code vars}) and predicts the same
 * after loading; real Keras loads the files written here and predicts the same
 * ({@code check_ours.py}).
 */
class PreprocessingFilesTest {
  @TempDir
  Path tmp;

  @Test
  void adaptedNormalizationFromKerasPredictsWhatKerasPredicted() throws IOException {
    Model m = Model.load(KerasFilesTest.resource(tmp, "preprocessing_mlp.keras"));
    KerasReference ref = KerasFilesTest.reference("preprocessing_mlp");
    Normalization norm = (Normalization) m.getLayer("norm");
    NDArray mean = ref.arraysOf("mean").get(0);
    NDArray variance = ref.arraysOf("variance").get(0);
    assertArrayEquals(mean.toArray(), norm.mean(), 1e-6f);
    assertArrayEquals(variance.toArray(), norm.variance(), 1e-6f);
    NDArray p = m.predict(Columns.of("x", ref.inputs().get(0)));
    ref.checkOutput(0, p, 1e-5);
    // and back out: the same predictions after a reload; the file is left for check_ours.py
    Path again = leave("preprocessing_mlp", m);
    ref.checkOutput(0, Model.load("file:" + again.toAbsolutePath()).predict(Columns.of("x",
        ref.inputs().get(0))), 1e-5);
  }

  /**
   * Saves {@code m} where {@code src/test/keras3/check_ours.py} picks it up to load in real
   * Keras ({@code target/keras-files-ours/<name>.keras}).
   */
  private static Path leave(String name, Model m) throws IOException {
    Path out = Path.of("target", "keras-files-ours");
    Files.createDirectories(out);
    Path file = out.resolve(name + ".keras");
    m.save("file:" + file.toAbsolutePath());
    return file;
  }

  /**
   * Our files as real Keras read them ({@code keras3/files/ours/}, made by check_ours.py from
   * what the tests above leave): Keras loaded them and predicted what Keras predicted on its own
   * file; loaded here they predict the same.
   */
  @ParameterizedTest
  @ValueSource(strings = {"preprocessing_mlp", "category_mlp"})
  void kerasReadsOurFiles(String name) throws IOException {
    KerasReference keras = KerasFilesTest.reference("ours/" + name);
    KerasReference own = KerasFilesTest.reference(name);
    Model m = Model.load(KerasFilesTest.resource(tmp, "ours/" + name + ".keras"));
    String input = m.hostPlan().inputNames().get(0);
    Columns x = name.equals("category_mlp") ? Columns.of(input, longs(keras.inputs().get(0)))
        : Columns.of(input, keras.inputs().get(0));
    keras.checkOutput(0, m.predict(x), 1e-5);
    own.checkOutput(0, m.predict(x), 1e-5);
  }

  private static long[] longs(NDArray a) {
    float[] f = a.toArray();
    long[] ints = new long[f.length];
    for (int i = 0; i < f.length; i++) {
      ints[i] = (long) f[i];
    }
    return ints;
  }

  @Test
  void categoryEncodingFromKerasPredictsWhatKerasPredicted() throws IOException {
    Model m = Model.load(KerasFilesTest.resource(tmp, "category_mlp.keras"));
    KerasReference ref = KerasFilesTest.reference("category_mlp");
    ref.checkOutput(0, m.predict(Columns.of("code", longs(ref.inputs().get(0)))), 1e-5);
    leave("category_mlp", m);
  }

  private static Columns table() {
    return Columns.of("age", new float[] {22, 35, 47, 51, 29, 63})
        .with("job", new String[] {"clerk", "nurse", "nurse", "pilot", "clerk", "chef"})
        .with("zip", new String[] {"10115", "80331", "10115", "20095", "50667", "80331"});
  }

  private static Model featureSpaceModel() {
    FeatureSpace fs = FeatureSpace.builder()
        .feature("age", FeatureSpace.floatNormalized())
        .feature("job", FeatureSpace.stringCategorical())
        .feature("zip", FeatureSpace.stringHashed(8))
        .cross("job", "zip", 16)
        .build().adapt(table());
    return new Model(fs.inputList(), List.of(new Dense(2).activation("softmax")
        .apply(new Dense(4).activation("relu").apply(fs.encodedFeatures()))));
  }

  @Test
  void featureSpaceModelKeepsItsStateWhereKerasDoes() throws IOException {
    Model m = featureSpaceModel();
    NDArray before = m.predict(table());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ModelFiles.write(m, bytes);
    Map<String, byte[]> entries = entries(bytes.toByteArray());
    assertEquals(List.of("metadata.json", "config.json", "model.weights.h5",
        "assets/layers/string_lookup/vocabulary.txt"), List.copyOf(entries.keySet()));
    StringLookup job = (StringLookup) m.getLayer(lookupName(m));
    List<Object> vocabulary = job.getVocabulary(true);
    assertEquals(5, vocabulary.size(), "[UNK] and 4 jobs: " + vocabulary);
    assertEquals(String.join("\n", vocabulary.stream().map(String::valueOf).toList()),
        new String(entries.get("assets/layers/string_lookup/vocabulary.txt"),
            StandardCharsets.UTF_8), "one token a line, no final newline (Keras's save_assets)");
    Path h5 = tmp.resolve("w.h5");
    Files.write(h5, entries.get("model.weights.h5"));
    try (Hdf5File f = Hdf5File.open(h5, "w.h5")) {
      assertEquals(List.of("0", "1", "2"), f.children("layers/normalization/vars"));
      assertEquals("int32", f.readFloats("layers/normalization/vars/2").storedType());
      assertEquals(((Normalization) m.getLayer("age_preprocessor")).count(),
          f.readLong("layers/normalization/vars/2"));
      assertEquals(List.of(), f.children("layers/string_lookup/vars"));
    }
    Model back = ModelFiles.read(new ByteArrayInputStream(bytes.toByteArray()), "bytes");
    assertEquals(vocabulary, ((StringLookup) back.getLayer(job.getName())).getVocabulary(true));
    assertArrayEquals(before.toArray(), back.predict(table()).toArray(), 1e-6f);
  }

  private static String lookupName(Model m) {
    for (var l : m.layers()) {
      if (l instanceof StringLookup) {
        return l.getName();
      }
    }
    throw new AssertionError("no StringLookup in " + m.layers());
  }

  private static Map<String, byte[]> entries(byte[] zip) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      ZipEntry e;
      while ((e = in.getNextEntry()) != null) {
        out.put(e.getName(), in.readAllBytes());
      }
    }
    assertTrue(out.containsKey("config.json"));
    return out;
  }
}
