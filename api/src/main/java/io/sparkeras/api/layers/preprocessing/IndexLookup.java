package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.config.Config;
import java.io.DataInput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What {@link StringLookup} and {@link IntegerLookup} share, Keras's {@code IndexLookup}: a
 * vocabulary of tokens mapped to indices after the mask index (index 0 when a mask token is set
 * and the output is "int") and the OOV indices; out-of-vocabulary tokens go to the OOV index,
 * or with several OOV indices to a bucket of FarmHash Fingerprint64 (strings) or the value
 * modulo the count (integers), exactly as Keras; {@code invert} maps indices back to tokens.
 * {@code adapt} counts tokens and keeps the most frequent (ties: the larger token first, Keras's
 * order); in "tf_idf" mode it also learns each token's inverse document frequency
 * {@code log(1 + documents / (1 + documents with the token))}.
 *
 * <p>A missing value (a null in the table) maps to the mask index when a mask token is set (and
 * is dropped outside "int" mode), otherwise to the first OOV index; with no OOV index it is an
 * error, like any out-of-vocabulary value.
 */
public abstract class IndexLookup<T extends IndexLookup<T>> extends PreprocessingLayer {
  private final boolean strings;
  Integer maxTokens;
  int numOovIndices = 1;
  Object maskToken;
  Object oovToken;
  OutputMode outputMode = OutputMode.INT;
  boolean padToMaxTokens;
  boolean invert;
  List<Object> inputVocabulary;
  float[] inputIdfWeights;
  Integer frozenVocabSize;
  private boolean adapted;
  private TokenTable table;
  private float[] idfWeights;
  private byte[] maskBytes;

  IndexLookup(boolean strings, Object defaultOov) {
    this.strings = strings;
    this.oovToken = defaultOov;
    this.table = strings ? TokenTable.strings() : TokenTable.longs();
  }

  IndexLookup(boolean strings, Object defaultOov, Config c) {
    super(c);
    this.strings = strings;
    this.table = strings ? TokenTable.strings() : TokenTable.longs();
    maxTokens = c.get("max_tokens") == null ? null : c.getInt("max_tokens");
    numOovIndices = c.getInt("num_oov_indices", 1);
    maskToken = token(c.get("mask_token"), "mask_token");
    oovToken = c.map().containsKey("oov_token") ? token(c.get("oov_token"), "oov_token")
        : defaultOov;
    outputMode = mode(c.getString("output_mode", "int"));
    if (c.getBoolean("sparse", false)) {
      throw new IllegalArgumentException(who() + "sparse=True needs the TensorFlow backend");
    }
    padToMaxTokens = c.getBoolean("pad_to_max_tokens", false);
    invert = c.getBoolean("invert", false);
    Object idf = c.get("idf_weights");
    Object vocab = c.get("vocabulary");
    frozenVocabSize = c.get("vocabulary_size") == null ? null : c.getInt("vocabulary_size");
    validate();
    if (vocab != null) {
      setVocabulary(vocabularyList(vocab), idf == null ? null : floats(idf));
      inputVocabulary = new ArrayList<>(vocabularyList(vocab));
      inputIdfWeights = idf == null ? null : floats(idf);
    }
  }

  private static OutputMode mode(String name) {
    return OutputMode.of(name, "output_mode", OutputMode.INT, OutputMode.ONE_HOT,
        OutputMode.MULTI_HOT, OutputMode.COUNT, OutputMode.TF_IDF);
  }

  private Object token(Object v, String key) {
    if (v == null) {
      return null;
    }
    if (strings) {
      return v.toString();
    }
    if (v instanceof Number) {
      return ((Number) v).longValue();
    }
    throw new IllegalArgumentException(who() + key + ": expected an integer, found " + v);
  }

  private float[] floats(Object v) {
    return ConfigValues.floats(v, who() + "idf_weights");
  }

