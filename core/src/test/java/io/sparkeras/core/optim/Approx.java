package io.sparkeras.core.optim;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.FloatBuffer;

/** Test helpers: relative float comparison and buffer construction. */
public final class Approx {
  /** Relative tolerance of every hand-computed comparison. */
  public static final double REL = 1e-6;

  private Approx() {}

  /** |actual - expected| <= REL * |expected| (or <= 1e-12 when expected is 0). */
  public static void assertClose(double expected, double actual, String what) {
    double tol = Math.max(REL * Math.abs(expected), 1e-12);
    if (!(Math.abs(actual - expected) <= tol)) {
      fail(what + ": expected " + expected + ", found " + actual + " (relative error "
          + Math.abs(actual - expected) / Math.abs(expected) + ")");
    }
  }

  /** Element-wise {@link #assertClose(double, double, String)} of buffer[0, expected.length). */
  public static void assertClose(double[] expected, FloatBuffer actual, String what) {
    for (int i = 0; i < expected.length; i++) {
      assertClose(expected[i], actual.get(i), what + "[" + i + "]");
    }
  }

  /** A heap buffer holding {@code values}. */
  public static FloatBuffer fb(double... values) {
    FloatBuffer b = FloatBuffer.allocate(values.length);
    for (int i = 0; i < values.length; i++) {
      b.put(i, (float) values[i]);
    }
    return b;
  }

  /** The values as float32 then widened, so references start from exactly what the buffers hold. */
  public static double[] f32(double... values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }

  /** Writes {@code values} into {@code b} at [0, values.length). */
  public static void set(FloatBuffer b, double... values) {
    for (int i = 0; i < values.length; i++) {
      b.put(i, (float) values[i]);
    }
  }
}
