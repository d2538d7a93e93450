package io.sparkeras.api.saving.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.testing.KerasReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every layer of the catalogue through Keras's own files: each {@code keras3/layers/*.keras}
 * written by real Keras 3.10.0 (the {@code make_*.py} scripts beside {@code refs.py}) loads with
 * {@code Model.load} and predicts what Keras predicted (the {@code .json} beside it); our save of
 * it has Keras's layout (zip entries, every HDF5 group, {@code name} attribute and dataset with
 * its shape and type, nested cells, wrapped and forward/backward layers and attention
 * projections included) and loads back to the same predictions, bit for bit.
 */
class KerasLayerFilesTest {
  private static final String FOLDER = "/keras3/layers/";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The one case whose file does not hold the model its predictions came from. */
  private static final String LOSES_OUTPUT_PADDING = "conv1d_transpose_output_padding";

  /** Where our saves stay for src/test/keras3/check_ours_layers.py (real Keras loads them). */
  private static final Path OURS = Path.of("target", "keras-layers-ours");

  @BeforeAll
  static void makeFolder() throws IOException {
    Files.createDirectories(OURS);
  }

  static Stream<String> kerasFiles() {
    try (Stream<Path> files = Files.list(folder())) {
      List<String> names = files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".keras")).map(n -> n.substring(0, n.length() - 6)).sorted()
          .toList();
      return names.stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path folder() {
    try {
      return Path.of(KerasLayerFilesTest.class.getResource(FOLDER).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theCatalogueHasItsFiles() {
    assertTrue(kerasFiles().count() >= 100, "the layer cases' .keras files are test resources");
  }

  @ParameterizedTest
  @MethodSource("kerasFiles")
  void loadsPredictsAndSavesLikeKeras(String name) throws IOException {
    KerasReference ref = KerasReference.load(name);
    Path theirs = folder().resolve(name + ".keras");
    Model m = Model.load("file:" + theirs);
    if (name.equals(LOSES_OUTPUT_PADDING)) {
      // Keras 3.10's get_config leaves output_padding out, so its own file describes a layer
      // without it, which is what Keras rebuilds from it too: 5 steps, stride 2, kernel 3 give
      // (5 - 1) * 2 + 3 = 11 steps, not the 12 of the padded layer (make_conv.py; the JSON case,
      // with output_padding put back, is checked by ConvTransposeTest)
      assertArrayEquals(new int[] {11, 3}, m.outputShapes().get(0), name);
    } else {
      ref.check(m, 1e-5);
    }

    Path ours = OURS.resolve(name + ".keras");
    m.save("file:" + ours.toAbsolutePath());
    assertEquals(KerasFilesWriteTest.structure(theirs), KerasFilesWriteTest.structure(ours),
        name + ": our file's layout against Keras's");
    Map<String, Object> theirBuilds = builtFromSeveral(theirs);
    assertEquals(theirBuilds, builtFromSeveral(ours), name + ": build_config of the layers Keras "
        + "builds from several call arguments (it rebuilds them with build(**shapes_dict))");

    Model again = Model.load("file:" + ours.toAbsolutePath());
    List<NDArray> x = ref.inputs();
    List<NDArray> before = m.predictAll(x, x.get(0).length());
    List<NDArray> after = again.predictAll(x, x.get(0).length());
    assertEquals(before.size(), after.size(), name + ": outputs");
    for (int i = 0; i < before.size(); i++) {
      assertArrayEquals(before.get(i).toArray(), after.get(i).toArray(), 0f,
          name + ": output " + i + " after our save and load");
    }
    assertEquals(m.toJson(), again.toJson(), name + ": the config after our save and load");
  }

  @Test
  void attentionAndRnnsWithStatesAreBuiltFromSeveralArguments() throws IOException {
    for (String name : List.of("mha_separate_key_value_dim", "gqa_basic",
        "lstm_initial_state_return_state", "bidirectional_states")) {
      assertFalse(builtFromSeveral(folder().resolve(name + ".keras")).isEmpty(), name);
    }
  }

  /** Each layer whose config.json build_config has a shapes_dict: its name to the build_config. */
  private static Map<String, Object> builtFromSeveral(Path keras) throws IOException {
    Map<String, Object> out = new TreeMap<>();
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(keras))) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        if (e.getName().equals(KerasArchive.CONFIG)) {
          collectShapesDicts(JSON.readValue(zip.readAllBytes(), Object.class), out);
        }
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void collectShapesDicts(Object node, Map<String, Object> out) {
    if (node instanceof Map) {
      Map<String, Object> m = (Map<String, Object>) node;
      if (m.get("build_config") instanceof Map
          && ((Map<String, Object>) m.get("build_config")).containsKey("shapes_dict")) {
        out.put(String.valueOf(((Map<String, Object>) m.get("config")).get("name")),
            m.get("build_config"));
      }
      m.values().forEach(v -> collectShapesDicts(v, out));
    } else if (node instanceof List) {
      ((List<Object>) node).forEach(v -> collectShapesDicts(v, out));
    }
  }
}