  private List<Object> vocabularyList(Object v) {
    if (v instanceof String) {
      return LookupVocabulary.readFile((String) v, strings, who());
    }
    if (!(v instanceof List)) {
      throw new IllegalArgumentException(who() + "vocabulary: expected a list or a file path, "
          + "found " + v);
    }
    List<Object> out = new ArrayList<>();
    for (Object o : (List<?>) v) {
      out.add(token(o, "vocabulary"));
    }
    return out;
  }

  void validate() {
    if (maxTokens != null && maxTokens <= 1) {
      throw new IllegalArgumentException(who() + "max_tokens: if set, expected > 1, found "
          + maxTokens);
    }
    if (padToMaxTokens && maxTokens == null) {
      throw new IllegalArgumentException(who() + "pad_to_max_tokens=True needs max_tokens");
    }
    if (numOovIndices < 0) {
      throw new IllegalArgumentException(who() + "num_oov_indices: expected >= 0, found "
          + numOovIndices);
    }
    if (invert && outputMode != OutputMode.INT) {
      throw new IllegalArgumentException(who() + "invert=True needs output_mode \"int\", found \""
          + outputMode.kerasName() + "\"");
    }
    maskBytes = strings && maskToken != null
        ? ((String) maskToken).getBytes(StandardCharsets.UTF_8) : null;
  }

  @SuppressWarnings("unchecked")
  private T self() {
    return (T) this;
  }

  private T set(String what, Runnable assign) {
    if (hasVocabulary() || isBuilt()) {
      throw new IllegalStateException(who() + "set " + what + " before the vocabulary and "
          + "before the layer is used");
    }
    assign.run();
    validate();
    return self();
  }

  /** Keras's {@code max_tokens}: the vocabulary's largest size, special tokens included. */
  public T maxTokens(Integer n) {
    return set("max_tokens", () -> maxTokens = n);
  }

  /** Keras's {@code num_oov_indices} (default 1). */
  public T numOovIndices(int n) {
    return set("num_oov_indices", () -> numOovIndices = n);
  }

  /** Keras's {@code mask_token} (default none). */
  public T maskToken(Object token) {
    return set("mask_token", () -> maskToken = token(token, "mask_token"));
  }

  /** Keras's {@code oov_token}: what {@code invert} gives for OOV indices. */
  public T oovToken(Object token) {
    return set("oov_token", () -> oovToken = token(token, "oov_token"));
  }

  /** Keras's {@code output_mode}: "int" (default), "one_hot", "multi_hot", "count", "tf_idf". */
  public T outputMode(String mode) {
    return set("output_mode", () -> outputMode = mode(mode));
  }

  /** Keras's {@code pad_to_max_tokens}. */
  public T padToMaxTokens(boolean pad) {
    return set("pad_to_max_tokens", () -> padToMaxTokens = pad);
  }

  /** Keras's {@code invert}: map indices back to tokens. */
  public T invert(boolean inv) {
    return set("invert", () -> invert = inv);
  }

  /**
   * Keras's {@code vocabulary=} (and {@code idf_weights=} in "tf_idf" mode): a fixed vocabulary,
   * kept in the config; the layer is then not adaptable.
   */
  public T vocabulary(List<?> tokens, float[] idf) {
    setVocabulary(tokens, idf);
    inputVocabulary = new ArrayList<>();
    for (Object t : tokens) {
      inputVocabulary.add(token(t, "vocabulary"));
    }
    inputIdfWeights = idf == null ? null : idf.clone();
    return self();
  }

  /** {@link #vocabulary(List, float[])} without IDF weights. */
  public T vocabulary(List<?> tokens) {
    return vocabulary(tokens, null);
  }

  // ---- the vocabulary --------------------------------------------------------------------

  int oovStartIndex() {
    return maskToken != null && outputMode == OutputMode.INT ? 1 : 0;
  }

  int tokenStartIndex() {
    return oovStartIndex() + numOovIndices;
  }

