package io.sparkeras.api.layers.preprocessing;

/**
 * SipHash-2-4 with a 128-bit key given as two 64-bit halves, over a byte range with no
 * allocation: TensorFlow's {@code StrongKeyedHash}, which {@code tf.strings.to_hash_bucket_strong}
 * and so Keras's {@code Hashing(salt=[k0, k1])} use.
 *
 * <pre>{@code
 * long h = SipHash.hash24(133, 137, utf8, 0, utf8.length);
 * long bucket = Long.remainderUnsigned(h, 3);           // Hashing(num_bins=3, salt=[133, 137])
 * }</pre>
 *
 * <p>Checked against the SipHash paper's test vector and Keras's docstring examples
 * ({@code FarmHashTest}).
 */
public final class SipHash {
  private SipHash() {}

  /** SipHash-2-4 of {@code b[off, off + len)} with key {@code (k0, k1)}. */
  public static long hash24(long k0, long k1, byte[] b, int off, int len) {
    long v0 = k0 ^ 0x736f6d6570736575L;
    long v1 = k1 ^ 0x646f72616e646f6dL;
    long v2 = k0 ^ 0x6c7967656e657261L;
    long v3 = k1 ^ 0x7465646279746573L;
    int blocks = len / 8 + 1; // whole 8-byte words, then the tail word carrying the length
    for (int blk = 0; blk <= blocks; blk++) {
      boolean finish = blk == blocks;
      long m = finish ? 0 : word(b, off, len, blk);
      if (finish) {
        v2 ^= 0xFF;
      } else {
        v3 ^= m;
      }
      for (int r = finish ? 4 : 2; r > 0; r--) {
        v0 += v1;
        v1 = Long.rotateLeft(v1, 13) ^ v0;
        v0 = Long.rotateLeft(v0, 32);
        v2 += v3;
        v3 = Long.rotateLeft(v3, 16) ^ v2;
        v0 += v3;
        v3 = Long.rotateLeft(v3, 21) ^ v0;
        v2 += v1;
        v1 = Long.rotateLeft(v1, 17) ^ v2;
        v2 = Long.rotateLeft(v2, 32);
      }
      v0 ^= m;
    }
    return v0 ^ v1 ^ v2 ^ v3;
  }

  /** Little-endian word {@code i} of the message; the last one holds the tail and the length. */
  private static long word(byte[] b, int off, int len, int i) {
    int start = off + 8 * i;
    if (8 * i + 8 <= len) {
      long m = 0;
      for (int k = 7; k >= 0; k--) {
        m = m << 8 | (b[start + k] & 0xFFL);
      }
      return m;
    }
    long m = ((long) len & 0xFF) << 56;
    for (int k = 0; k < (len & 7); k++) {
      m |= (b[start + k] & 0xFFL) << (8 * k);
    }
    return m;
  }
}
