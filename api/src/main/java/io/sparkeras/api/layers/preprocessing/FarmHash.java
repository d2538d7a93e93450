package io.sparkeras.api.layers.preprocessing;

/**
 * FarmHash Fingerprint64 ({@code farmhashna::Hash64}, the function TensorFlow's
 * {@code Fingerprint64} and {@code tf.strings.to_hash_bucket_fast} use) and TensorFlow's
 * {@code FingerprintCat64}, over a byte range with no allocation. Keras's {@code Hashing} layer
 * (without a salt), {@code HashedCrossing} and the OOV buckets of {@code StringLookup} hash with
 * these, so the same string lands in the same bucket here as in Keras.
 *
 * <pre>{@code
 * long h = FarmHash.fingerprint64(utf8, 0, utf8.length);
 * long bucket = Long.remainderUnsigned(h, numBins);     // tf.strings.to_hash_bucket_fast
 * }</pre>
 *
 * <p>Checked against the published vectors of Guava's and FarmHash's own tests and against
 * Keras's docstring examples ({@code FarmHashTest}).
 */
public final class FarmHash {
  private static final long K0 = 0xc3a5c85c97cb3127L;
  private static final long K1 = 0xb492b66fbe98f273L;
  private static final long K2 = 0x9ae16a3b2f90404fL;
  private static final long CAT_MUL = 0xc6a4a7935bd1e995L;

  private FarmHash() {}

  /** Fingerprint64 of {@code b[off, off + len)}, as a (signed) Java long. */
  public static long fingerprint64(byte[] b, int off, int len) {
    if (len <= 16) {
      return len0to16(b, off, len);
    } else if (len <= 32) {
      return len17to32(b, off, len);
    } else if (len <= 64) {
      return len33to64(b, off, len);
    }
    return len65plus(b, off, len);
  }

  /**
   * TensorFlow's {@code FingerprintCat64(fp1, fp2)}: mixes a second 64-bit value into a
   * fingerprint (how {@code tf.sparse.cross_hashed} chains the crossed features).
   */
  public static long fingerprintCat64(long fp1, long fp2) {
    long result = fp1 ^ CAT_MUL;
    result ^= shiftMix(fp2 * CAT_MUL) * CAT_MUL;
    result *= CAT_MUL;
    result = shiftMix(result) * CAT_MUL;
    return shiftMix(result);
  }

  private static long shiftMix(long v) {
    return v ^ (v >>> 47);
  }

  private static long load64(byte[] b, int i) {
    return (b[i] & 0xFFL) | (b[i + 1] & 0xFFL) << 8 | (b[i + 2] & 0xFFL) << 16
        | (b[i + 3] & 0xFFL) << 24 | (b[i + 4] & 0xFFL) << 32 | (b[i + 5] & 0xFFL) << 40
        | (b[i + 6] & 0xFFL) << 48 | (b[i + 7] & 0xFFL) << 56;
  }

  private static long load32(byte[] b, int i) {
    return (b[i] & 0xFFL) | (b[i + 1] & 0xFFL) << 8 | (b[i + 2] & 0xFFL) << 16
        | (b[i + 3] & 0xFFL) << 24;
  }

  private static long mix16(long u, long v, long mul) {
    long a = (u ^ v) * mul;
    a ^= a >>> 47;
    long b = (v ^ a) * mul;
    b ^= b >>> 47;
    return b * mul;
  }

  private static long len0to16(byte[] b, int off, int len) {
    if (len >= 8) {
      long mul = K2 + len * 2L;
      long a = load64(b, off) + K2;
      long c = load64(b, off + len - 8);
      long x = Long.rotateRight(c, 37) * mul + a;
      long y = (Long.rotateRight(a, 25) + c) * mul;
      return mix16(x, y, mul);
    }
    if (len >= 4) {
      long mul = K2 + len * 2L;
      long a = load32(b, off);
      return mix16(len + (a << 3), load32(b, off + len - 4), mul);
    }
    if (len > 0) {
      int first = b[off] & 0xFF;
      int middle = b[off + (len >> 1)] & 0xFF;
      int last = b[off + len - 1] & 0xFF;
      long y = first + (middle << 8);
      long z = len + (last << 2);
      return shiftMix(y * K2 ^ z * K0) * K2;
    }
    return K2;
  }

