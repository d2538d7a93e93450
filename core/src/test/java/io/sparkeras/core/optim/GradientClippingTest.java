package io.sparkeras.core.optim;

import static io.sparkeras.core.optim.Approx.assertClose;
import static io.sparkeras.core.optim.Approx.fb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

  @Test
  void clipValueIsElementwise() {
    FloatBuffer g = fb(-3, 0.5, 2, Double.NaN, -0.25, 7);
    GradientClipping.clipByValue(g, 0, 5, 1f);
    assertEquals(-1f, g.get(0));
    assertEquals(0.5f, g.get(1));
    assertEquals(1f, g.get(2));
    assertTrue(Float.isNaN(g.get(3)));
    assertEquals(-0.25f, g.get(4));
    assertEquals(7f, g.get(5), "outside the range");
    FloatBuffer h = fb(5, 9, 5);
    GradientClipping.clipByValue(h, new int[] {0, 1, 2, 3}, 2f);
    assertEquals(2f, h.get(0));
    assertEquals(9f, h.get(1), "gap between ranges");
    assertEquals(2f, h.get(2));
  }

  @Test
  void clipNormIsPerVariable() {
    // variable 0: (3, 4), norm 5 -> (0.6, 0.8); variable 1: (0.3, 0.4), norm 0.5 -> unchanged;
    // index 4 is a gap; variable 2: (6, 8), norm 10 -> (0.6, 0.8)
    FloatBuffer g = fb(3, 4, 0.3, 0.4, 99, 6, 8);
    GradientClipping.clipByNorm(g, new int[] {0, 2, 2, 4, 5, 7}, 1f);
    assertClose(new double[] {0.6, 0.8}, g, "variable 0");
    assertEquals(0.3f, g.get(2), "below the limit: bit-for-bit unchanged");
    assertEquals(0.4f, g.get(3));
    assertEquals(99f, g.get(4), "gap untouched");
    assertClose(0.6, g.get(5), "variable 2 [0]");
    assertClose(0.8, g.get(6), "variable 2 [1]");
  }

  @Test
  void clipNormOfZerosStaysZeroAndNaNPropagates() {
    FloatBuffer z = fb(0, 0, 0);
    assertEquals(0.0, GradientClipping.clipByNorm(z, 0, 3, 1f));
    assertEquals(0f, z.get(1));
    FloatBuffer n = fb(1, Double.NaN);
    GradientClipping.clipByNorm(n, 0, 2, 1f);
    assertTrue(Float.isNaN(n.get(0)), "Keras divides by max(NaN, clipnorm) = NaN");
  }

  @Test
  void globalClipNormScalesAllVariablesTogether() {
    // norm over (3, 4) and (0, 12) = sqrt(9 + 16 + 144) = 13; limit 6.5 -> scale 0.5
    FloatBuffer g = fb(3, 4, 100, 0, 12);
    int[] ranges = {0, 2, 3, 5};
    assertEquals(13.0, GradientClipping.globalNorm(g, ranges), 1e-12);
    double before = GradientClipping.clipByGlobalNorm(g, ranges, 6.5f);
    assertEquals(13.0, before, 1e-12);
    assertClose(new double[] {1.5, 2.0}, g, "variable 0");
    assertEquals(100f, g.get(2), "gap untouched");
    assertEquals(0f, g.get(3));
    assertClose(6.0, g.get(4), "variable 1");
    // below the limit nothing changes
    FloatBuffer h = fb(3, 4);
    GradientClipping.clipByGlobalNorm(h, new int[] {0, 2}, 20f);
    assertEquals(3f, h.get(0));
    assertEquals(4f, h.get(1));
  }

  @Test
  void globalClipNormWithInfiniteNormGivesNaNAsKeras() {
    FloatBuffer g = fb(1, Double.POSITIVE_INFINITY, 2);
    GradientClipping.clipByGlobalNorm(g, new int[] {0, 3}, 1f);
    assertTrue(Float.isNaN(g.get(0)) && Float.isNaN(g.get(2)));
    assertTrue(Double.isNaN(GradientClipping.globalNormScale(Double.NaN, 1)));
    assertEquals(1.0, GradientClipping.globalNormScale(0.0, 1), "zero gradients are left alone");
    assertEquals(0.5, GradientClipping.globalNormScale(16.0, 2), 0.0);
  }

  @Test
  void sumOfSquaresMatchesANaiveSumForEveryTailLength() {
    for (int n = 0; n < 11; n++) {
      float[] a = new float[n + 2];
      double naive = 0;
      for (int i = 1; i <= n; i++) {
        a[i] = (float) (0.37 * i - 1.1);
        naive += (double) a[i] * a[i];
      }
      a[0] = 1000f;
      a[n + 1] = 1000f;
      assertEquals(naive, GradientClipping.sumOfSquares(FloatBuffer.wrap(a), 1, n + 1), 1e-12,
          "n=" + n);
    }
  }

  @Test
  void shardsCanCombinePartialSums() {
    // two "shards" hold halves of the vector; summing their partial sums gives the global scale
    FloatBuffer g = fb(3, 4, 0, 12);
    double s1 = GradientClipping.sumOfSquares(g, new int[] {0, 2});
    double s2 = GradientClipping.sumOfSquares(g, new int[] {2, 4});
    float scale = (float) GradientClipping.globalNormScale(s1 + s2, 6.5);
    GradientClipping.scale(g, new int[] {0, 2}, scale);
    GradientClipping.scale(g, new int[] {2, 4}, scale);
    FloatBuffer h = fb(3, 4, 0, 12);
    GradientClipping.clipByGlobalNorm(h, new int[] {0, 4}, 6.5f);
    assertEquals(h, g);
  }
}
