package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.config.Config;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns text into token indices or a bag of tokens, Keras's {@code TextVectorization}:
 * standardise, split and form n-grams ({@link TextTokenizer}), then a {@link StringLookup} with
 * mask token {@code ""} (index 0 pads "int" output) and one OOV index. "int" output gives
 * {@code output_sequence_length} indices per sample, trimmed or padded with 0 (it must be set
 * here, since rows are encoded one at a time into a fixed-size batch); "multi_hot", "count"
 * and "tf_idf" give one slot per vocabulary entry. Adapt counts tokens per sample (a document)
 * exactly as Keras, over arrays or a DataFrame.
 *
 * <pre>{@code
 * TextVectorization tv = new TextVectorization().maxTokens(20000).outputSequenceLength(64);
 * tv.adapt(new String[] {"The cat sat.", "The dog!"});
 * tv.getVocabulary();   // ["", "[UNK]", "the", "sat", "dog", "cat"]
 * }</pre>
 */
public final class TextVectorization extends PreprocessingLayer {
  private final StringLookup lookup;
  private String standardize = "lower_and_strip_punctuation";
  private String split = "whitespace";
  private Object ngramsConfig;
  private int[] ngrams;
  private OutputMode outputMode = OutputMode.INT;
  private Integer outputSequenceLength;
  private TextTokenizer tokenizer;

  public TextVectorization() {
    lookup = new StringLookup().maskToken("");
    tokenizer = new TextTokenizer(standardize, split, null);
  }

  private TextVectorization(Config c) {
    super(c);
    standardize = stringOption(c.get("standardize"), "standardize", "lower_and_strip_punctuation",
        "lower", "strip_punctuation");
    split = stringOption(c.get("split"), "split", "whitespace", "character");
    setNgrams(c.get("ngrams"));
    outputMode = OutputMode.of(c.getString("output_mode", "int"), "TextVectorization "
        + "output_mode", OutputMode.INT, OutputMode.ONE_HOT, OutputMode.MULTI_HOT,
        OutputMode.COUNT, OutputMode.TF_IDF);
    outputSequenceLength = c.get("output_sequence_length") == null ? null
        : c.getInt("output_sequence_length");
    if (c.getBoolean("sparse", false) || c.getBoolean("ragged", false)) {
      throw new IllegalArgumentException(who() + "sparse and ragged outputs need the TensorFlow "
          + "backend");
    }
    Map<String, Object> lc = Config.newMap();
    lc.put("name", getName() + "_lookup");
    lc.put("max_tokens", c.get("max_tokens"));
    lc.put("mask_token", "");
    lc.put("output_mode", outputMode.kerasName());
    lc.put("pad_to_max_tokens", c.getBoolean("pad_to_max_tokens", false));
    lc.put("vocabulary", c.get("vocabulary"));
    lc.put("idf_weights", c.get("idf_weights"));
    lc.put("vocabulary_size", c.get("vocabulary_size"));
    lookup = StringLookup.fromConfig(new Config("TextVectorization", lc));
    validate();
  }

  public static TextVectorization fromConfig(Config c) {
    return new TextVectorization(c);
  }

  private String stringOption(Object v, String key, String... allowed) {
    if (v == null) {
      return null;
    }
    for (String a : allowed) {
      if (a.equals(v)) {
        return a;
      }
    }
    throw new IllegalArgumentException(who() + key + ": expected one of "
        + java.util.Arrays.toString(allowed) + " or null (custom functions are Python-only), "
        + "found " + v);
  }

  private void setNgrams(Object v) {
    ngramsConfig = v;
    if (v == null) {
      ngrams = null;
    } else if (v instanceof Number) {
      int n = ((Number) v).intValue();
      ngrams = new int[n];
      for (int i = 0; i < n; i++) {
        ngrams[i] = i + 1;
      }
    } else if (v instanceof List) {
      List<?> l = (List<?>) v;
      ngrams = new int[l.size()];
      for (int i = 0; i < ngrams.length; i++) {
        ngrams[i] = ((Number) l.get(i)).intValue();
      }
    } else {
      throw new IllegalArgumentException(who() + "ngrams: expected null, an integer or a list of "
          + "integers, found " + v);
    }
  }

  private void validate() {
    if (outputMode != OutputMode.INT && outputSequenceLength != null) {
      throw new IllegalArgumentException(who() + "output_sequence_length is only for \"int\" "
          + "output");
    }
    if (outputMode == OutputMode.ONE_HOT && split != null) {
      throw new IllegalArgumentException(who() + "\"one_hot\" output needs split=None (one "
          + "token per sample); use \"multi_hot\" or \"count\" for split text");
    }
    tokenizer = new TextTokenizer(standardize, split, ngrams);
  }

  /** Keras's {@code max_tokens}. */
  public TextVectorization maxTokens(Integer n) {
    lookup.maxTokens(n);
    return this;
  }

  /** "lower_and_strip_punctuation" (default), "lower", "strip_punctuation" or null. */
  public TextVectorization standardize(String s) {
    standardize = stringOption(s, "standardize", "lower_and_strip_punctuation", "lower",
        "strip_punctuation");
    validate();
    return this;
  }

  /** "whitespace" (default), "character" or null. */
  public TextVectorization split(String s) {
    split = stringOption(s, "split", "whitespace", "character");
    validate();
    return this;
  }

