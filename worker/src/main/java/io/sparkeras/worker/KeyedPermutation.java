package io.sparkeras.worker;

import java.io.Serializable;

/**
 * A pseudo-random permutation of {@code [0, n)} chosen by a 64-bit key, evaluated one index at a
 * time in O(1) memory: a balanced 4-round Feistel network over the smallest even number of bits
 * that holds {@code n}, walked until it lands below {@code n} (cycle walking keeps it a
 * bijection of {@code [0, n)}; fewer than 4 rounds of the network per index on average). The
 * same {@code (n, key)} gives the same permutation in every JVM.
 *
 * <pre>{@code
 * KeyedPermutation p = new KeyedPermutation(60_000, seed);
 * long position = p.apply(rowIndex);     // a distinct position in [0, 60000) for each row
 * }</pre>
 */
public final class KeyedPermutation implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int ROUNDS = 4;
  private final long n;
  private final int halfBits;
  private final long halfMask;
  private final long[] roundKeys = new long[ROUNDS];

  public KeyedPermutation(long n, long key) {
    if (n < 1) {
      throw new IllegalArgumentException("permutation size: expected >= 1, found " + n);
    }
    this.n = n;
    int bits = Math.max(2, 64 - Long.numberOfLeadingZeros(n - 1));
    this.halfBits = (bits + 1) / 2;
    this.halfMask = (1L << halfBits) - 1;
    long k = key;
    for (int r = 0; r < ROUNDS; r++) {
      k = mix(k + 0x9E3779B97F4A7C15L);
      roundKeys[r] = k;
    }
  }

  /** The size {@code n}. */
  public long size() {
    return n;
  }

  /** The position of {@code i} (in {@code [0, n)}) under this permutation. */
  public long apply(long i) {
    if (i < 0 || i >= n) {
      throw new IndexOutOfBoundsException("index " + i + " outside [0, " + n + ")");
    }
    long x = i;
    do {
      x = feistel(x);
    } while (x >= n);
    return x;
  }

  private long feistel(long x) {
    long left = x >>> halfBits;
    long right = x & halfMask;
    for (int r = 0; r < ROUNDS; r++) {
      long next = left ^ (mix(right ^ roundKeys[r]) & halfMask);
      left = right;
      right = next;
    }
    return (left << halfBits) | right;
  }

  /** MurmurHash3's 64-bit finaliser: every input bit affects every output bit. */
  static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
    z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
    return z ^ (z >>> 33);
  }
}
