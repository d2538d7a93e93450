package io.sparkeras.api.layers.preprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * FarmHash Fingerprint64 against the published vectors (Guava's {@code FarmHashFingerprint64Test},
 * whose multiple-lengths digest was checked against FarmHash's C++ reference), SipHash-2-4 against
 * the SipHash paper's test vector, and both through Keras's docstring examples of {@code Hashing}.
 */
class FarmHashTest {

  private static long fp(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return FarmHash.fingerprint64(b, 0, b.length);
  }

  @Test
  void publishedFingerprints() {
    assertEquals(8581389452482819506L, fp("test"));
    assertEquals(-4196240717365766262L, fp("test".repeat(8)));    // 32 bytes
    assertEquals(3500507768004279527L, fp("test".repeat(64)));    // 256 bytes
    assertEquals(0x9ae16a3b2f90404fL, fp(""));                    // k2, the empty string
  }

  @Test
  void everyLengthUpTo3200BytesMatchesTheReferenceDigest() {
    // Guava's testMultipleLengths: a running digest over buffers of 0..3199 bytes
    int iterations = 800;
    byte[] buf = new byte[iterations * 4];
    int len = 0;
    long h = 0;
    for (int i = 0; i < iterations; i++) {
      h ^= FarmHash.fingerprint64(buf, 0, i);
      h = remix(h);
      buf[len++] = letter(h);
      h ^= FarmHash.fingerprint64(buf, 0, i * i % len);
      h = remix(h);
      buf[len++] = letter(h);
      h ^= FarmHash.fingerprint64(buf, 0, i * i * i % len);
      h = remix(h);
      buf[len++] = letter(h);
      h ^= FarmHash.fingerprint64(buf, 0, len);
      h = remix(h);
      buf[len++] = letter(h);
      int x0 = buf[len - 1] & 0xff;
      int x1 = buf[len - 2] & 0xff;
      int x2 = buf[len - 3] & 0xff;
      int x3 = buf[len / 2] & 0xff;
      buf[((x0 << 16) + (x1 << 8) + x2) % len] ^= (byte) x3;
      buf[((x1 << 16) + (x2 << 8) + x3) % len] ^= (byte) (i % 256);
    }
    assertEquals(0x7a1d67c50ec7e167L, h);
  }

  private static long remix(long h) {
    h ^= h >>> 41;
    return h * 949921979;
  }

  private static byte letter(long h) {
    return (byte) ('a' + ((h & 0xfffff) % 26));
  }

  @Test
  void sipHashPaperVector() {
    // SipHash paper, appendix A: key 00..0f, message 00..0e
    byte[] m = new byte[15];
    for (int i = 0; i < 15; i++) {
      m[i] = (byte) i;
    }
    assertEquals(0xa129ca6149be45e5L, SipHash.hash24(0x0706050403020100L, 0x0f0e0d0c0b0a0908L,
        m, 0, 15));
  }

  @Test
  void cat64ChainsLikeCrossHashed() {
    // keras HashedCrossing docstring: ['A','B','A','B','A'] x [101,101,101,102,102], 5 bins
    String[] a = {"A", "B", "A", "B", "A"};
    long[] b = {101, 101, 101, 102, 102};
    long[] expected = {1, 4, 1, 1, 3};
    for (int i = 0; i < 5; i++) {
      long h = FarmHash.fingerprintCat64(FarmHash.fingerprintCat64(0xDECAFCAFFEL, fp(a[i])), b[i]);
      assertEquals(expected[i], Long.remainderUnsigned(h, 5), "row " + i);
    }
  }
}