  /** Vocabulary size including the mask and OOV indices (Keras's {@code vocabulary_size()}). */
  public int vocabularySize() {
    return tokenStartIndex() + table.size();
  }

  /** Whether a vocabulary is set (given, adapted or loaded). */
  public boolean hasVocabulary() {
    return table.size() > 0;
  }

  /**
   * The vocabulary, with the mask and OOV tokens first when {@code includeSpecialTokens} (then a
   * token's position is its index), like Keras's {@code get_vocabulary()}.
   */
  public List<Object> getVocabulary(boolean includeSpecialTokens) {
    List<Object> v = includeSpecialTokens ? specialTokens() : new ArrayList<>();
    for (int i = 0; i < table.size(); i++) {
      v.add(table.tokenAt(i));
    }
    return v;
  }

  /** The mask and OOV tokens that come first in the vocabulary, in Keras's order. */
  private List<Object> specialTokens() {
    List<Object> v = new ArrayList<>();
    for (int i = 0; i < oovStartIndex(); i++) {
      v.add(maskToken);
    }
    for (int i = 0; i < numOovIndices; i++) {
      v.add(oovToken);
    }
    return v;
  }

  /** {@link #getVocabulary(boolean)} with the special tokens. */
  public List<Object> getVocabulary() {
    return getVocabulary(true);
  }

  /** The TF-IDF weights per output slot ("tf_idf" mode), or null. */
  public float[] idfWeights() {
    return idfWeights == null ? null : idfWeights.clone();
  }

  /**
   * Sets the vocabulary (and, in "tf_idf" mode, the IDF weights), like Keras's
   * {@code set_vocabulary}: the tokens may start with the mask and OOV tokens in Keras's order;
   * repeated tokens, a mask or OOV token elsewhere, or more than {@code max_tokens} are errors.
   */
  public void setVocabulary(List<?> vocabulary, float[] idf) {
    if (outputMode == OutputMode.TF_IDF && idf == null) {
      throw new IllegalArgumentException(who() + "idf_weights must be set in \"tf_idf\" mode");
    }
    if (outputMode != OutputMode.TF_IDF && idf != null) {
      throw new IllegalArgumentException(who() + "idf_weights are only for \"tf_idf\" mode, "
          + "output_mode is \"" + outputMode.kerasName() + "\"");
    }
    if (vocabulary.isEmpty()) {
      throw new IllegalArgumentException(who() + "cannot set an empty vocabulary");
    }
    List<Object> vocab = new ArrayList<>();
    for (Object o : vocabulary) {
      vocab.add(token(o, "vocabulary"));
    }
    int tokenStart = tokenStartIndex();
    List<Object> special = specialTokens();
    boolean foundSpecial = vocab.size() >= tokenStart
        && vocab.subList(0, tokenStart).equals(special);
    List<Object> tokens = foundSpecial ? vocab.subList(tokenStart, vocab.size()) : vocab;
    LookupVocabulary.checkTokens(tokens, special, maskToken, oovToken, invert, maxTokens, who());
    float[] weights = null;
    if (outputMode == OutputMode.TF_IDF) {
      if (idf.length != vocab.size()) {
        throw new IllegalArgumentException(who() + "idf_weights has " + idf.length
            + " values, the vocabulary " + vocab.size());
      }
      weights = padIdf(idf, foundSpecial ? 0 : tokenStart);
    }
    installVocabulary(LookupVocabulary.table(tokens, strings), weights);
  }

  /** {@link #setVocabulary(List, float[])} without IDF weights. */
  public void setVocabulary(List<?> vocabulary) {
    setVocabulary(vocabulary, null);
  }

  private float[] padIdf(float[] idf, int front) {
    return LookupVocabulary.padIdf(idf, front, padToMaxTokens ? maxTokens : 0);
  }

  private void installVocabulary(TokenTable t, float[] weights) {
    this.table = t;
    this.idfWeights = weights;
    this.frozenVocabSize = tokenStartIndex() + t.size();
  }

