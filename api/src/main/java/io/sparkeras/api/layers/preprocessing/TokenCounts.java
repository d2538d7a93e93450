package io.sparkeras.api.layers.preprocessing;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * The adapt state of the lookup layers: how often each token occurs and, for TF-IDF, in how many
 * samples (documents) it occurs and how many samples there were (Keras's
 * {@code IndexLookup.update_state}). Exact: merging the states of any split of the data gives
 * the counts of the whole. A missing element (a null) is not counted. Nothing is allocated per
 * sample except when a new token grows the table.
 *
 * <pre>{@code
 * TokenCounts c = new TokenCounts(true, false);
 * c.update(sample);                          // every element of the sample, once each time
 * }</pre>
 */
final class TokenCounts implements AdaptState {
  final TokenTable tokens;
  final boolean documents;
  long[] counts = new long[8];
  long[] documentCounts;
  private long[] lastDocument;
  long numDocuments;

  /**
   * @param strings string tokens (else integers)
   * @param documents also count documents (TF-IDF)
   */
  TokenCounts(boolean strings, boolean documents) {
    this.tokens = strings ? TokenTable.strings() : TokenTable.longs();
    this.documents = documents;
    if (documents) {
      documentCounts = new long[8];
      lastDocument = new long[8];
    }
  }

  @Override
  public void update(HostValue sample) {
    numDocuments++;
    boolean strings = tokens.holdsStrings();
    if (strings != (sample.kind() == HostValue.Kind.STRING)) {
      throw new IllegalArgumentException("adapt: expected " + (strings ? "string" : "integer")
          + " tokens, found " + sample.kind().dtype() + " values");
    }
    for (int e = 0; e < sample.count(); e++) {
      if (sample.isMissing(e)) {
        continue;
      }
      int id = strings
          ? tokens.add(sample.bytes(), sample.start(e), sample.end(e) - sample.start(e))
          : tokens.add(sample.getInt(e));
      count(id, 1, 1, numDocuments);
    }
  }

  private void count(int id, long n, long docs, long document) {
    if (id >= counts.length) {
      int cap = Math.max(id + 1, 2 * counts.length);
      counts = Arrays.copyOf(counts, cap);
      if (documents) {
        documentCounts = Arrays.copyOf(documentCounts, cap);
        lastDocument = Arrays.copyOf(lastDocument, cap);
      }
    }
    counts[id] += n;
    if (documents && (document < 0 || lastDocument[id] != document)) {
      documentCounts[id] += docs;
      if (document >= 0) {
        lastDocument[id] = document;
      }
    }
  }

  @Override
  public void merge(AdaptState other) {
    TokenCounts o = (TokenCounts) other;
    for (int i = 0; i < o.tokens.size(); i++) {
      int id = tokens.holdsStrings()
          ? tokens.add(o.tokens.bytes(), o.tokens.start(i), o.tokens.end(i) - o.tokens.start(i))
          : tokens.add(o.tokens.longAt(i));
      count(id, o.counts[i], documents ? o.documentCounts[i] : 0, -1);
    }
    numDocuments += o.numDocuments;
  }

  @Override
  public void write(DataOutput out) throws IOException {
    out.writeBoolean(tokens.holdsStrings());
    out.writeBoolean(documents);
    out.writeLong(numDocuments);
    out.writeInt(tokens.size());
    for (int i = 0; i < tokens.size(); i++) {
      if (tokens.holdsStrings()) {
        out.writeInt(tokens.end(i) - tokens.start(i));
        out.write(tokens.bytes(), tokens.start(i), tokens.end(i) - tokens.start(i));
      } else {
        out.writeLong(tokens.longAt(i));
      }
      out.writeLong(counts[i]);
      if (documents) {
        out.writeLong(documentCounts[i]);
      }
    }
  }

  /** Reads a state written by {@link #write}. */
  static TokenCounts read(DataInput in) throws IOException {
    boolean strings = in.readBoolean();
    TokenCounts c = new TokenCounts(strings, in.readBoolean());
    c.numDocuments = in.readLong();
    int n = in.readInt();
    byte[] buf = new byte[64];
    for (int i = 0; i < n; i++) {
      int id;
      if (strings) {
        int len = in.readInt();
        if (len < 0) {
          throw new IOException("adapt state: negative token length " + len);
        }
        if (buf.length < len) {
          buf = new byte[len];
        }
        in.readFully(buf, 0, len);
        id = c.tokens.add(buf, 0, len);
      } else {
        id = c.tokens.add(in.readLong());
      }
      long count = in.readLong();
      c.count(id, count, c.documents ? in.readLong() : 0, -1);
    }
    return c;
  }
}
