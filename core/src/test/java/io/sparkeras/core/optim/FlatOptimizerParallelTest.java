package io.sparkeras.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A step spread over threads is bit-identical to the sequential step. */
class FlatOptimizerParallelTest {

  static FloatBuffer direct(int n) {
    return ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  @Test
  void parallelStepsEqualSequentialStepsBitForBit() {
    int n = 300_001;
    // three trainable ranges with gaps, one range excluded from weight decay
    int[] ranges = {0, 100_000, 100_010, 250_000, 250_003, 300_001};
    for (String name : new String[] {"adam", "adamw", "sgd", "rmsprop", "adagrad"}) {
      Map<String, Object> cfg = name.equals("sgd") ? Map.of("momentum", 0.9) : Map.of();
      FlatOptimizer seq = FlatOptimizer.fromKerasConfig(name, cfg, n, ranges,
          new boolean[] {true, false, true});
      FlatOptimizer par = FlatOptimizer.fromKerasConfig(name, cfg, n, ranges,
          new boolean[] {true, false, true}).parallelism(3);
      FloatBuffer p1 = direct(n);
      FloatBuffer p2 = direct(n);
      FloatBuffer g = direct(n);
      SplittableRandom r = new SplittableRandom(7);
      for (int i = 0; i < n; i++) {
        float v = (float) r.nextGaussian();
        p1.put(i, v);
        p2.put(i, v);
      }
      for (int step = 0; step < 3; step++) {
        for (int i = 0; i < n; i++) {
          g.put(i, (float) r.nextGaussian());
        }
        seq.step(p1, g);
        par.step(p2, g);
      }
      float[] a = new float[n];
      float[] b = new float[n];
      p1.get(0, a);
      p2.get(0, b);
      assertArrayEquals(a, b, name);
    }
  }
}
