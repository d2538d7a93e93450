package io.sparkeras.api.layers.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerTestHarness;
import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.testing.KerasReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MultiHeadAttentionTest {

  @Test
  void harness() {
    LayerTestHarness.of(() -> new MultiHeadAttention(2, 3)).inputShape(4, 5).inputShape(3, 6)
        .expectOutputShape(4, 5).run();
    LayerTestHarness.of(() -> new MultiHeadAttention(2, 2).valueDim(3).outputShape(4))
        .inputShape(3, 5).inputShape(2, 6).inputShape(2, 3).expectOutputShape(3, 4).run();
    LayerTestHarness.of(() -> new MultiHeadAttention(1, 4).useBias(false)).inputShape(3, 4)
        .inputShape(3, 4).run();
  }

  @Test
  void weightsHaveKerasShapesAndOrder() {
    MultiHeadAttention m = new MultiHeadAttention(2, 3).valueDim(4);
    m.build(List.of(new int[] {5, 8}, new int[] {-1, 6}, new int[] {-1, 7}));
    List<String> paths = new ArrayList<>();
    List<int[]> shapes = new ArrayList<>();
    for (Variable v : m.weights()) {
      paths.add(v.path());
      shapes.add(v.shape());
    }
    assertEquals(List.of("query/kernel", "query/bias", "key/kernel", "key/bias", "value/kernel",
        "value/bias", "attention_output/kernel", "attention_output/bias"), paths);
    int[][] expected = {{8, 2, 3}, {2, 3}, {7, 2, 3}, {2, 3}, {6, 2, 4}, {2, 4}, {2, 4, 8}, {8}};
    for (int i = 0; i < expected.length; i++) {
      assertArrayEquals(expected[i], shapes.get(i), paths.get(i));
    }
  }

  @Test
  void identityWeightsGiveSoftmaxOfScaledDotProducts() {
    // one head, key_dim = value_dim = features = 2, every projection the identity, no bias
    MultiHeadAttention m = new MultiHeadAttention(1, 2).useBias(false);
    float[] eye = {1, 0, 0, 1};
    float[] q = {1, 0, 0, 2};           // query steps: (1, 0), (0, 2)
    float[] v = {1, 2, 3, -1, 0, 1};    // value steps: (1, 2), (3, -1), (0, 1)
    float[] y = run(m, List.of(q, v), List.of(new int[] {1, 2, 2}, new int[] {1, 3, 2}),
        List.of(eye, eye, eye, eye));
    double[][] qs = {{1, 0}, {0, 2}};
    double[][] vs = {{1, 2}, {3, -1}, {0, 1}};
    float[] expected = new float[4];
    for (int t = 0; t < 2; t++) {
      double[] w = new double[3];
      double total = 0;
      for (int s = 0; s < 3; s++) {
        w[s] = Math.exp((qs[t][0] * vs[s][0] + qs[t][1] * vs[s][1]) / Math.sqrt(2));
        total += w[s];
      }
      for (int f = 0; f < 2; f++) {
        double o = 0;
        for (int s = 0; s < 3; s++) {
          o += w[s] / total * vs[s][f];
        }
        expected[t * 2 + f] = (float) o;
      }
    }
    assertArrayEquals(expected, y, 1e-6f);
  }

  @Test
  void matchesAReferenceWithSeveralHeadsAndSeparateKey() {
    int batch = 2, tq = 3, ts = 4, dq = 5, dv = 3, dk = 4, heads = 2, kd = 3, vd = 2, out = 5;
    SplittableRandom r = new SplittableRandom(7);
    float[] xq = rand(r, batch * tq * dq);
    float[] xv = rand(r, batch * ts * dv);
    float[] xk = rand(r, batch * ts * dk);
    float[] wq = rand(r, dq * heads * kd), bq = rand(r, heads * kd);
    float[] wk = rand(r, dk * heads * kd), bk = rand(r, heads * kd);
    float[] wv = rand(r, dv * heads * vd), bv = rand(r, heads * vd);
    float[] wo = rand(r, heads * vd * out), bo = rand(r, out);
    MultiHeadAttention m = new MultiHeadAttention(heads, kd).valueDim(vd);
    float[] y = run(m, List.of(xq, xv, xk), List.of(new int[] {batch, tq, dq},
        new int[] {batch, ts, dv}, new int[] {batch, ts, dk}),
        List.of(wq, bq, wk, bk, wv, bv, wo, bo));
    float[] expected = new float[batch * tq * out];
    for (int b = 0; b < batch; b++) {
      double[][][] q = project(xq, b, tq, dq, wq, bq, heads, kd);
      double[][][] k = project(xk, b, ts, dk, wk, bk, heads, kd);
      double[][][] v = project(xv, b, ts, dv, wv, bv, heads, vd);
      for (int t = 0; t < tq; t++) {
        double[][] attended = new double[heads][vd];
        for (int h = 0; h < heads; h++) {
          double[] w = new double[ts];
          double total = 0;
          for (int s = 0; s < ts; s++) {
            double dot = 0;
            for (int j = 0; j < kd; j++) {
              dot += q[t][h][j] * k[s][h][j];
            }
            w[s] = Math.exp(dot / Math.sqrt(kd));
            total += w[s];
          }
          for (int s = 0; s < ts; s++) {
            for (int j = 0; j < vd; j++) {
              attended[h][j] += w[s] / total * v[s][h][j];
            }
          }
        }
        for (int o = 0; o < out; o++) {
          double acc = bo[o];
          for (int h = 0; h < heads; h++) {
            for (int j = 0; j < vd; j++) {
              acc += attended[h][j] * wo[(h * vd + j) * out + o];
            }
          }
          expected[(b * tq + t) * out + o] = (float) acc;
        }
      }
    }
    assertArrayEquals(expected, y, 1e-5f);
  }

  /** x[b] [steps, d] times kernel [d, heads, dim] plus bias [heads, dim]: [steps][heads][dim]. */
  private static double[][][] project(float[] x, int b, int steps, int d, float[] kernel,
      float[] bias, int heads, int dim) {
    double[][][] p = new double[steps][heads][dim];
    for (int t = 0; t < steps; t++) {
      for (int h = 0; h < heads; h++) {
        for (int j = 0; j < dim; j++) {
          double acc = bias[h * dim + j];
          for (int f = 0; f < d; f++) {
            acc += x[(b * steps + t) * d + f] * kernel[(f * heads + h) * dim + j];
          }
          p[t][h][j] = acc;
        }
      }
    }
    return p;
  }

  @Test
  void matchesKeras() {
    for (String name : new String[] {"mha_separate_key_value_dim", "mha_attention_mask",
        "mha_attention_mask_scores", "mha_causal_scores", "mha_masked_dot_path",
        "mha_masked_softmax_path"}) {
      KerasReference.load(name).check();
    }
    KerasReference.load("mha_causal_scores").checkJsonRoundTrip();
    KerasReference.load("mha_separate_key_value_dim").checkJsonRoundTrip();
  }

  @Test
  void readsTfKeras2ConfigWithValueAndKeyByName() {
    KerasReference.load("mha_separate_key_value_dim_tfkeras2").check();
  }

  @Test
  void causalMaskAndScores() {
    MultiHeadAttention m = new MultiHeadAttention(2, 2);
    try (Scope s = Backends.current().scope(false)) {
      Tensor x = Backends.ops().constant(rand(new SplittableRandom(5), 1 * 3 * 4), 1, 3, 4);
      List<Tensor> out = m.applyAll(io.sparkeras.api.layers.CallArgs.of(x, x)
          .arg("use_causal_mask", true).arg("return_attention_scores", true));
      assertArrayEquals(new int[] {1, 2, 3, 3}, out.get(1).shape());
      float[] p = out.get(1).toFloatArray();
      for (int h = 0; h < 2; h++) {
        for (int t = 0; t < 3; t++) {
          for (int u = t + 1; u < 3; u++) {
            assertEquals(0f, p[h * 9 + t * 3 + u], 0f, "no attention to a later step");
          }
        }
      }
    }
  }

  @Test
  void convenienceAndSymbolicCalls() {
    MultiHeadAttention m = new MultiHeadAttention(2, 4);
    assertArrayEquals(new int[] {-1, 6}, m.apply(Input.of(-1, 6), Input.of(-1, 3)).shape());
    try (Scope s = Backends.current().scope(false)) {
      Tensor q = Backends.ops().ones(2, 5, 6);
      Tensor v = Backends.ops().ones(2, 7, 3);
      assertArrayEquals(new int[] {2, 5, 6}, m.apply(q, v).shape());
    }
    MultiHeadAttention self = new MultiHeadAttention(1, 2);
    try (Scope s = Backends.current().scope(false)) {
      Tensor x = Backends.ops().ones(1, 3, 4);
      assertArrayEquals(new int[] {1, 3, 4}, self.apply(x, x).shape());
    }
  }

  @Test
  void rejectsBadInputsNamingWhatWasExpected() {
    MultiHeadAttention m = new MultiHeadAttention(2, 4);
    m.name("attn");
    try (Scope s = Backends.current().scope(false)) {
      IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
          () -> m.apply(Backends.ops().ones(1, 3, 4), false));
      assertTrue(one.getMessage().contains("attn") && one.getMessage().contains("[query, value]"),
          one.getMessage());
    }
    IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
        () -> new MultiHeadAttention(2, 4).computeOutputShape(List.of(new int[] {4},
            new int[] {3, 4})));
    assertTrue(rank.getMessage().contains("query") && rank.getMessage().contains("(None, 4)")
        && rank.getMessage().contains("(None, steps, features)"), rank.getMessage());
    IllegalArgumentException steps = assertThrows(IllegalArgumentException.class,
        () -> new MultiHeadAttention(2, 4).computeOutputShape(List.of(new int[] {2, 4},
            new int[] {3, 4}, new int[] {5, 4})));
    assertTrue(steps.getMessage().contains("same number of steps"), steps.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new MultiHeadAttention(0, 4));
  }

  @Test
  void configHasKerasKeysAndRejectsUnsupported() {
    Map<String, Object> c = new MultiHeadAttention(4, 8).getConfig();
    assertEquals(4, c.get("num_heads"));
    assertEquals(8, c.get("key_dim"));
    assertEquals(8, c.get("value_dim"));
    assertEquals(0.0, c.get("dropout"));
    assertEquals(true, c.get("use_bias"));
    assertNull(c.get("output_shape"));
    assertNull(c.get("attention_axes"));
    assertTrue(c.containsKey("seed") && c.containsKey("kernel_constraint"));
    assertEquals(List.of(6), new MultiHeadAttention(1, 2).outputShape(6).getConfig()
        .get("output_shape"));
    // what Keras writes after building: attention_axes resolved to [1]
    Map<String, Object> built = new HashMap<>(c);
    built.put("attention_axes", List.of(1));
    built.put("output_shape", List.of(3));
    MultiHeadAttention m = (MultiHeadAttention) Layer.REGISTRY.create("MultiHeadAttention", built);
    assertEquals(List.of(1), m.getConfig().get("attention_axes"));
    assertArrayEquals(new int[] {2, 3}, m.computeOutputShape(List.of(new int[] {2, 5},
        new int[] {4, 5})));
    for (Object[] bad : new Object[][] {{"attention_axes", List.of(1, 2)},
        {"output_shape", List.of(2, 3)}, {"kernel_regularizer", "l2"}}) {
      Map<String, Object> cfg = new HashMap<>(c);
      cfg.put((String) bad[0], bad[1]);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Layer.REGISTRY.create("MultiHeadAttention", cfg));
      assertTrue(e.getMessage().contains((String) bad[0]), e.getMessage());
    }
  }

  @Test
  void dropoutOnlyInTraining() {
    MultiHeadAttention m = new MultiHeadAttention(1, 2).dropout(0.5);
    try (Scope s = Backends.current().scope(false)) {
      Tensor q = Backends.ops().constant(rand(new SplittableRandom(3), 2 * 4 * 3), 2, 4, 3);
      float[] a = m.apply(List.of(q, q), false).toFloatArray();
      float[] b = m.apply(List.of(q, q), false).toFloatArray();
      assertArrayEquals(a, b, 0f);
      float[] t = m.apply(List.of(q, q), true).toFloatArray();
      boolean differs = false;
      for (int i = 0; i < a.length; i++) {
        differs |= Math.abs(a[i] - t[i]) > 1e-6;
      }
      assertTrue(differs, "training-mode dropout changed nothing");
    }
    assertThrows(IllegalArgumentException.class, () -> new MultiHeadAttention(1, 2).dropout(1.0));
  }

  private static float[] rand(SplittableRandom r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return v;
  }

  private static float[] run(MultiHeadAttention m, List<float[]> xs, List<int[]> shapes,
      List<float[]> weights) {
    try (Scope s = Backends.current().scope(false)) {
      m.apply(constants(xs, shapes), false);
    }
    m.setWeights(weights);
    try (Scope s = Backends.current().scope(false)) {
      return m.apply(constants(xs, shapes), false).toFloatArray();
    }
  }

  private static List<Tensor> constants(List<float[]> xs, List<int[]> shapes) {
    List<Tensor> ts = new ArrayList<>();
    for (int i = 0; i < xs.size(); i++) {
      ts.add(Backends.ops().constant(xs.get(i), shapes.get(i)));
    }
    return ts;
  }
}