  // ---- layer -----------------------------------------------------------------------------

  /** Output slots outside "int" mode: {@code max_tokens} when padded, else the vocabulary size. */
  public int depth() {
    if (padToMaxTokens) {
      return maxTokens;
    }
    return frozenVocabSize == null ? -1 : frozenVocabSize;
  }

  @Override
  public HostValue.Kind outputKind(List<HostValue.Kind> kinds) {
    if (invert) {
      single(kinds, HostValue.Kind.INT);
      return strings ? HostValue.Kind.STRING : HostValue.Kind.INT;
    }
    single(kinds, strings ? HostValue.Kind.STRING : HostValue.Kind.INT);
    return outputMode.kind();
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    return outputMode.outputShape(inputShape, depth());
  }

  @Override
  public void encode(HostValue[] inputs, HostValue out, HostContext context) {
    encodeTokens(inputs[0], out);
  }

  /** {@link #encode} of one input value (how {@link TextVectorization} calls its lookup). */
  void encodeTokens(HostValue in, HostValue out) {
    if (!hasVocabulary()) {
      throw new IllegalStateException(who() + "has no vocabulary: pass one or call adapt first");
    }
    if (invert) {
      LookupVocabulary.invert(table, tokenStartIndex(), maskToken, oovToken, in, out);
      return;
    }
    int depth = depth();
    outputMode.begin(in, out, depth);
    int oovStart = oovStartIndex();
    int tokenStart = tokenStartIndex();
    long maskValue = outputMode == OutputMode.INT ? 0 : -1;
    for (int e = 0; e < in.count(); e++) {
      long index;
      if (in.isMissing(e)) {
        if (maskToken != null) {
          index = maskValue;
        } else if (numOovIndices > 0) {
          index = oovStart;
        } else {
          throw new IllegalArgumentException(who() + "found a missing value and "
              + "num_oov_indices=0; set num_oov_indices >= 1 or a mask_token");
        }
      } else if (strings) {
        byte[] b = in.bytes();
        int s = in.start(e);
        int len = in.end(e) - s;
        long hash = FarmHash.fingerprint64(b, s, len);
        if (maskBytes != null && Arrays.equals(maskBytes, 0, maskBytes.length, b, s, s + len)) {
          index = maskValue;
        } else {
          int id = table.find(b, s, len, hash);
          index = id >= 0 ? id + tokenStart
              : oovIndex(Long.remainderUnsigned(hash, Math.max(1, numOovIndices)), oovStart, in, e);
        }
      } else {
        long v = in.getInt(e);
        if (maskToken != null && v == (Long) maskToken) {
          index = maskValue;
        } else {
          int id = table.find(v);
          index = id >= 0 ? id + tokenStart
              : oovIndex(Math.floorMod(v, (long) Math.max(1, numOovIndices)), oovStart, in, e);
        }
      }
      if (index >= depth && outputMode != OutputMode.INT) {
        throw new IllegalArgumentException(who() + "index " + index + " does not fit the "
            + depth + " output slots");
      }
      outputMode.put(in, out, e, index, depth);
    }
    outputMode.finish(out, idfWeights, depth);
  }

  private long oovIndex(long bucket, int oovStart, HostValue in, int e) {
    if (numOovIndices == 0) {
      throw new IllegalArgumentException(who() + "when num_oov_indices=0 all inputs must be in "
          + "the vocabulary, found " + (strings ? "'" + in.getString(e) + "'" : in.getInt(e))
          + "; consider num_oov_indices=1");
    }
    return oovStart + (numOovIndices == 1 ? 0 : bucket);
  }

  // ---- adapt -----------------------------------------------------------------------------

  @Override
  public boolean isAdaptable() {
    return inputVocabulary == null;
  }

  @Override
  public AdaptState newAdaptState() {
    requireAdaptable();
    return new TokenCounts(strings, outputMode == OutputMode.TF_IDF);
  }