  /** N-grams up to {@code n} (Keras's {@code ngrams=n}). */
  public TextVectorization ngrams(int n) {
    setNgrams(n);
    validate();
    return this;
  }

  /** "int" (default), "one_hot", "multi_hot", "count" or "tf_idf". */
  public TextVectorization outputMode(String mode) {
    outputMode = OutputMode.of(mode, "TextVectorization output_mode", OutputMode.INT,
        OutputMode.ONE_HOT, OutputMode.MULTI_HOT, OutputMode.COUNT, OutputMode.TF_IDF);
    lookup.outputMode(outputMode.kerasName());
    validate();
    return this;
  }

  /** Indices per sample in "int" mode (trimmed or padded with 0). */
  public TextVectorization outputSequenceLength(int n) {
    if (n < 1) {
      throw new IllegalArgumentException(who() + "output_sequence_length: expected >= 1, found "
          + n);
    }
    outputSequenceLength = n;
    validate();
    return this;
  }

  /** Keras's {@code pad_to_max_tokens}. */
  public TextVectorization padToMaxTokens(boolean pad) {
    lookup.padToMaxTokens(pad);
    return this;
  }

  /** A fixed vocabulary (and IDF weights in "tf_idf" mode), kept in the config. */
  public TextVectorization vocabulary(List<String> tokens, float[] idf) {
    lookup.vocabulary(tokens, idf);
    return this;
  }

  public List<Object> getVocabulary() {
    return lookup.getVocabulary();
  }

  public int vocabularySize() {
    return lookup.vocabularySize();
  }

  /** The lookup inside (for its vocabulary file and IDF weights when saving). */
  public StringLookup lookup() {
    return lookup;
  }

  @Override
  public HostValue.Kind outputKind(List<HostValue.Kind> kinds) {
    single(kinds, HostValue.Kind.STRING);
    return outputMode.kind();
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    if (outputMode == OutputMode.INT) {
      return new int[] {outputSequenceLength == null ? -1 : outputSequenceLength};
    }
    return new int[] {lookup.depth()};
  }

  @Override
  public void encode(HostValue[] inputs, HostValue out, HostContext context) {
    if (outputMode == OutputMode.INT && outputSequenceLength == null) {
      throw new IllegalStateException(who() + "set output_sequence_length: rows are encoded one "
          + "at a time into fixed-size batches");
    }
    HostValue words = context.scratchValue(0, HostValue.Kind.STRING);
    HostValue tokens = context.scratchValue(1, HostValue.Kind.STRING);
    tokenizer.tokenize(inputs[0], words, tokens);
    if (outputMode != OutputMode.INT) {
      lookup.encodeTokens(tokens, out);
      return;
    }
    HostValue indices = context.scratchValue(2, HostValue.Kind.INT);
    lookup.encodeTokens(tokens, indices);
    int n = outputSequenceLength;
    out.resize1(n);
    long[] o = out.ints();
    int have = Math.min(n, indices.count());
    System.arraycopy(indices.ints(), 0, o, 0, have);
    java.util.Arrays.fill(o, have, n, 0L);
  }

  @Override
  public boolean isAdaptable() {
    return lookup.isAdaptable();
  }

  @Override
  public AdaptState newAdaptState() {
    return new Tokenized(lookup.newAdaptState());
  }

  @Override
  public AdaptState readAdaptState(DataInput in) throws IOException {
    return new Tokenized(lookup.readAdaptState(in));
  }

  @Override
  public void finishAdapt(AdaptState state) {
    lookup.finishAdapt(((Tokenized) state).counts);
  }

  @Override
  public Map<String, byte[]> saveAssets() {
    return lookup.saveAssets();
  }

  @Override
  public void loadAssets(Map<String, byte[]> files) {
    lookup.loadAssets(files);
  }

  @Override
  public Map<String, StoredArray> saveOwnVariables() {
    return lookup.saveOwnVariables();
  }

  @Override
  public void loadOwnVariables(Map<String, StoredArray> store) {
    lookup.loadOwnVariables(store);
  }

  /** Token counts of the tokenised samples. */
  private final class Tokenized implements AdaptState {
    final AdaptState counts;
    final HostValue words = new HostValue(HostValue.Kind.STRING);
    final HostValue tokens = new HostValue(HostValue.Kind.STRING);

    Tokenized(AdaptState counts) {
      this.counts = counts;
    }

    @Override
    public void update(HostValue sample) {
      tokenizer.tokenize(sample, words, tokens);
      counts.update(tokens);
    }

    @Override
    public void merge(AdaptState other) {
      counts.merge(((Tokenized) other).counts);
    }

    @Override
    public void write(DataOutput out) throws IOException {
      counts.write(out);
    }
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    Map<String, Object> lc = lookup.getConfig();
    m.put("max_tokens", lc.get("max_tokens"));
    m.put("standardize", standardize);
    m.put("split", split);
    m.put("ngrams", ngramsConfig);
    m.put("output_mode", outputMode.kerasName());
    m.put("output_sequence_length", outputSequenceLength);
    m.put("pad_to_max_tokens", lc.get("pad_to_max_tokens"));
    m.put("sparse", false);
    m.put("ragged", false);
    m.put("vocabulary", lc.get("vocabulary"));
    m.put("idf_weights", lc.get("idf_weights"));
    m.put("encoding", "utf-8");
    m.put("vocabulary_size", lookup.hasVocabulary() ? lookup.vocabularySize() : null);
    return m;
  }
}
