package io.sparkeras.api.layers.preprocessing;

import com.fasterxml.jackson.databind.ObjectMapper;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.layers.Layer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * CategoryEncoding against real Keras (make_preprocessing.py); StringLookup, IntegerLookup,
 * Hashing and HashedCrossing against the examples in Keras 3.10's own docstrings (real Keras
 * output; these layers need TensorFlow, which the reference tool cannot run) and Keras's
 * algorithm (vocabulary order, mask and OOV indices). Each test names its source.
 */
class CategoricalLayersTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static long[] ints(HostValue v) {
    return Arrays.copyOf(v.ints(), v.count());
  }

  private static float[] floats(HostValue v) {
    return Arrays.copyOf(v.floats(), v.count());
  }

  /** Config -> JSON -> registry -> config is unchanged. */
  static void roundTrip(PreprocessingLayer layer) {
    try {
      Map<String, Object> serialized = new LinkedHashMap<>();
      serialized.put("class_name", layer.getClass().getSimpleName());
      serialized.put("config", layer.getConfig());
      String json = JSON.writeValueAsString(serialized);
      @SuppressWarnings("unchecked")
      Map<String, Object> back = JSON.readValue(json, Map.class);
      PreprocessingLayer again = (PreprocessingLayer) Layer.REGISTRY.deserialize(back);
      assertEquals(JSON.writeValueAsString(layer.getConfig()),
          JSON.writeValueAsString(again.getConfig()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void categoryEncodingMatchesKeras() {
    for (String name : List.of("category_one_hot", "category_multi_hot", "category_count")) {
      KerasPreprocessingCases.Case c = KerasPreprocessingCases.get(name);
      PreprocessingLayer layer = c.layer();
      c.assertOutputs(c.encode(layer, false), 0);
      c.assertConfig(layer);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new CategoryEncoding(4).encodeAll((Object) new long[] {4}));
    assertTrue(e.getMessage().contains("[0, 4), found 4"), e.getMessage());
  }

  @Test
  void stringLookupDocstringExamples() {
    // keras/src/layers/preprocessing/string_lookup.py, "Examples"
    List<String> vocab = List.of("a", "b", "c", "d");
    String[][] data = {{"a", "c", "d"}, {"d", "z", "b"}};
    List<HostValue> out = new StringLookup().vocabulary(vocab).encodeAll((Object) data);
    assertArrayEquals(new long[] {1, 3, 4}, ints(out.get(0)));
    assertArrayEquals(new long[] {4, 0, 2}, ints(out.get(1)));

    StringLookup adapted = new StringLookup();
    adapted.adapt(data);
    assertEquals(List.of("[UNK]", "d", "z", "c", "b", "a"), adapted.getVocabulary());
    out = adapted.encodeAll((Object) data);
    assertArrayEquals(new long[] {5, 3, 1}, ints(out.get(0)));
    assertArrayEquals(new long[] {1, 2, 4}, ints(out.get(1)));

    // two OOV indices: "m" -> 0, "z" -> 1 (FarmHash Fingerprint64 mod 2)
    out = new StringLookup().numOovIndices(2).vocabulary(vocab)
        .encodeAll((Object) new String[][] {{"a", "c", "d"}, {"m", "z", "b"}});
    assertArrayEquals(new long[] {2, 4, 5}, ints(out.get(0)));
    assertArrayEquals(new long[] {0, 1, 3}, ints(out.get(1)));

    out = new StringLookup().outputMode("one_hot").vocabulary(vocab)
        .encodeAll((Object) new String[] {"a", "b", "c", "d", "z"});
    assertArrayEquals(new float[] {0, 1, 0, 0, 0}, floats(out.get(0)));
    assertArrayEquals(new float[] {1, 0, 0, 0, 0}, floats(out.get(4)));

    String[][] data4 = {{"a", "c", "d", "d"}, {"d", "z", "b", "z"}};
    out = new StringLookup().outputMode("multi_hot").vocabulary(vocab)
        .encodeAll((Object) data4);
    assertArrayEquals(new float[] {0, 1, 0, 1, 1}, floats(out.get(0)));
    assertArrayEquals(new float[] {1, 0, 1, 0, 1}, floats(out.get(1)));
    out = new StringLookup().outputMode("count").vocabulary(vocab).encodeAll((Object) data4);
    assertArrayEquals(new float[] {0, 1, 0, 1, 2}, floats(out.get(0)));
    assertArrayEquals(new float[] {2, 0, 1, 0, 1}, floats(out.get(1)));

    StringLookup tfidf = new StringLookup().outputMode("tf_idf");
    tfidf.setVocabulary(vocab, new float[] {0.25f, 0.75f, 0.6f, 0.4f});
    out = tfidf.encodeAll((Object) data4);
    assertArrayEquals(new float[] {0, 0.25f, 0, 0.6f, 0.8f}, floats(out.get(0)), 1e-6f);
    assertArrayEquals(new float[] {1.0f, 0, 0.75f, 0, 0.4f}, floats(out.get(1)), 1e-6f);
    tfidf = new StringLookup().outputMode("tf_idf");
    tfidf.setVocabulary(List.of("[UNK]", "a", "b", "c", "d"),
        new float[] {0.9f, 0.25f, 0.75f, 0.6f, 0.4f});
    out = tfidf.encodeAll((Object) data4);
    assertArrayEquals(new float[] {1.8f, 0, 0.75f, 0, 0.4f}, floats(out.get(1)), 1e-6f);

    out = new StringLookup().invert(true).vocabulary(vocab)
        .encodeAll((Object) new long[][] {{1, 3, 4}, {4, 0, 2}});
    assertEquals("d", out.get(1).getString(0));
    assertEquals("[UNK]", out.get(1).getString(1));
    assertEquals("b", out.get(1).getString(2));
  }

  @Test
  void integerLookupDocstringExamples() {
    // keras/src/layers/preprocessing/integer_lookup.py, "Examples"
    List<Long> vocab = List.of(12L, 36L, 1138L, 42L);
    long[][] data = {{12, 1138, 42}, {42, 1000, 36}};
    List<HostValue> out = new IntegerLookup().vocabulary(vocab).encodeAll((Object) data);
    assertArrayEquals(new long[] {1, 3, 4}, ints(out.get(0)));
    assertArrayEquals(new long[] {4, 0, 2}, ints(out.get(1)));
    IntegerLookup adapted = new IntegerLookup();
    adapted.adapt(data);
    assertEquals(List.of(-1L, 42L, 1138L, 1000L, 36L, 12L), adapted.getVocabulary());
    out = adapted.encodeAll((Object) data);
    assertArrayEquals(new long[] {5, 2, 1}, ints(out.get(0)));
    assertArrayEquals(new long[] {1, 3, 4}, ints(out.get(1)));
    out = new IntegerLookup().numOovIndices(2).vocabulary(vocab)
        .encodeAll((Object) new long[][] {{12, 1138, 42}, {37, 1000, 36}});
    assertArrayEquals(new long[] {2, 4, 5}, ints(out.get(0)));
    assertArrayEquals(new long[] {1, 0, 3}, ints(out.get(1)));
    out = new IntegerLookup().invert(true).vocabulary(vocab)
        .encodeAll((Object) new long[][] {{1, 3, 4}, {4, 0, 2}});
    assertArrayEquals(new long[] {42, -1, 36}, ints(out.get(1)));
  }

  @Test
  void lookupMaskMaxTokensAndMissingValues() {
    // Keras's algorithm (index_lookup.py): mask at 0 in "int" mode, OOV next; max_tokens counts
    // them; the vocabulary keeps the most frequent tokens, ties broken by the larger token
    StringLookup l = new StringLookup().maskToken("").maxTokens(4);
    l.adapt(new String[] {"x", "y", "y", "z", "z", "", "w"});
    assertEquals(List.of("", "[UNK]", "z", "y"), l.getVocabulary());
    List<HostValue> out = l.encodeAll((Object) new String[] {"", "z", "x", null});
    assertArrayEquals(new long[] {0}, ints(out.get(0)));
    assertArrayEquals(new long[] {2}, ints(out.get(1)));
    assertArrayEquals(new long[] {1}, ints(out.get(2)));
    assertArrayEquals(new long[] {0}, ints(out.get(3)), "a null maps to the mask");
    StringLookup noMask = new StringLookup().vocabulary(List.of("a"));
    assertArrayEquals(new long[] {0}, ints(noMask.encodeAll((Object) new String[] {null})
        .get(0)), "a null maps to the OOV index without a mask");
    StringLookup strict = new StringLookup().numOovIndices(0).vocabulary(List.of("a"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> strict.encodeAll((Object) new String[] {"b"}));
    assertTrue(e.getMessage().contains("found 'b'"), e.getMessage());
    IllegalArgumentException repeated = assertThrows(IllegalArgumentException.class,
        () -> new StringLookup().vocabulary(List.of("a", "b", "a")));
    assertTrue(repeated.getMessage().contains("repeats [a]"), repeated.getMessage());
  }

  @Test
  void lookupAdaptStateMergesExactlyAndLearnsIdf() throws Exception {
    // tf_idf: log(1 + documents / (1 + document frequency)), OOV slot = mean (index_lookup.py)
    String[][] docs = {{"a", "b", "a"}, {"b"}, {"c", "a"}, {"a"}};
    StringLookup whole = new StringLookup().outputMode("tf_idf");
    whole.adapt(docs);
    StringLookup split = new StringLookup().outputMode("tf_idf");
    AdaptState s1 = split.newAdaptState();
    AdaptState s2 = split.newAdaptState();
    HostArrays rows = HostArrays.of("docs", docs);
    HostValue v = new HostValue(HostValue.Kind.STRING);
    for (int i = 0; i < docs.length; i++) {
      rows.read(i, v);
      (i % 2 == 0 ? s1 : s2).update(v);
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    s2.write(new java.io.DataOutputStream(bytes));
    s1.merge(split.readAdaptState(new java.io.DataInputStream(
        new java.io.ByteArrayInputStream(bytes.toByteArray()))));
    split.finishAdapt(s1);
    assertEquals(List.of("[UNK]", "a", "b", "c"), whole.getVocabulary());
    assertEquals(whole.getVocabulary(), split.getVocabulary());
    float[] idf = whole.idfWeights();
    assertArrayEquals(idf, split.idfWeights());
    float a = (float) Math.log(1 + 4.0 / (1 + 3));
    float b = (float) Math.log(1 + 4.0 / (1 + 2));
    float c = (float) Math.log(1 + 4.0 / (1 + 1));
    assertArrayEquals(new float[] {(a + b + c) / 3, a, b, c}, idf, 1e-6f);
  }

  @Test
  void hashingDocstringExamples() {
    // keras/src/layers/preprocessing/hashing.py, "Example (FarmHash64)" and "(SipHash64)"
    String[] in = {"A", "B", "C", "D", "E"};
    assertBins(new long[] {1, 0, 1, 1, 2}, new Hashing(3), in);
    assertBins(new long[] {1, 1, 0, 2, 2}, new Hashing(3).maskValue(""),
        new String[] {"A", "B", "", "C", "D"});
    assertBins(new long[] {1, 2, 1, 0, 2}, new Hashing(3).salt(133, 137), in);
    assertBins(new long[] {0, 0, 2, 1, 0}, new Hashing(3).salt(133), in);
  }

  @Test
  void hashingIntegersHashesTheirDecimalStrings() {
    // Keras converts integers with tf.as_string before hashing
    Hashing h = new Hashing(1024);
    assertEquals(h.encodeAll((Object) new String[] {"-42"}).get(0).getInt(0),
        h.encodeAll((Object) new long[] {-42}).get(0).getInt(0));
    assertEquals(h.encodeAll((Object) new String[] {"9223372036854775807"}).get(0).getInt(0),
        h.encodeAll((Object) new long[] {Long.MAX_VALUE}).get(0).getInt(0));
    assertEquals(h.encodeAll((Object) new String[] {"7"}).get(0).getInt(0),
        h.encodeAll((Object) new float[] {7.9f}).get(0).getInt(0), "floats truncate first");
    List<HostValue> oneHot = new Hashing(3).outputMode("one_hot").encodeAll(
        (Object) new String[] {"A"});
    assertArrayEquals(new float[] {0, 1, 0}, floats(oneHot.get(0)));
  }

  private static void assertBins(long[] expected, Hashing h, String[] in) {
    List<HostValue> out = h.encodeAll((Object) in);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], out.get(i).getInt(0), "input " + in[i]);
    }
  }

  @Test
  void hashedCrossingDocstringExamples() {
    // keras/src/layers/preprocessing/hashed_crossing.py, "Crossing two scalar features"
    String[] f1 = {"A", "B", "A", "B", "A"};
    long[] f2 = {101, 101, 101, 102, 102};
    List<HostValue> out = new HashedCrossing(5).encodeAll(f1, f2);
    long[] expected = {1, 4, 1, 1, 3};
    for (int i = 0; i < 5; i++) {
      assertEquals(expected[i], out.get(i).getInt(0));
    }
    out = new HashedCrossing(5).outputMode("one_hot").encodeAll(f1, f2);
    assertArrayEquals(new float[] {0, 0, 0, 0, 1}, floats(out.get(1)));
    assertThrows(IllegalArgumentException.class,
        () -> new HashedCrossing(5).encodeAll((Object) f1));
  }

  @Test
  void configsRoundTrip() {
    roundTrip(new StringLookup().maxTokens(10).numOovIndices(2).maskToken("").outputMode(
        "multi_hot").padToMaxTokens(true));
    roundTrip(new IntegerLookup().vocabulary(List.of(3L, 1L)));
    StringLookup adapted = new StringLookup().outputMode("one_hot");
    adapted.adapt(new String[] {"p", "q"});
    roundTrip(adapted);
    roundTrip(new Hashing(8).salt(1, 2).maskValue("").outputMode("count"));
    roundTrip(new HashedCrossing(16).outputMode("one_hot"));
    roundTrip(new CategoryEncoding(5).outputMode("count"));
    roundTrip(new Discretization(new double[] {0.5, 1.5}).outputMode("one_hot"));
    roundTrip(new Normalization().mean(1, 2).variance(3, 4).invert(true));
    roundTrip(new Rescaling(1.0 / 255, -1));
    roundTrip(new TextVectorization().maxTokens(100).ngrams(2).outputMode("count"));
    roundTrip(new Resizing(5, 6).interpolation("bicubic").padToAspectRatio(true));
    roundTrip(new CenterCrop(3, 4));
    roundTrip(new RandomFlip("vertical").seed(3));
    roundTrip(new RandomRotation(-0.1, 0.2).fillMode("constant").fillValue(2));
    roundTrip(new RandomZoom(0.1, new double[] {-0.2, 0.3}).interpolation("nearest"));
    roundTrip(new RandomTranslation(0.1, 0.2).seed(5));
    roundTrip(new RandomCrop(3, 3));
    roundTrip(new RandomContrast(0.3));
    roundTrip(new RandomBrightness(0.2, new double[] {0, 1}));
  }
}