  private static long len17to32(byte[] b, int off, int len) {
    long mul = K2 + len * 2L;
    long a = load64(b, off) * K1;
    long c = load64(b, off + 8);
    long d = load64(b, off + len - 8) * mul;
    long e = load64(b, off + len - 16) * K2;
    return mix16(Long.rotateRight(a + c, 43) + Long.rotateRight(d, 30) + e,
        a + Long.rotateRight(c + K2, 18) + d, mul);
  }

  private static long len33to64(byte[] b, int off, int len) {
    long mul = K2 + len * 2L;
    long a = load64(b, off) * K2;
    long c = load64(b, off + 8);
    long d = load64(b, off + len - 8) * mul;
    long e = load64(b, off + len - 16) * K2;
    long y = Long.rotateRight(a + c, 43) + Long.rotateRight(d, 30) + e;
    long z = mix16(y, a + Long.rotateRight(c + K2, 18) + d, mul);
    long f = load64(b, off + 16) * mul;
    long g = load64(b, off + 24);
    long h = (y + load64(b, off + len - 32)) * mul;
    long i = (z + load64(b, off + len - 24)) * mul;
    return mix16(Long.rotateRight(f + g, 43) + Long.rotateRight(h, 30) + i,
        f + Long.rotateRight(g + a, 18) + h, mul);
  }

  /** First half of WeakHashLen32WithSeeds over the 32 bytes at {@code s}, seeds (a, b). */
  private static long weakFirst(byte[] b, int s, long a) {
    return a + load64(b, s) + load64(b, s + 8) + load64(b, s + 16) + load64(b, s + 24);
  }

  /** Second half of WeakHashLen32WithSeeds over the 32 bytes at {@code s}, seeds (a, b). */
  private static long weakSecond(byte[] b, int s, long a, long seedB) {
    long a1 = a + load64(b, s);
    long rotated = Long.rotateRight(seedB + a1 + load64(b, s + 24), 21);
    return rotated + Long.rotateRight(a1 + load64(b, s + 8) + load64(b, s + 16), 44) + a1;
  }

  private static long len65plus(byte[] b, int off, int len) {
    final long seed = 81;
    long x = seed;
    long y = seed * K1 + 113;
    long z = shiftMix(y * K2 + 113) * K2;
    long v0 = 0;
    long v1 = 0;
    long w0 = 0;
    long w1 = 0;
    x = x * K2 + load64(b, off);
    int end = off + ((len - 1) / 64) * 64;
    int last64 = end + ((len - 1) & 63) - 63;
    int s = off;
    long mul = K1;
    boolean last = false;
    while (true) {
      x = Long.rotateRight(x + y + v0 + load64(b, s + 8), 37) * mul;
      y = Long.rotateRight(y + v1 + load64(b, s + 48), 42) * mul;
      x ^= last ? w1 * 9 : w1;
      y += (last ? v0 * 9 : v0) + load64(b, s + 40);
      z = Long.rotateRight(z + w0, 33) * mul;
      long va = v1 * mul;
      long vb = x + w0;
      v0 = weakFirst(b, s, va);
      v1 = weakSecond(b, s, va, vb);
      long wa = z + w1;
      long wb = y + load64(b, s + 16);
      w0 = weakFirst(b, s + 32, wa);
      w1 = weakSecond(b, s + 32, wa, wb);
      if (last) {
        // the reference swaps z and x here, then combines (..., + z), (..., + x)
        return mix16(mix16(v0, w0, mul) + shiftMix(y) * K0 + x, mix16(v1, w1, mul) + z, mul);
      }
      long t = x;
      x = z;
      z = t;
      s += 64;
      if (s == end) {
        mul = K1 + ((z & 0xFF) << 1);
        s = last64;
        w0 += (len - 1) & 63;
        v0 += w0;
        w0 += v0;
        last = true;
      }
    }
  }
}
