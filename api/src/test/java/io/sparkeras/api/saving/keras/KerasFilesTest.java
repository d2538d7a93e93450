package io.sparkeras.api.saving.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.testing.KerasReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files written by real Keras 3.10.0 ({@code src/test/keras3/make_files.py}) load here and
 * predict what Keras predicted (1e-5 relative); weights-only files load into built models; a
 * loaded optimizer continues exactly as Keras's {@code apply_gradients} does.
 */
class KerasFilesTest {
  static final String FILES = "/keras3/files/";

  @TempDir
  Path tmp;

  /** A resource copied to a temporary file (the loaders take Hadoop paths). */
  static String resource(Path dir, String name) {
    try (InputStream in = KerasFilesTest.class.getResourceAsStream(FILES + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + FILES + name
            + " (made by src/test/keras3/make_files.py)");
      }
      Path p = dir.resolve(name);
      Files.createDirectories(p.getParent());
      Files.copy(in, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return "file:" + p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static KerasReference reference(String name) {
    return KerasReference.ofResource(FILES + name + ".io.json");
  }

  @ParameterizedTest
  @ValueSource(strings = {"mlp.keras", "cnn.keras", "two_input.keras", "lstm.keras",
      "adam_stepped.keras", "sgd_momentum_stepped.keras", "mlp_float16.keras",
      "mlp_float64.keras", "mlp_bfloat16.keras", "cnn_legacy.h5", "tf_keras2_lstm.h5"})
  void predictsWhatKerasPredicted(String file) throws IOException {
    Model m = Model.load(resource(tmp, file));
    String name = file.substring(0, file.indexOf('.'));
    reference(name).check(m, 1e-5);
  }

  @ParameterizedTest
  @ValueSource(strings = {"mlp.keras", "cnn_legacy.h5", "tf_keras2_lstm.h5"})
  void streamsReadWhatPathsRead(String file) throws IOException {
    byte[] bytes = Files.readAllBytes(Path.of(resource(tmp, file).substring(5)));
    Model m = Model.load(new java.io.ByteArrayInputStream(bytes));
    reference(file.substring(0, file.indexOf('.'))).check(m, 1e-5);
    // the earlier Sparkeras zip as a stream too
    java.io.ByteArrayOutputStream old = new java.io.ByteArrayOutputStream();
    io.sparkeras.api.saving.ModelFormat.write(m, old);
    reference(file.substring(0, file.indexOf('.'))).check(
        Model.load(new java.io.ByteArrayInputStream(old.toByteArray())), 1e-5);
  }

  @Test
  void compileSettingsComeBack() throws IOException {
    Model adam = Model.load(resource(tmp, "adam_stepped.keras"));
    assertTrue(adam.isCompiled());
    assertEquals("adam", adam.getOptimizer().name());
    assertEquals(1e-2, adam.getOptimizer().getLearningRate(), 1e-9);
    assertEquals(1, adam.getOptimizer().iterations());
    Model legacy = Model.load(resource(tmp, "tf_keras2_lstm.h5"));
    assertTrue(legacy.isCompiled(), "tf.keras 2 training_config compiles the model");
    assertEquals(1e-3, legacy.getOptimizer().getLearningRate(), 1e-9);
  }

  @ParameterizedTest
  @ValueSource(strings = {"mlp", "cnn"})
  void weightsFileLoadsIntoABuiltModel(String name) throws IOException {
    Model fresh = Model.fromJson(Model.load(resource(tmp, name + ".keras")).toJson());
    fresh.loadWeights(resource(tmp, name + ".weights.h5"));
    reference(name).check(fresh, 1e-5);
  }

  @Test
  void legacyWeightsOnlyFileLoadsIntoABuiltModel() throws IOException {
    Model fresh = Model.fromJson(Model.load(resource(tmp, "cnn_legacy.h5")).toJson());
    fresh.loadWeights(resource(tmp, "cnn_legacy_weights.h5"));
    reference("cnn_legacy").check(fresh, 1e-5);
  }

  @ParameterizedTest
  @ValueSource(strings = {"adam_stepped", "sgd_momentum_stepped"})
  void loadedOptimizerContinuesLikeKeras(String name) throws IOException {
    Model m = Model.load(resource(tmp, name + ".keras"));
    KerasReference ref = reference(name);
    oneStep(m, ref);
    assertMatchesAfterStep(m, ref, name);
  }

  /** Applies the case's gradients as one optimizer step. */
  static void oneStep(Model m, KerasReference ref) {
    List<NDArray> grads = ref.arraysOf("gradients");
    FloatBuffer g = m.parameterBlock().gradients();
    m.parameterBlock().zeroGradients();
    List<int[]> ranges = m.trainableRanges();
    assertEquals(grads.size(), ranges.size(), "one gradient per trainable variable");
    for (int i = 0; i < grads.size(); i++) {
      g.put(ranges.get(i)[0], grads.get(i).toArray());
    }
    m.applyGradients();
  }

  static void assertMatchesAfterStep(Model m, KerasReference ref, String name) {
    List<NDArray> expected = ref.arraysOf("after_step");
    List<Variable> ws = m.weights();
    assertEquals(expected.size(), ws.size());
    for (int i = 0; i < ws.size(); i++) {
      float[] e = expected.get(i).toArray();
      float[] got = ws.get(i).numpy();
      for (int j = 0; j < e.length; j++) {
        double err = Math.abs(got[j] - e[j]) / Math.max(1.0, Math.abs(e[j]));
        assertTrue(err <= 1e-6, name + ": " + ws.get(i).path() + "[" + j + "] after one more "
            + "step: Keras " + e[j] + ", ours " + got[j]);
      }
    }
    assertEquals(ref.field("iterations_after_step").asLong(), m.getOptimizer().iterations());
  }

  @Test
  void float16AndBfloat16WeightsWidenExactly() {
    assertEquals(1.0f, Hdf5File.halfToFloat(0x3c00));
    assertEquals(-2.0f, Hdf5File.halfToFloat(0xc000));
    assertEquals(65504f, Hdf5File.halfToFloat(0x7bff));
    assertEquals(0x1p-24f, Hdf5File.halfToFloat(0x0001));
    assertEquals(Float.POSITIVE_INFINITY, Hdf5File.halfToFloat(0x7c00));
    assertTrue(Float.isNaN(Hdf5File.halfToFloat(0x7e00)));
    float[] out = new float[1];
    Hdf5File.widen(new byte[] {(byte) 0xc0, 0x3f}, out, false, true);
    assertEquals(1.5f, out[0]);
  }

  @Test
  void legacyActivationsKeepTfKeras2Math() {
    assertTrue(LegacyConfigs.isBeforeKeras3("2.15.0"));
    assertTrue(LegacyConfigs.isBeforeKeras3(null));
    assertTrue(!LegacyConfigs.isBeforeKeras3("3.10.0"));
    java.util.Map<String, Object> dense = new java.util.LinkedHashMap<>();
    dense.put("activation", "hard_sigmoid");
    java.util.Map<String, Object> layer = new java.util.LinkedHashMap<>();
    layer.put("class_name", "Dense");
    layer.put("config", dense);
    LegacyConfigs.upgrade(layer, "2.15.0");
    assertEquals(LegacyConfigs.HARD_SIGMOID, dense.get("activation"));
    dense.put("activation", "hard_sigmoid");
    LegacyConfigs.upgrade(layer, "3.10.0");
    assertEquals("hard_sigmoid", dense.get("activation"),
        "a Keras 3 file keeps Keras 3's definitions");
    dense.put("activation", "gelu");
    LegacyConfigs.upgrade(layer, "2.15.0");
    assertEquals("gelu", dense.get("activation"), "gelu is the exact GELU in both");
    assertArrayEquals(new float[] {0f, 0.5f, 0.7f, 1f}, io.sparkeras.api.activations.Activations
        .get(LegacyConfigs.HARD_SIGMOID).apply(io.sparkeras.api.backend.Backends.ops()
            .constant(new float[] {-3f, 0f, 1f, 3f}, 4)).toFloatArray(), 1e-6f);
  }
}
