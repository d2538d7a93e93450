package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.saving.Config;
import java.io.DataInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
      try {
        List<Object> out = new ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of((String) v))) {
          out.add(strings ? line : (Object) Long.parseLong(line.trim()));
        }
        return out;
      } catch (IOException e) {
        throw new IllegalArgumentException(who() + "vocabulary file " + v + " cannot be read: "
            + e.getMessage(), e);
      }
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
        ? ((String) maskToken).getBytes(java.nio.charset.StandardCharsets.UTF_8) : null;
  }

  @SuppressWarnings("unchecked")
  private T self() {
    return (T) this;
  }

  private void requireUnbuilt(String what) {
    if (hasVocabulary() || isBuilt()) {
      throw new IllegalStateException(who() + "set " + what + " before the vocabulary and "
          + "before the layer is used");
    }
  }

  /** Keras's {@code max_tokens}: the vocabulary's largest size, special tokens included. */
  public T maxTokens(Integer n) {
    requireUnbuilt("max_tokens");
    maxTokens = n;
    validate();
    return self();
  }

  /** Keras's {@code num_oov_indices} (default 1). */
  public T numOovIndices(int n) {
    requireUnbuilt("num_oov_indices");
    numOovIndices = n;
    validate();
    return self();
  }

  /** Keras's {@code mask_token} (default none). */
  public T maskToken(Object token) {
    requireUnbuilt("mask_token");
    maskToken = token(token, "mask_token");
    validate();
    return self();
  }

  /** Keras's {@code oov_token}: what {@code invert} gives for OOV indices. */
  public T oovToken(Object token) {
    requireUnbuilt("oov_token");
    oovToken = token(token, "oov_token");
    validate();
    return self();
  }

  /** Keras's {@code output_mode}: "int" (default), "one_hot", "multi_hot", "count", "tf_idf". */
  public T outputMode(String mode) {
    requireUnbuilt("output_mode");
    outputMode = mode(mode);
    validate();
    return self();
  }

  /** Keras's {@code pad_to_max_tokens}. */
  public T padToMaxTokens(boolean pad) {
    requireUnbuilt("pad_to_max_tokens");
    padToMaxTokens = pad;
    validate();
    return self();
  }

  /** Keras's {@code invert}: map indices back to tokens. */
  public T invert(boolean inv) {
    requireUnbuilt("invert");
    invert = inv;
    validate();
    return self();
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
    List<Object> v = new ArrayList<>();
    if (includeSpecialTokens) {
      for (int i = 0; i < oovStartIndex(); i++) {
        v.add(maskToken);
      }
      for (int i = 0; i < numOovIndices; i++) {
        v.add(oovToken);
      }
    }
    for (int i = 0; i < table.size(); i++) {
      v.add(table.tokenAt(i));
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
    List<Object> special = new ArrayList<>();
    for (int i = 0; i < oovStartIndex(); i++) {
      special.add(maskToken);
    }
    for (int i = 0; i < numOovIndices; i++) {
      special.add(oovToken);
    }
    boolean foundSpecial = vocab.size() >= tokenStart
        && vocab.subList(0, tokenStart).equals(special);
    List<Object> tokens = foundSpecial ? vocab.subList(tokenStart, vocab.size()) : vocab;
    Map<Object, Integer> seen = new HashMap<>();
    List<Object> repeated = new ArrayList<>();
    for (Object t : tokens) {
      if (seen.merge(t, 1, Integer::sum) == 2) {
        repeated.add(t);
      }
    }
    if (!repeated.isEmpty()) {
      throw new IllegalArgumentException(who() + "the vocabulary repeats " + repeated
          + "; give each token once");
    }
    if (maskToken != null && seen.containsKey(maskToken)) {
      throw new IllegalArgumentException(who() + "the mask token " + maskToken + " is in the "
          + "vocabulary at an unexpected place; give the vocabulary without the mask and OOV "
          + "tokens, or with them first in exactly this order: " + special);
    }
    if (oovToken != null && invert && seen.containsKey(oovToken)) {
      throw new IllegalArgumentException(who() + "the OOV token " + oovToken + " is in the "
          + "vocabulary at an unexpected place; give the vocabulary without the mask and OOV "
          + "tokens, or with them first in exactly this order: " + special);
    }
    if (maxTokens != null && tokenStart + tokens.size() > maxTokens) {
      throw new IllegalArgumentException(who() + "the vocabulary has " + (tokenStart
          + tokens.size()) + " entries with the special tokens, more than max_tokens="
          + maxTokens);
    }
    TokenTable t = strings ? TokenTable.strings() : TokenTable.longs();
    for (Object tok : tokens) {
      if (strings) {
        t.add((String) tok);
      } else {
        t.add((Long) tok);
      }
    }
    float[] weights = null;
    if (outputMode == OutputMode.TF_IDF) {
      if (idf.length != vocab.size()) {
        throw new IllegalArgumentException(who() + "idf_weights has " + idf.length
            + " values, the vocabulary " + vocab.size());
      }
      weights = padIdf(idf, foundSpecial ? 0 : tokenStart, average(idf));
    }
    installVocabulary(t, weights);
  }

  /** {@link #setVocabulary(List, float[])} without IDF weights. */
  public void setVocabulary(List<?> vocabulary) {
    setVocabulary(vocabulary, null);
  }

  private float[] padIdf(float[] idf, int front, float frontValue) {
    int back = padToMaxTokens ? maxTokens - front - idf.length : 0;
    float[] w = new float[front + idf.length + Math.max(0, back)];
    Arrays.fill(w, 0, front, frontValue);
    System.arraycopy(idf, 0, w, front, idf.length);
    return w;
  }

  private static float average(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x;
    }
    return (float) (s / v.length);
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
      invert(in, out);
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

  private void invert(HostValue in, HostValue out) {
    out.reset();
    int tokenStart = tokenStartIndex();
    for (int e = 0; e < in.count(); e++) {
      long index = in.getInt(e);
      Object special = maskToken != null && index == 0 ? maskToken : oovToken;
      long id = index - tokenStart;
      if (strings) {
        if (in.isMissing(e) || id < 0 || id >= table.size()) {
          out.addString((String) special);
        } else {
          out.addString(table.bytes(), table.start((int) id), table.end((int) id)
              - table.start((int) id));
        }
      } else {
        out.addInt(in.isMissing(e) || id < 0 || id >= table.size() ? (Long) special
            : table.longAt((int) id));
      }
    }
    out.shapeLike(in);
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
    TokenTable all = c.tokens;
    List<Integer> ids = new ArrayList<>();
    int maskId = special(all, maskToken);
    int oovId = special(all, oovToken);
    for (int i = 0; i < all.size(); i++) {
      if (i != maskId && i != oovId) {
        ids.add(i);
      }
    }
    if (ids.isEmpty()) {
      return; // Keras keeps the layer as it was when adapt saw no tokens
    }
    // Keras: np.lexsort((tokens, counts))[::-1]: count high to low, ties token high to low
    ids.sort((a, b) -> c.counts[a] != c.counts[b] ? Long.compare(c.counts[b], c.counts[a])
        : all.compare(b, a));
    if (maxTokens != null) {
      int keep = Math.max(0, maxTokens - tokenStartIndex());
      if (ids.size() > keep) {
        ids = ids.subList(0, keep);
      }
    }
    TokenTable t = strings ? TokenTable.strings() : TokenTable.longs();
    for (int id : ids) {
      if (strings) {
        t.add(all.bytes(), all.start(id), all.end(id) - all.start(id));
      } else {
        t.add(all.longAt(id));
      }
    }
    float[] weights = null;
    if (outputMode == OutputMode.TF_IDF) {
      float[] idf = new float[ids.size()];
      double sum = 0;
      for (int i = 0; i < idf.length; i++) {
        long df = c.documentCounts[ids.get(i)];
        idf[i] = (float) Math.log(1 + (double) c.numDocuments / (1 + df));
        sum += idf[i];
      }
      weights = padIdf(idf, tokenStartIndex(), (float) (sum / idf.length));
    }
    adapted = true;
    installVocabulary(t, weights);
  }

  private int special(TokenTable all, Object token) {
    if (token == null) {
      return -1;
    }
    if (strings) {
      byte[] b = ((String) token).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      return all.find(b, 0, b.length);
    }
    return all.find((Long) token);
  }

  // ---- state in files --------------------------------------------------------------------

  /**
   * The vocabulary file Keras writes under {@code assets/<layer>/vocabulary.txt} (the tokens
   * with the special ones, one per line, no final newline), or null when the vocabulary was
   * given in the config.
   */
  public String vocabularyAsset() {
    if (inputVocabulary != null || !hasVocabulary()) {
      return null;
    }
    StringBuilder b = new StringBuilder();
    List<Object> v = getVocabulary(true);
    for (int i = 0; i < v.size(); i++) {
      b.append(i == 0 ? "" : "\n").append(v.get(i));
    }
    return b.toString();
  }

  /** Reads the vocabulary file Keras writes (see {@link #vocabularyAsset()}). */
  public void loadVocabularyAsset(String text) {
    if (inputVocabulary != null) {
      return;
    }
    List<Object> v = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      v.add(strings ? line : (Object) Long.parseLong(line.trim()));
    }
    float[] idf = null;
    if (outputMode == OutputMode.TF_IDF) {
      idf = new float[v.size()]; // replaced by the saved idf_weights variable
    }
    float[] kept = idfWeights;
    setVocabulary(v, idf);
    if (kept != null && kept.length == depth()) {
      idfWeights = kept;
    }
  }

  @Override
  public Map<String, byte[]> saveAssets() {
    String v = vocabularyAsset();
    return v == null ? Map.of()
        : Map.of("vocabulary.txt", v.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public void loadAssets(Map<String, byte[]> files) {
    byte[] v = files.get("vocabulary.txt");
    if (v != null) {
      loadVocabularyAsset(new String(v, java.nio.charset.StandardCharsets.UTF_8));
    }
  }

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
      loadIdfWeights(idf.asFloats());
    }
  }

  /** Sets the TF-IDF weights saved as the layer's variable {@code idf_weights}. */
  public void loadIdfWeights(float[] weights) {
    if (outputMode != OutputMode.TF_IDF) {
      throw new IllegalStateException(who() + "has IDF weights only in \"tf_idf\" mode");
    }
    idfWeights = weights.clone();
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
