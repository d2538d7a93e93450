package io.sparkeras.api.initializers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InitializersTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static double mean(float[] v) {
    double s = 0;
    for (float f : v) {
      s += f;
    }
    return s / v.length;
  }

  static double std(float[] v) {
    double m = mean(v);
    double s = 0;
    for (float f : v) {
      s += (f - m) * (f - m);
    }
    return Math.sqrt(s / v.length);
  }

  @Test
  void glorotUniformHasKerasLimitAndVariance() {
    float[] w = new GlorotUniform(1L).generate(new int[] {300, 200});
    double limit = Math.sqrt(6.0 / 500);
    for (float f : w) {
      assertTrue(Math.abs(f) <= limit);
    }
    assertEquals(limit / Math.sqrt(3), std(w), limit * 0.02);
  }

  @Test
  void heNormalHasStdSqrtTwoOverFanInForConvKernels() {
    int[] shape = {3, 3, 16, 32}; // fan_in = 3*3*16
    float[] w = new HeNormal(2L).generate(shape);
    assertEquals(Math.sqrt(2.0 / 144), std(w), Math.sqrt(2.0 / 144) * 0.03);
    assertEquals(0, mean(w), 0.01);
  }

  @Test
  void seededIsReproducibleUnseededIsNot() {
    assertArrayEquals(new GlorotUniform(5L).generate(new int[] {10, 10}),
        new GlorotUniform(5L).generate(new int[] {10, 10}));
    assertFalse(Arrays.equals(new GlorotUniform().generate(new int[] {10, 10}),
        new GlorotUniform().generate(new int[] {10, 10})));
  }

  @Test
  void constantsAndOrthogonal() {
    assertArrayEquals(new float[] {0, 0, 0}, new Zeros().generate(new int[] {3}));
    assertArrayEquals(new float[] {1, 1}, new Ones().generate(new int[] {2}));
    assertArrayEquals(new float[] {0.5f, 0.5f}, new Constant(0.5).generate(new int[] {2}));
    float[] q = new Orthogonal(1.0, 3L).generate(new int[] {4, 4});
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        double dot = 0;
        for (int k = 0; k < 4; k++) {
          dot += q[k * 4 + i] * q[k * 4 + j];
        }
        assertEquals(i == j ? 1 : 0, dot, 1e-5, "columns orthonormal");
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void configsRoundTripAndStringsResolve() throws Exception {
    for (Initializer i : List.of(new GlorotUniform(3L), new GlorotNormal(), new HeNormal(4L),
        new HeUniform(), new Zeros(), new Ones(), new Constant(0.25),
        new RandomNormal(0.1, 0.2, 5L), new RandomUniform(-1, 1, null), new Orthogonal(2.0, 6L),
        new VarianceScaling(2.0, "fan_out", "untruncated_normal", 9L))) {
      String json = JSON.writeValueAsString(Initializer.REGISTRY.serialize(i));
      Initializer back = Initializer.REGISTRY.deserialize(JSON.readValue(json, Map.class));
      assertEquals(i, back, json);
    }
    assertTrue(Initializer.REGISTRY.deserialize("he_normal") instanceof HeNormal);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Initializer.REGISTRY.deserialize("glorot_unifrom"));
    assertTrue(e.getMessage().contains("glorot_unifrom"), e.getMessage());
  }

  @Test
  void varianceScalingReadsNormalAsTruncatedNormal() {
    // TensorFlow.js writes distribution "normal"; Keras 3 reads it as truncated_normal
    Initializer vs = Initializer.REGISTRY.deserialize(Map.of("class_name", "VarianceScaling",
        "config", Map.of("scale", 1.0, "mode", "fan_avg", "distribution", "normal", "seed", 3)));
    assertEquals("truncated_normal", vs.getConfig().get("distribution"));
    float[] a = vs.generate(new int[] {200, 300});
    float[] b = new VarianceScaling(1.0, "fan_avg", "truncated_normal", 3L).generate(
        new int[] {200, 300});
    assertArrayEquals(b, a);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new VarianceScaling(1.0, "fan_in", "gamma", null));
    assertTrue(e.getMessage().contains("distribution") && e.getMessage().contains("gamma"),
        e.getMessage());
  }

  @Test
  void everyKerasInitializerNameResolves() {
    for (String name : List.of("glorot_uniform", "glorot_normal", "he_normal", "he_uniform",
        "lecun_normal", "lecun_uniform", "truncated_normal", "random_normal", "random_uniform",
        "normal", "uniform", "zeros", "zero", "ones", "one", "constant", "orthogonal",
        "OrthogonalInitializer", "identity", "IdentityInitializer", "variance_scaling",
        "TruncatedNormal", "LecunNormal")) {
      Initializer i = Initializer.REGISTRY.deserialize(name);
      assertEquals(i, Initializer.REGISTRY.deserialize(Initializer.REGISTRY.serialize(i)), name);
    }
  }

  @Test
  void newInitializersFollowKerasFormulas() {
    float[] t = new TruncatedNormal(1.0, 0.5, 4L).generate(new int[] {100_000});
    double mean = 0;
    for (float v : t) {
      assertTrue(v >= 0 && v <= 2, "within two standard deviations: " + v);
      mean += v;
    }
    assertEquals(1.0, mean / t.length, 0.01);
    float[] lecun = new LecunNormal(5L).generate(new int[] {400, 100});
    assertEquals(Math.sqrt(1.0 / 400), std(lecun), 0.003);
    float[] lu = new LecunUniform(5L).generate(new int[] {300, 100});
    double limit = Math.sqrt(3.0 / 300);
    for (float v : lu) {
      assertTrue(Math.abs(v) <= limit, "inside the limit: " + v);
    }
    assertArrayEquals(new float[] {2, 0, 0, 0, 2, 0}, new Identity(2.0).generate(new int[] {2, 3}));
  }
}
