package io.sparkeras.api.layers.preprocessing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The vocabulary arithmetic of {@link IndexLookup}, apart from the layer: which tokens a given
 * vocabulary may hold (Keras's {@code set_vocabulary} checks), which tokens {@code adapt} keeps
 * (Keras's {@code np.lexsort((tokens, counts))[::-1]}: count high to low, ties token high to
 * low) with their inverse document frequencies, and the vocabulary file under {@code assets/}.
 *
 * <pre>{@code
 * List<Integer> ids = LookupVocabulary.mostFrequent(counts, maskId, oovId, keep);
 * TokenTable table = LookupVocabulary.table(counts.tokens, ids);
 * }</pre>
 */
final class LookupVocabulary {
  private LookupVocabulary() {}

  /** Tokens of a vocabulary file or asset: one per line; integers parsed when not strings. */
  static List<Object> parseLines(String text, boolean strings) {
    List<Object> v = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      v.add(strings ? line : (Object) Long.parseLong(line.trim()));
    }
    return v;
  }

  /** The tokens of a vocabulary file named in a config, one per line. */
  static List<Object> readFile(String path, boolean strings, String who) {
    try {
      List<Object> out = new ArrayList<>();
      for (String line : Files.readAllLines(Path.of(path))) {
        out.add(strings ? line : (Object) Long.parseLong(line.trim()));
      }
      return out;
    } catch (IOException e) {
      throw new IllegalArgumentException(who + "vocabulary file " + path + " cannot be read: "
          + e.getMessage(), e);
    }
  }

  /** Keras's {@code vocabulary.txt}: the tokens one per line, no final newline. */
  static String assetText(List<Object> vocabulary) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < vocabulary.size(); i++) {
      b.append(i == 0 ? "" : "\n").append(vocabulary.get(i));
    }
    return b.toString();
  }

  /**
   * Keras's checks on the tokens of {@code set_vocabulary} (without the leading special
   * tokens): no token twice, no mask token, no OOV token when inverting, at most
   * {@code maxTokens} with the {@code specials}.
   */
  static void checkTokens(List<Object> tokens, List<Object> specials, Object maskToken,
      Object oovToken, boolean invert, Integer maxTokens, String who) {
    Map<Object, Integer> seen = new HashMap<>();
    List<Object> repeated = new ArrayList<>();
    for (Object t : tokens) {
      if (seen.merge(t, 1, Integer::sum) == 2) {
        repeated.add(t);
      }
    }
    if (!repeated.isEmpty()) {
      throw new IllegalArgumentException(who + "the vocabulary repeats " + repeated
          + "; give each token once");
    }
    String order = " is in the vocabulary at an unexpected place; give the vocabulary without "
        + "the mask and OOV tokens, or with them first in exactly this order: " + specials;
    if (maskToken != null && seen.containsKey(maskToken)) {
      throw new IllegalArgumentException(who + "the mask token " + maskToken + order);
    }
    if (oovToken != null && invert && seen.containsKey(oovToken)) {
      throw new IllegalArgumentException(who + "the OOV token " + oovToken + order);
    }
    int entries = specials.size() + tokens.size();
    if (maxTokens != null && entries > maxTokens) {
      throw new IllegalArgumentException(who + "the vocabulary has " + entries
          + " entries with the special tokens, more than max_tokens=" + maxTokens);
    }
  }

  /** A table of the given tokens, in order. */
  static TokenTable table(List<Object> tokens, boolean strings) {
    TokenTable t = strings ? TokenTable.strings() : TokenTable.longs();
    for (Object tok : tokens) {
      if (strings) {
        t.add((String) tok);
      } else {
        t.add((Long) tok);
      }
    }
    return t;
  }

  /** A table of the tokens {@code ids} of {@code all}, in the order of {@code ids}. */
  static TokenTable table(TokenTable all, List<Integer> ids) {
    TokenTable t = all.holdsStrings() ? TokenTable.strings() : TokenTable.longs();
    for (int id : ids) {
      if (all.holdsStrings()) {
        t.add(all.bytes(), all.start(id), all.end(id) - all.start(id));
      } else {
        t.add(all.longAt(id));
      }
    }
    return t;
  }

  /** Id of a special token in a table of counted tokens, or -1. */
  static int find(TokenTable all, Object token) {
    if (token == null) {
      return -1;
    }
    if (all.holdsStrings()) {
      byte[] b = ((String) token).getBytes(StandardCharsets.UTF_8);
      return all.find(b, 0, b.length);
    }
    return all.find((Long) token);
  }

  /**
   * The ids of the counted tokens {@code adapt} keeps, most frequent first (ties: the larger
   * token first), without the two special ids, at most {@code keep} (null: all).
   */
  static List<Integer> mostFrequent(TokenCounts c, int maskId, int oovId, Integer keep) {
    TokenTable all = c.tokens;
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (i != maskId && i != oovId) {
        ids.add(i);
      }
    }
    ids.sort((a, b) -> c.counts[a] != c.counts[b] ? Long.compare(c.counts[b], c.counts[a])
        : all.compare(b, a));
    return keep != null && ids.size() > keep ? ids.subList(0, Math.max(0, keep)) : ids;
  }

  /** Keras's IDF of each kept token: {@code log(1 + documents / (1 + documents with it))}. */
  static float[] idf(TokenCounts c, List<Integer> ids) {
    float[] idf = new float[ids.size()];
    for (int i = 0; i < idf.length; i++) {
      long df = c.documentCounts[ids.get(i)];
      idf[i] = (float) Math.log(1 + (double) c.numDocuments / (1 + df));
    }
    return idf;
  }

  /**
   * IDF weights per output slot: {@code front} slots (mask and OOV) of the average weight, then
   * {@code idf}, then zeros up to {@code total} (when padding to {@code max_tokens}).
   */
  static float[] padIdf(float[] idf, int front, int total) {
    double s = 0;
    for (float x : idf) {
      s += x;
    }
    float[] w = new float[Math.max(total, front + idf.length)];
    Arrays.fill(w, 0, front, (float) (s / idf.length));
    System.arraycopy(idf, 0, w, front, idf.length);
    return w;
  }

  /**
   * Keras's {@code invert=True}: each index back to its token; the mask index (0, with a mask
   * token) to the mask token, OOV indices, indices out of range and missing values to the OOV
   * token.
   */
  static void invert(TokenTable table, int tokenStart, Object maskToken, Object oovToken,
      HostValue in, HostValue out) {
    out.reset();
    for (int e = 0; e < in.count(); e++) {
      long index = in.getInt(e);
      Object special = maskToken != null && index == 0 ? maskToken : oovToken;
      long id = index - tokenStart;
      boolean known = !in.isMissing(e) && id >= 0 && id < table.size();
      if (table.holdsStrings()) {
        if (known) {
          out.addString(table.bytes(), table.start((int) id), table.end((int) id)
              - table.start((int) id));
        } else {
          out.addString((String) special);
        }
      } else {
        out.addInt(known ? table.longAt((int) id) : (Long) special);
      }
    }
    out.shapeLike(in);
  }
}
