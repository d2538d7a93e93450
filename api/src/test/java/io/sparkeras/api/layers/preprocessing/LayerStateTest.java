package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.layers.Layer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What adapt learned survives config + assets + variables, laid out as Keras saves it
 * (index_lookup.py's save_assets: the vocabulary with its special tokens, one per line, no final
 * newline; normalization.py's variables 0 mean, 1 variance, 2 count; idf_weights).
 */
class LayerStateTest {

  private static PreprocessingLayer fromConfig(PreprocessingLayer l) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("class_name", l.getClass().getSimpleName());
    s.put("config", l.getConfig());
    return (PreprocessingLayer) Layer.REGISTRY.deserialize(s);
  }

  private static PreprocessingLayer restored(PreprocessingLayer l, int[] inputShape) {
    PreprocessingLayer again = fromConfig(l);
    if (inputShape != null) {
      again.ensureBuilt(List.of(inputShape));
    }
    again.loadAssets(l.saveAssets());
    again.loadOwnVariables(l.saveOwnVariables());
    return again;
  }

  @Test
  void lookupVocabularyIsAKerasAssetFile() {
    StringLookup l = new StringLookup().maskToken("").numOovIndices(2);
    l.adapt(new String[] {"b", "a", "b", "c"});
    assertEquals("\n[UNK]\n[UNK]\nb\nc\na",
        new String(l.saveAssets().get("vocabulary.txt"), StandardCharsets.UTF_8));
    StringLookup again = (StringLookup) restored(l, null);
    assertEquals(l.getVocabulary(), again.getVocabulary());
    assertTrue(new StringLookup().vocabulary(List.of("x")).saveAssets().isEmpty(),
        "a given vocabulary stays in the config, as Keras");
  }

  @Test
  void tfIdfWeightsAreAVariable() {
    TextVectorization tv = new TextVectorization().outputMode("tf_idf");
    tv.adapt(new String[] {"a b", "b c", "b"});
    TextVectorization again = (TextVectorization) restored(tv, null);
    assertEquals(tv.getVocabulary(), again.getVocabulary());
    assertArrayEquals(tv.lookup().idfWeights(), again.lookup().idfWeights());
    assertArrayEquals(tv.encodeAll((Object) new String[] {"c b"}).get(0).floats(),
        again.encodeAll((Object) new String[] {"c b"}).get(0).floats());
  }

  @Test
  void normalizationStatisticsAreVariables012() {
    Normalization n = new Normalization();
    n.adapt(new float[][] {{1, 10}, {3, 30}});
    Map<String, StoredArray> vars = n.saveOwnVariables();
    assertEquals(List.of("0", "1", "2"), List.copyOf(vars.keySet()));
    assertArrayEquals(new int[] {2}, vars.get("0").shape());
    assertArrayEquals(new int[0], vars.get("2").shape());
    Normalization again = (Normalization) restored(n, new int[] {2});
    assertArrayEquals(n.mean(), again.mean());
    assertArrayEquals(n.variance(), again.variance());
    assertTrue(new Normalization().mean(1).variance(2).saveOwnVariables().isEmpty());
  }
}
