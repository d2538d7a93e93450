package io.sparkeras.api.layers.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * TextVectorization against Keras 3.10's docstring examples and its unit tests'
 * expected values ({@code text_vectorization_test.py}: real Keras output; the layer needs
 * TensorFlow, which the reference tool cannot run).
 */
class TextVectorizationTest {

  private static long[] ints(HostValue v) {
    return Arrays.copyOf(v.ints(), v.count());
  }

  private static float[] floats(HostValue v) {
    return Arrays.copyOf(v.floats(), v.count());
  }

  @Test
  void docstringAdaptExample() {
    TextVectorization tv = new TextVectorization().maxTokens(5000).outputSequenceLength(4);
    tv.adapt(new String[] {"foo bar", "bar baz", "baz bada boom"});
    List<HostValue> out = tv.encodeAll((Object) new String[] {"foo qux bar", "qux baz"});
    assertArrayEquals(new long[] {4, 1, 3, 0}, ints(out.get(0)));
    assertArrayEquals(new long[] {1, 2, 0, 0}, ints(out.get(1)));
    TextVectorization given = new TextVectorization().maxTokens(5000).outputSequenceLength(4)
        .vocabulary(List.of("earth", "wind", "and", "fire"), null);
    assertEquals(List.of("", "[UNK]", "earth", "wind", "and", "fire"), given.getVocabulary());
  }

  @Test
  void keraUnitTestOutputs() {
    List<String> foo = List.of("foo", "bar", "baz");
    String[] in = {"foo bar", "baz foo foo"};
    List<HostValue> out = new TextVectorization().outputMode("multi_hot").vocabulary(foo, null)
        .encodeAll((Object) in);
    assertArrayEquals(new float[] {0, 1, 1, 0}, floats(out.get(0)));
    assertArrayEquals(new float[] {0, 1, 0, 1}, floats(out.get(1)));
    out = new TextVectorization().outputMode("count").vocabulary(foo, null).encodeAll(
        (Object) in);
    assertArrayEquals(new float[] {0, 2, 0, 1}, floats(out.get(1)));
    out = new TextVectorization().outputMode("tf_idf")
        .vocabulary(foo, new float[] {0.3f, 0.5f, 0.2f}).encodeAll((Object) in);
    assertArrayEquals(new float[] {0, 0.3f, 0.5f, 0}, floats(out.get(0)), 1e-6f);
    assertArrayEquals(new float[] {0, 0.6f, 0, 0.2f}, floats(out.get(1)), 1e-6f);

    String text = "Hello, World!. This is just a nice test!";
    out = new TextVectorization().outputSequenceLength(8)
        .vocabulary(List.of("hello", "world", "this", "is", "nice", "test"), null)
        .encodeAll((Object) new String[] {text});
    assertArrayEquals(new long[] {2, 3, 4, 5, 1, 1, 6, 7}, ints(out.get(0)));
    out = new TextVectorization().standardize("lower").outputSequenceLength(8)
        .vocabulary(List.of("hello,", "hello", "world", "this", "is", "nice", "test"), null)
        .encodeAll((Object) new String[] {text});
    assertArrayEquals(new long[] {2, 1, 5, 6, 1, 1, 7, 1}, ints(out.get(0)));
    out = new TextVectorization().split("character").outputSequenceLength(4)
        .vocabulary(List.of("a", "b", "c", "d", "e"), null)
        .encodeAll((Object) new String[] {"abcf"});
    assertArrayEquals(new long[] {2, 3, 4, 1}, ints(out.get(0)));
  }

  @Test
  void ngramsFollowEachWidthInOrder() {
    // tf.strings.ngrams(tokens, ngram_width=(1, 2), separator=" ")
    TextVectorization tv = new TextVectorization().ngrams(2).outputMode("count");
    tv.adapt(new String[] {"a b c"});
    assertEquals(List.of("[UNK]", "c", "b c", "b", "a b", "a"), tv.getVocabulary());
  }

  @Test
  void intOutputNeedsASequenceLength() {
    TextVectorization tv = new TextVectorization().vocabulary(List.of("a"), null);
    assertThrows(IllegalStateException.class, () -> tv.encodeAll((Object) new String[] {"a"}));
  }
}