  @Override
  public AdaptState readAdaptState(DataInput in) throws IOException {
    requireAdaptable();
    return TokenCounts.read(in);
  }

  private void requireAdaptable() {
    if (inputVocabulary != null) {
      throw new IllegalStateException(who() + "cannot adapt a layer given its vocabulary");
    }
  }

  @Override
  public void finishAdapt(AdaptState state) {
    requireAdaptable();
    TokenCounts c = (TokenCounts) state;
    int maskId = LookupVocabulary.find(c.tokens, maskToken);
    int oovId = LookupVocabulary.find(c.tokens, oovToken);
    Integer keep = maxTokens == null ? null : maxTokens - tokenStartIndex();
    if (c.tokens.size() == (maskId >= 0 ? 1 : 0) + (oovId >= 0 ? 1 : 0)) {
      return; // Keras keeps the layer as it was when adapt saw no tokens
    }
    List<Integer> ids = LookupVocabulary.mostFrequent(c, maskId, oovId, keep);
    float[] weights = outputMode == OutputMode.TF_IDF
        ? padIdf(LookupVocabulary.idf(c, ids), tokenStartIndex()) : null;
    adapted = true;
    installVocabulary(LookupVocabulary.table(c.tokens, ids), weights);
  }

  // ---- state in files --------------------------------------------------------------------

  /**
   * Keras's {@code assets/<layer>/vocabulary.txt}: the tokens with the special ones, one per
   * line, no final newline; none when the vocabulary was given in the config.
   */
  @Override
  public Map<String, byte[]> saveAssets() {
    if (inputVocabulary != null || !hasVocabulary()) {
      return Map.of();
    }
    String text = LookupVocabulary.assetText(getVocabulary(true));
    return Map.of("vocabulary.txt", text.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void loadAssets(Map<String, byte[]> files) {
    byte[] text = files.get("vocabulary.txt");
    if (text == null || inputVocabulary != null) {
      return;
    }
    List<Object> v = LookupVocabulary.parseLines(new String(text, StandardCharsets.UTF_8),
        strings);
    // in "tf_idf" mode the weights come from the saved idf_weights variable
    float[] idf = outputMode == OutputMode.TF_IDF ? new float[v.size()] : null;
    float[] kept = idfWeights;
    setVocabulary(v, idf);
    if (kept != null && kept.length == depth()) {
      idfWeights = kept;
    }
  }

  /** Keras's variable {@code idf_weights} in "tf_idf" mode. */
  @Override
  public Map<String, StoredArray> saveOwnVariables() {
    if (outputMode != OutputMode.TF_IDF || idfWeights == null) {
      return Map.of();
    }
    return Map.of("idf_weights", StoredArray.floats(new int[] {idfWeights.length}, idfWeights));
  }

  @Override
  public void loadOwnVariables(Map<String, StoredArray> store) {
    StoredArray idf = store.get("idf_weights");
    if (idf != null && outputMode == OutputMode.TF_IDF) {
      idfWeights = idf.asFloats().clone();
    }
  }

  // ---- config ----------------------------------------------------------------------------

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("invert", invert);
    m.put("max_tokens", maxTokens);
    m.put("num_oov_indices", numOovIndices);
    m.put("oov_token", oovToken);
    m.put("mask_token", maskToken);
    m.put("output_mode", outputMode.kerasName());
    m.put("sparse", false);
    m.put("pad_to_max_tokens", padToMaxTokens);
    m.put("vocabulary_dtype", strings ? "string" : "int64");
    m.put("idf_weights", inputIdfWeights == null ? null : idfList(inputIdfWeights));
    m.put("vocabulary", inputVocabulary == null ? null : new ArrayList<>(inputVocabulary));
    m.put("vocabulary_size", frozenVocabSize);
    return m;
  }

  private static List<Object> idfList(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return ConfigValues.list(d);
  }
}
