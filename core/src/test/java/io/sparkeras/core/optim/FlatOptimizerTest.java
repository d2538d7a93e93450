package io.sparkeras.core.optim;

import static io.sparkeras.core.optim.Approx.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.core.optim.schedules.CosineDecay;
import io.sparkeras.core.optim.schedules.PiecewiseConstantDecay;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlatOptimizerTest {
  static final int SIZE = 10;
  // trainable: [0, 3) and [5, 9); non-trainable gap [3, 5) and tail [9, 10)
  static final int[] RANGES = {0, 3, 5, 9};

  static FloatBuffer direct(int n) {
    return ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  static float p0(int i) {
    return 0.5f - 0.1f * i;
  }

  static float grad(int step, int i) {
    return (float) Math.sin(1.0 + 0.7 * i + 1.3 * step) * (i % 3 == 0 ? 2f : 0.5f);
  }

  static FloatBuffer params() {
    FloatBuffer p = direct(SIZE);
    for (int i = 0; i < SIZE; i++) {
      p.put(i, p0(i));
    }
    return p;
  }

  static FloatBuffer grads(int step) {
    FloatBuffer g = direct(SIZE);
    for (int i = 0; i < SIZE; i++) {
      g.put(i, grad(step, i));
    }
    return g;
  }

  @Test
  void twoTrainableRangesAroundAnUntouchedGap() {
    FlatOptimizer opt = FlatOptimizer.builder(UpdateRules.create("adam", Map.of()))
        .learningRate(0.01).trainableRange(0, 3).trainableRange(5, 9).build(SIZE);
    FloatBuffer p = params();
    // independent reference: Keras's Adam formula per element, only on trainable indices
    double[] rp = new double[SIZE];
    double[] rm = new double[SIZE];
    double[] rv = new double[SIZE];
    for (int i = 0; i < SIZE; i++) {
      rp[i] = p0(i);
    }
    for (int step = 0; step < 3; step++) {
      FloatBuffer g = grads(step);
      opt.step(p, g);
      for (int r = 0; r < RANGES.length; r += 2) {
        int n = RANGES[r + 1] - RANGES[r];
        double[] sp = Arrays.copyOfRange(rp, RANGES[r], RANGES[r + 1]);
        double[] sm = Arrays.copyOfRange(rm, RANGES[r], RANGES[r + 1]);
        double[] sv = Arrays.copyOfRange(rv, RANGES[r], RANGES[r + 1]);
        double[] sg = new double[n];
        for (int k = 0; k < n; k++) {
          sg[k] = grad(step, RANGES[r] + k);
        }
        AdamTest.reference(sp, sm, sv, null, sg, step + 1, 0.01, 0.9, 0.999, 1e-7, 0);
        System.arraycopy(sp, 0, rp, RANGES[r], n);
        System.arraycopy(sm, 0, rm, RANGES[r], n);
        System.arraycopy(sv, 0, rv, RANGES[r], n);
      }
      assertEquals(step + 1, opt.iterations());
      for (int i : new int[] {0, 1, 2, 5, 6, 7, 8}) {
        assertClose(rp[i], p.get(i), "step " + (step + 1) + " p[" + i + "]");
        // m is a sum of terms of both signs (~0.1) and can end far smaller than them, so its
        // float32 rounding is bounded in absolute, not relative, terms
        assertEquals(rm[i], opt.stateView(0).get(i), 1e-7, "step " + (step + 1) + " m[" + i + "]");
      }
      for (int i : new int[] {3, 4, 9}) {
        assertEquals(p0(i), p.get(i), "non-trainable p[" + i + "] must stay untouched");
        assertEquals(grad(step, i), g.get(i), "non-trainable grad[" + i + "] untouched");
        assertEquals(0f, opt.stateView(0).get(i), "no state for non-trainable [" + i + "]");
        assertEquals(0f, opt.stateView(1).get(i));
      }
    }
  }

  @Test
  void scheduleIsEvaluatedAtZeroBasedIterations() {
    // lr 1.0 at iterations 0, 0.1 at 1, 0.01 from 2 on; SGD with g = 1 moves p by -lr
    FlatOptimizer opt = FlatOptimizer.builder(UpdateRules.create("sgd", Map.of()))
        .schedule(new PiecewiseConstantDecay(new long[] {0, 1}, new double[] {1.0, 0.1, 0.01}))
        .build(1);
    FloatBuffer p = FloatBuffer.allocate(1);
    float[] expected = {-1f, -1.1f, -1.11f};
    for (int t = 0; t < 3; t++) {
      assertEquals(new float[] {1f, 0.1f, 0.01f}[t], opt.currentLearningRate());
      opt.step(p, FloatBuffer.wrap(new float[] {1f}));
      assertClose(expected[t], p.get(0), "after step " + (t + 1));
    }
  }

  @Test
  void wholeVectorWhenNoRangesAndKerasDefaultLearningRate() {
    FlatOptimizer opt = FlatOptimizer.builder(UpdateRules.create("sgd", Map.of())).build(3);
    assertArrayEquals(new int[] {0, 3}, opt.trainableRanges());
    assertEquals(0.01f, opt.currentLearningRate());
    FloatBuffer p = FloatBuffer.wrap(new float[] {1, 1, 1});
    opt.step(p, FloatBuffer.wrap(new float[] {1, 2, 3}));
    assertClose(new double[] {0.99, 0.98, 0.97}, p, "p");
  }

  @Test
  void globalClipNormIgnoresNonTrainableGradients() {
    // trainable grads (3, 4) and (12): global norm 13 -> scaled to 6.5; the gap's 1000 is ignored
    FlatOptimizer opt = FlatOptimizer.builder(UpdateRules.create("sgd", Map.of()))
        .learningRate(1.0).globalClipNorm(6.5).trainableRange(0, 2).trainableRange(3, 4)
        .build(4);
    FloatBuffer p = FloatBuffer.allocate(4);
    FloatBuffer g = FloatBuffer.wrap(new float[] {3, 4, 1000, 12});
    opt.step(p, g);
    assertClose(new double[] {-1.5, -2.0}, p, "p");
    assertEquals(0f, p.get(2));
    assertClose(-6.0, p.get(3), "p[3]");
    assertEquals(1000f, g.get(2));
  }

  @Test
  void clipNormIsPerRangeAndClipValueElementwise() {
    FlatOptimizer norm = FlatOptimizer.builder(UpdateRules.create("sgd", Map.of()))
        .learningRate(1.0).clipNorm(1.0).trainableRange(0, 2).trainableRange(2, 4).build(4);
    FloatBuffer p = FloatBuffer.allocate(4);
    norm.step(p, FloatBuffer.wrap(new float[] {3, 4, 0.3f, 0.4f}));
    assertClose(new double[] {-0.6, -0.8, -0.3, -0.4}, p, "clipnorm");
    FlatOptimizer value = FlatOptimizer.builder(UpdateRules.create("sgd", Map.of()))
        .learningRate(1.0).clipValue(0.5).build(3);
    FloatBuffer q = FloatBuffer.allocate(3);
    value.step(q, FloatBuffer.wrap(new float[] {3, -0.2f, -4}));
    assertClose(new double[] {-0.5, 0.2, 0.5}, q, "clipvalue");
  }

  @Test
  void fromKerasConfigMatchesTheBuilder() {
    Map<String, Object> schedule = Map.of("class_name", "CosineDecay", "config",
        Map.of("initial_learning_rate", 0.1, "decay_steps", 5));
    FlatOptimizer a = FlatOptimizer.fromKerasConfig("SGD", Map.of("momentum", 0.9,
        "learning_rate", schedule, "clipnorm", 1.0), SIZE, RANGES);
    FlatOptimizer b = FlatOptimizer.builder(new SGD(0.9, false, 0))
        .schedule(new CosineDecay(0.1, 5, 0.0)).clipNorm(1.0)
        .trainableRange(0, 3).trainableRange(5, 9).build(SIZE);
    assertEquals(FlatOptimizer.Clipping.NORM, a.clipping());
    assertEquals(1f, a.clipLimit());
    FloatBuffer pa = params();
    FloatBuffer pb = params();
    for (int t = 0; t < 6; t++) {
      a.step(pa, grads(t));
      b.step(pb, grads(t));
    }
    assertEquals(pb, pa);
    FlatOptimizer c = FlatOptimizer.fromKerasConfig("adam", Map.of("learning_rate", 0.05,
        "clipvalue", 0.0), 4, null);
    assertEquals(FlatOptimizer.Clipping.NONE, c.clipping(), "0 means off, as in Keras");
    assertEquals(0.05f, c.currentLearningRate());
    assertEquals(0.001f, FlatOptimizer.fromKerasConfig("adam", Map.of(), 4, null)
        .currentLearningRate());
  }

  @Test
  void saveAndLoadStateContinuesBitExactly() {
    UpdateRule rule = UpdateRules.create("adam", Map.of("amsgrad", true, "weight_decay", 0.01));
    FlatOptimizer.Builder config = FlatOptimizer.builder(rule)
        .schedule(new CosineDecay(0.0, 10, 0.1, 0.01, 3)).globalClipNorm(0.8)
        .trainableRange(0, 3).trainableRange(5, 9);
    FlatOptimizer a = config.build(SIZE);
    FloatBuffer pa = params();
    FlatOptimizer.State saved = null;
    float[] savedParams = new float[SIZE];
    for (int t = 0; t < 7; t++) {
      if (t == 3) {
        saved = a.saveState();
        pa.get(0, savedParams);
      }
      a.step(pa, grads(t));
    }
    assertEquals(3, saved.iterations());
    assertEquals(3, saved.slotCount());
    assertNotEquals(a.saveState(), saved, "the snapshot is a copy, not a view");

    FlatOptimizer b = config.build(SIZE);
    b.loadState(saved);
    assertEquals(3, b.iterations());
    FloatBuffer pb = FloatBuffer.wrap(savedParams.clone());
    for (int t = 3; t < 7; t++) {
      b.step(pb, grads(t));
    }
    for (int i = 0; i < SIZE; i++) {
      assertEquals(Float.floatToRawIntBits(pa.get(i)), Float.floatToRawIntBits(pb.get(i)),
          "p[" + i + "] bit-exact");
    }
    assertEquals(a.saveState(), b.saveState());
    assertEquals(7, b.iterations());
  }

  @Test
  void loadStateRejectsAMismatchedSnapshot() {
    FlatOptimizer adam = FlatOptimizer.builder(UpdateRules.create("adam", Map.of())).build(4);
    String msg = assertThrows(IllegalArgumentException.class,
        () -> adam.loadState(new FlatOptimizer.State(1, new float[3][4]))).getMessage();
    assertTrue(msg.contains("expected 2 slots") && msg.contains("found 3"), msg);
    msg = assertThrows(IllegalArgumentException.class,
        () -> adam.loadState(new FlatOptimizer.State(1, new float[2][5]))).getMessage();
    assertTrue(msg.contains("expected 4 floats") && msg.contains("found 5"), msg);
    msg = assertThrows(IllegalArgumentException.class,
        () -> adam.loadState(new FlatOptimizer.State(-1, new float[2][4]))).getMessage();
    assertTrue(msg.contains("iterations") && msg.contains("-1"), msg);
  }

  @Test
  void invalidRangesAndSettingsAreRejected() {
    UpdateRule sgd = UpdateRules.create("sgd", Map.of());
    String msg = assertThrows(IllegalArgumentException.class, () -> FlatOptimizer.builder(sgd)
        .trainableRange(0, 5).trainableRange(4, 8).build(10)).getMessage();
    assertTrue(msg.contains("trainable range 1") && msg.contains("[4, 8)"), msg);
    msg = assertThrows(IllegalArgumentException.class, () -> FlatOptimizer.builder(sgd)
        .trainableRange(0, 11).build(10)).getMessage();
    assertTrue(msg.contains("[0, 11)") && msg.contains("10"), msg);
    msg = assertThrows(IllegalArgumentException.class,
        () -> FlatOptimizer.builder(sgd).clipNorm(-1)).getMessage();
    assertTrue(msg.contains("clipnorm") && msg.contains("-1"), msg);
    msg = assertThrows(IllegalArgumentException.class,
        () -> FlatOptimizer.fromKerasConfig("sgd", Map.of(), 10, new int[] {0, 1, 2}))
        .getMessage();
    assertTrue(msg.contains("pairs"), msg);
    FlatOptimizer opt = FlatOptimizer.builder(sgd).build(10);
    msg = assertThrows(IllegalArgumentException.class,
        () -> opt.step(FloatBuffer.allocate(9), FloatBuffer.allocate(10))).getMessage();
    assertTrue(msg.contains("10") && msg.contains("params 9"), msg);
  }

  @Test
  void rangesExcludedFromWeightDecay() {
    // AdamW, zero gradients: Adam's step is 0, so only the decay moves p (p -= p * 0.1 * 0.5)
    FlatOptimizer opt = FlatOptimizer.builder(UpdateRules.create("adamw",
        Map.of("weight_decay", 0.1))).learningRate(0.5)
        .trainableRange(0, 2).trainableRange(2, 4, false).build(4);
    assertTrue(opt.weightDecayed(0));
    assertTrue(!opt.weightDecayed(1));
    FloatBuffer p = FloatBuffer.wrap(new float[] {2, 4, 2, 4});
    opt.step(p, FloatBuffer.allocate(4));
    assertClose(new double[] {1.9, 3.8}, p, "decayed kernel");
    assertEquals(2f, p.get(2), "excluded bias");
    assertEquals(4f, p.get(3), "excluded bias");
    FlatOptimizer same = FlatOptimizer.fromKerasConfig("adamw", Map.of("weight_decay", 0.1,
        "learning_rate", 0.5), 4, new int[] {0, 2, 2, 4}, new boolean[] {true, false});
    FloatBuffer q = FloatBuffer.wrap(new float[] {2, 4, 2, 4});
    same.step(q, FloatBuffer.allocate(4));
    assertEquals(p, q);
    String msg = assertThrows(IllegalArgumentException.class, () -> FlatOptimizer
        .fromKerasConfig("adamw", Map.of(), 4, new int[] {0, 4}, new boolean[] {true, false}))
        .getMessage();
    assertTrue(msg.contains("one per trainable range"), msg);
  }

  @Test
  void stepAllocatesNothing() {
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    if (!(mx instanceof com.sun.management.ThreadMXBean)) {
      return; // not measurable on this JVM
    }
    com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) mx;
    if (!bean.isThreadAllocatedMemorySupported() || !bean.isThreadAllocatedMemoryEnabled()) {
      return;
    }
    long id = Thread.currentThread().getId();
    for (String name : UpdateRules.NAMES) {
      FlatOptimizer opt = FlatOptimizer.builder(UpdateRules.create(name, Map.of()))
          .schedule(new CosineDecay(0.0, 100, 0.0, 0.01, 10)).globalClipNorm(1.0)
          .trainableRange(0, 3).trainableRange(5, 9).build(SIZE);
      FloatBuffer p = params();
      FloatBuffer g = grads(0);
      for (int t = 0; t < 20_000; t++) { // warm up (and let the JIT compile)
        opt.step(p, g);
      }
      // A JIT event (a deoptimisation, a class initialisation) may allocate once; per-step
      // allocation would show in every round. So: the least of three rounds of 1000 steps.
      long allocated = Long.MAX_VALUE;
      for (int round = 0; round < 3; round++) {
        long before = bean.getThreadAllocatedBytes(id);
        for (int t = 0; t < 1_000; t++) {
          opt.step(p, g);
        }
        allocated = Math.min(allocated, bean.getThreadAllocatedBytes(id) - before);
      }
      assertEquals(0, allocated, name + ": bytes allocated by 1000 steps");
    }
  }
}
