package io.sparkeras.core.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Prints (does not assert) the time of one Adam step over 1M floats, for direct and heap buffers.
 * A rough single-threaded figure on whatever machine runs the tests, not a benchmark: for real
 * numbers use JMH in the bench module.
 */
class AdamThroughputTest {
  static final int N = 1 << 20;

  static FloatBuffer direct(int n) {
    return ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  static double nsPerElement(UpdateRule rule, FloatBuffer p, FloatBuffer g, FloatBuffer[] s) {
    for (int i = 0; i < N; i++) {
      p.put(i, 0.01f * (i % 100));
      g.put(i, (float) Math.sin(i));
    }
    int warm = 30;
    int measured = 40;
    long t = 1;
    for (int k = 0; k < warm; k++) {
      rule.apply(p, g, s, 0, N, t++, 1e-3f);
    }
    long best = Long.MAX_VALUE;
    for (int k = 0; k < measured; k++) {
      long t0 = System.nanoTime();
      rule.apply(p, g, s, 0, N, t++, 1e-3f);
      best = Math.min(best, System.nanoTime() - t0);
    }
    return (double) best / N;
  }

  @Test
  void printAdamNanosecondsPerElement() {
    UpdateRule adam = UpdateRules.create("adam", Map.of());
    UpdateRule ams = UpdateRules.create("adam", Map.of("amsgrad", true));
    UpdateRule adamw = UpdateRules.create("adamw", Map.of());
    double d = nsPerElement(adam, direct(N), direct(N), UpdateRules.allocateState(adam, N));
    double a = nsPerElement(ams, direct(N), direct(N), UpdateRules.allocateState(ams, N));
    double w = nsPerElement(adamw, direct(N), direct(N), UpdateRules.allocateState(adamw, N));
    // Last on purpose: once heap buffers have also gone through the loops, FloatBuffer.get/put
    // call sites see two receiver classes, and every later loop in this JVM is slower.
    double h = nsPerElement(adam, FloatBuffer.allocate(N), FloatBuffer.allocate(N),
        new FloatBuffer[] {FloatBuffer.allocate(N), FloatBuffer.allocate(N)});
    System.out.printf(Locale.ROOT, "Adam over %d floats, best of 40 steps: direct %.2f ns/element,"
        + " amsgrad %.2f, adamw %.2f; heap buffers after direct ones %.2f%n", N, d, a, w, h);
    assertTrue(d > 0 && h > 0); // the figures are printed for the record, not asserted
  }
}
