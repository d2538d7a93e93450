package io.sparkeras.ps.protocol;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class HalfFloatsTest {
  @Test
  void fp16KnownValues() {
    assertEquals(0x3c00, HalfFloats.toFp16(1f) & 0xffff);
    assertEquals(0xc000, HalfFloats.toFp16(-2f) & 0xffff);
    assertEquals(0x7bff, HalfFloats.toFp16(65504f) & 0xffff);
    assertEquals(0x7c00, HalfFloats.toFp16(65520f) & 0xffff, "rounds up to infinity");
    assertEquals(0x0001, HalfFloats.toFp16(0x1p-24f) & 0xffff, "smallest subnormal");
    assertEquals(0x0000, HalfFloats.toFp16(0x1p-26f) & 0xffff, "underflows to zero");
    assertEquals(0x3c00, HalfFloats.toFp16(1f + 0x1p-11f) & 0xffff, "tie to even (down)");
    assertEquals(0x3c02, HalfFloats.toFp16(1f + 3 * 0x1p-11f) & 0xffff, "tie to even (up)");
    assertTrue(Float.isNaN(HalfFloats.fromFp16(HalfFloats.toFp16(Float.NaN))));
    assertEquals(0.333251953125f, HalfFloats.fromFp16(HalfFloats.toFp16(1f / 3)));
  }

  @Test
  void everyFp16ValueRoundTrips() {
    for (int h = 0; h < 0x10000; h++) {
      float f = HalfFloats.fromFp16((short) h);
      if (!Float.isNaN(f)) {
        assertEquals(h, HalfFloats.toFp16(f) & 0xffff, "fp16 0x" + Integer.toHexString(h));
      }
    }
  }

  @Test
  void fp16IsTheNearestValue() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(1);
    for (int n = 0; n < 100_000; n++) {
      float f = (float) (r.nextDouble(-70000, 70000) * Math.pow(2, -r.nextInt(30)));
      float q = HalfFloats.fromFp16(HalfFloats.toFp16(f));
      if (Float.isInfinite(q)) {
        assertTrue(Math.abs(f) >= 65520f, "only values past the max round to infinity: " + f);
        continue;
      }
      short h = HalfFloats.toFp16(f);
      float up = HalfFloats.fromFp16((short) (h + 1));
      float down = HalfFloats.fromFp16((short) (h - 1));
      double err = Math.abs((double) f - q);
      if (!Float.isNaN(up) && !Float.isInfinite(up)) {
        assertTrue(err <= Math.abs((double) f - up), "nearest for " + f);
      }
      if (!Float.isNaN(down) && !Float.isInfinite(down) && (h & 0x7fff) != 0) {
        assertTrue(err <= Math.abs((double) f - down), "nearest for " + f);
      }
    }
  }

  @Test
  void bf16KnownValues() {
    assertEquals(0x3f80, HalfFloats.toBf16(1f) & 0xffff);
    assertEquals(1f, HalfFloats.fromBf16(HalfFloats.toBf16(1f)));
    assertEquals(0x3f80, HalfFloats.toBf16(Float.intBitsToFloat(0x3f808000)) & 0xffff, "tie to even");
    assertEquals(0x3f82, HalfFloats.toBf16(Float.intBitsToFloat(0x3f818000)) & 0xffff, "tie to even");
    assertEquals(0x3f81, HalfFloats.toBf16(Float.intBitsToFloat(0x3f808001)) & 0xffff);
    assertTrue(Float.isNaN(HalfFloats.fromBf16(HalfFloats.toBf16(Float.NaN))));
    for (int b = 0; b < 0x10000; b++) {
      float f = HalfFloats.fromBf16((short) b);
      if (!Float.isNaN(f)) {
        assertEquals(b, HalfFloats.toBf16(f) & 0xffff);
      }
    }
  }
}
