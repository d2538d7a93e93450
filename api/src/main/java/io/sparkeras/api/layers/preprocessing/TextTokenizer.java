package io.sparkeras.api.layers.preprocessing;

import java.util.Arrays;

/**
 * The string side of Keras's {@code TextVectorization}, on UTF-8 bytes without allocation:
 * {@code standardize} ("lower_and_strip_punctuation", "lower", "strip_punctuation" or none:
 * {@code tf.strings.lower} lowers ASCII letters only, and Keras's punctuation pattern is every
 * ASCII punctuation character), {@code split} ("whitespace": runs of ASCII whitespace, leading
 * and trailing ignored; "character": one token per code point; or none) and {@code ngrams}
 * ({@code tf.strings.ngrams} with separator " ": all n-grams of each width, widths in order).
 *
 * <pre>{@code
 * TextTokenizer t = new TextTokenizer("lower_and_strip_punctuation", "whitespace", new int[] {1, 2});
 * t.tokenize(text, tokens);     // "The cat!" -> ["the", "cat", "the cat"]
 * }</pre>
 */
final class TextTokenizer {
  private final boolean lower;
  private final boolean strip;
  private final String split;
  private final int[] ngrams;

  TextTokenizer(String standardize, String split, int[] ngrams) {
    this.lower = "lower".equals(standardize) || "lower_and_strip_punctuation".equals(standardize);
    this.strip = "strip_punctuation".equals(standardize)
        || "lower_and_strip_punctuation".equals(standardize);
    this.split = split;
    this.ngrams = ngrams == null ? null : ngrams.clone();
  }

  private static boolean isPunctuation(int b) {
    return b >= '!' && b <= '/' || b >= ':' && b <= '@' || b >= '[' && b <= '`'
        || b >= '{' && b <= '~';
  }

  private static boolean isSpace(int b) {
    return b == ' ' || b >= '\t' && b <= '\r';
  }

  /**
   * Tokenises every string element of {@code in} into {@code out} (reset first); {@code words}
   * is scratch for the words before n-grams are formed.
   */
  void tokenize(HostValue in, HostValue words, HostValue out) {
    HostValue target = ngrams == null ? out : words;
    target.reset();
    for (int e = 0; e < in.count(); e++) {
      if (in.isMissing(e)) {
        continue;
      }
      byte[] b = in.bytes();
      int s = in.start(e);
      int end = in.end(e);
      // standardise into the target's own byte area, then split it there
      int at = target.reserveString(end - s);
      byte[] t = target.bytes();
      int n = 0;
      for (int i = s; i < end; i++) {
        int c = b[i];
        if (strip && c >= 0 && isPunctuation(c)) {
          continue;
        }
        if (lower && c >= 'A' && c <= 'Z') {
          c += 'a' - 'A';
        }
        t[at + n++] = (byte) c;
      }
      target.dropLast();
      splitInto(t, at, n, target);
    }
    if (ngrams != null) {
      ngrams(words, out);
    }
  }

  /**
   * Appends the tokens of {@code t[at, at + n)} to {@code target}. {@code t} is the target's own
   * byte area, just past its last element: each token is copied to an offset at or before where
   * it is read (an overlapping copy System.arraycopy handles), inside space already reserved.
   */
  private void splitInto(byte[] t, int at, int n, HostValue target) {
    if (split == null) {
      target.addString(t, at, n);
      return;
    }
    if (split.equals("whitespace")) {
      int i = at;
      int end = at + n;
      while (i < end) {
        while (i < end && isSpace(t[i])) {
          i++;
        }
        int start = i;
        while (i < end && !isSpace(t[i])) {
          i++;
        }
        if (i > start) {
          target.addString(t, start, i - start);
        }
      }
      return;
    }
    int i = at;
    int end = at + n;
    while (i < end) {
      int c = t[i] & 0xFF;
      int len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      len = Math.min(len, end - i);
      target.addString(t, i, len);
      i += len;
    }
  }

  private void ngrams(HostValue words, HostValue out) {
    out.reset();
    for (int width : ngrams) {
      for (int i = 0; i + width <= words.count(); i++) {
        int len = width - 1;
        for (int k = i; k < i + width; k++) {
          len += words.end(k) - words.start(k);
        }
        int at = out.reserveString(len);
        byte[] o = out.bytes();
        for (int k = i; k < i + width; k++) {
          if (k > i) {
            o[at++] = ' ';
          }
          int wl = words.end(k) - words.start(k);
          System.arraycopy(words.bytes(), words.start(k), o, at, wl);
          at += wl;
        }
      }
    }
  }

  @Override
  public String toString() {
    return "TextTokenizer(lower=" + lower + ", strip=" + strip + ", split=" + split + ", ngrams="
        + Arrays.toString(ngrams) + ")";
  }
}
