package io.sparkeras.api.layers.preprocessing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A hash set of tokens, UTF-8 strings or 64-bit integers, that numbers them in insertion order
 * (id 0, 1, ...): the vocabulary of a lookup layer (id = position among the learned tokens) and
 * the token counter of {@code adapt} (values kept by id in the caller's arrays). Lookups of a
 * byte range or a long allocate nothing; open addressing with linear probing.
 *
 * <pre>{@code
 * TokenTable t = TokenTable.strings();
 * int id = t.add(bytes, 0, n);               // new or existing id
 * int found = t.find(bytes, 0, n);           // -1 if absent
 * }</pre>
 */
final class TokenTable {
  private final boolean strings;
  private int size;
  private int[] slots = new int[16]; // id + 1, 0 = empty
  private long[] hashes = new long[8];
  private long[] longs;
  private byte[] data;
  private int[] ends;

  private TokenTable(boolean strings) {
    this.strings = strings;
    if (strings) {
      data = new byte[64];
      ends = new int[8];
    } else {
      longs = new long[8];
    }
  }

  static TokenTable strings() {
    return new TokenTable(true);
  }

  static TokenTable longs() {
    return new TokenTable(false);
  }

  boolean holdsStrings() {
    return strings;
  }

  int size() {
    return size;
  }

  static long hashLong(long key) {
    long z = key * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 32)) * 0xbf58476d1ce4e5b9L;
    return z ^ (z >>> 29);
  }

  /** Id of a string token, or -1. */
  int find(byte[] b, int off, int len) {
    return find(b, off, len, FarmHash.fingerprint64(b, off, len));
  }

  /** Id of a string token whose {@link FarmHash#fingerprint64} is {@code hash}, or -1. */
  int find(byte[] b, int off, int len, long hash) {
    int mask = slots.length - 1;
    for (int s = (int) hash & mask; ; s = (s + 1) & mask) {
      int id = slots[s] - 1;
      if (id < 0) {
        return -1;
      }
      if (hashes[id] == hash && equalsAt(id, b, off, len)) {
        return id;
      }
    }
  }

  /** Id of an integer token, or -1. */
  int find(long key) {
    long hash = hashLong(key);
    int mask = slots.length - 1;
    for (int s = (int) hash & mask; ; s = (s + 1) & mask) {
      int id = slots[s] - 1;
      if (id < 0) {
        return -1;
      }
      if (longs[id] == key) {
        return id;
      }
    }
  }

  private boolean equalsAt(int id, byte[] b, int off, int len) {
    int start = id == 0 ? 0 : ends[id - 1];
    if (ends[id] - start != len) {
      return false;
    }
    return Arrays.equals(data, start, start + len, b, off, off + len);
  }

  /** Id of a string token, added if new. */
  int add(byte[] b, int off, int len) {
    long hash = FarmHash.fingerprint64(b, off, len);
    int id = find(b, off, len, hash);
    if (id >= 0) {
      return id;
    }
    id = newId(hash);
    int start = id == 0 ? 0 : ends[id - 1];
    if (data.length < start + len) {
      data = Arrays.copyOf(data, Math.max(start + len, 2 * data.length));
    }
    System.arraycopy(b, off, data, start, len);
    ends[id] = start + len;
    insert(id, hash);
    return id;
  }

  /** Id of a Java string token, added if new. */
  int add(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return add(b, 0, b.length);
  }

  /** Id of an integer token, added if new. */
  int add(long key) {
    int id = find(key);
    if (id >= 0) {
      return id;
    }
    id = newId(hashLong(key));
    longs[id] = key;
    insert(id, hashes[id]);
    return id;
  }

  private int newId(long hash) {
    if (size == hashes.length) {
      int n = 2 * size;
      hashes = Arrays.copyOf(hashes, n);
      if (strings) {
        ends = Arrays.copyOf(ends, n);
      } else {
        longs = Arrays.copyOf(longs, n);
      }
    }
    hashes[size] = hash;
    return size++;
  }

  private void insert(int id, long hash) {
    if (2 * size > slots.length) {
      slots = new int[2 * slots.length];
      for (int i = 0; i < id; i++) {
        place(i, hashes[i]);
      }
    }
    place(id, hash);
  }

  private void place(int id, long hash) {
    int mask = slots.length - 1;
    int s = (int) hash & mask;
    while (slots[s] != 0) {
      s = (s + 1) & mask;
    }
    slots[s] = id + 1;
  }

  /** The integer token with this id. */
  long longAt(int id) {
    return longs[id];
  }

  /** The string token with this id, decoded. */
  String stringAt(int id) {
    int start = id == 0 ? 0 : ends[id - 1];
    return new String(data, start, ends[id] - start, StandardCharsets.UTF_8);
  }

  /** Start of string token {@code id}'s bytes in {@link #bytes()}. */
  int start(int id) {
    return id == 0 ? 0 : ends[id - 1];
  }

  int end(int id) {
    return ends[id];
  }

  /** The concatenated UTF-8 bytes of the string tokens. */
  byte[] bytes() {
    return data;
  }

  /** The token with this id as Keras writes it in a vocabulary (a String or a Long). */
  Object tokenAt(int id) {
    return strings ? stringAt(id) : (Object) longs[id];
  }

  /** Compares tokens a and b (bytes unsigned-lexicographically, or numbers). */
  int compare(int a, int b) {
    if (!strings) {
      return Long.compare(longs[a], longs[b]);
    }
    return Arrays.compareUnsigned(data, start(a), ends[a], data, start(b), ends[b]);
  }
}
