package io.sparkeras.api.backend.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.backend.Backend;
import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.DType;
import io.sparkeras.api.backend.Ops;
import io.sparkeras.api.backend.ParameterBlock;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.backend.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class TorchBackendTest {
  private final Backend b = Backends.current();
  private final Ops ops = b.ops();

  @Test
  void isTheDefaultBackendOnCpu() {
    assertEquals("torch", b.name());
    assertTrue(b.device().startsWith("cpu") || b.device().startsWith("cuda"), b.device());
    assertTrue(Backends.available().contains("torch"));
  }

  @Test
  void unknownBackendNamesTheChoices() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> io.sparkeras.api.backend.BackendsAccess.load("jax"));
    assertTrue(e.getMessage().contains("jax") && e.getMessage().contains("torch"), e.getMessage());
  }

  @Test
  void dtypesAndShapes() {
    try (Scope s = b.scope(false)) {
      Tensor x = ops.constant(new float[] {1.7f, -2.2f, 3f, 4f, 5f, 6f}, 2, 3);
      assertEquals(DType.FLOAT32, x.dtype());
      assertArrayEquals(new int[] {2, 3}, x.shape());
      Tensor i = ops.cast(x, DType.INT64);
      assertEquals(DType.INT64, i.dtype());
      assertArrayEquals(new float[] {1, -2, 3, 4, 5, 6}, i.toFloatArray());
      assertEquals(DType.INT64, ops.argmax(x, -1).dtype());
      assertArrayEquals(new float[] {2, 2}, ops.argmax(x, -1).toFloatArray());
    }
  }

  @Test
  void matmulBroadcastAndReductions() {
    try (Scope s = b.scope(false)) {
      Tensor a = ops.constant(new float[] {1, 2, 3, 4}, 2, 2);
      Tensor c = ops.matmul(a, a);
      assertArrayEquals(new float[] {7, 10, 15, 22}, c.toFloatArray());
      Tensor bias = ops.constant(new float[] {10, 20}, 2);
      assertArrayEquals(new float[] {11, 22, 13, 24}, ops.add(a, bias).toFloatArray());
      assertEquals(10f, ops.sum(a).item());
      assertArrayEquals(new float[] {1.5f, 3.5f}, ops.mean(a, new int[] {1}, false)
          .toFloatArray());
      assertArrayEquals(new float[] {0.25f, 0.25f}, ops.variance(a, new int[] {-1}, false)
          .toFloatArray());
      assertEquals((float) Math.log(Math.exp(1) + Math.exp(2)),
          ops.logSumExp(ops.constant(new float[] {1, 2}, 1, 2), -1, false).item(), 1e-6f);
    }
  }

  @Test
  void takeOneHotAndTakeAlongAxis() {
    try (Scope s = b.scope(false)) {
      Tensor table = ops.constant(new float[] {0, 1, 10, 11, 20, 21}, 3, 2);
      Tensor idx = ops.constant(new float[] {2, 0}, 2);
      assertArrayEquals(new float[] {20, 21, 0, 1}, ops.take(table, idx, 0).toFloatArray());
      assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0}, ops.oneHot(idx, 3).toFloatArray());
      Tensor picked = ops.takeAlongAxis(table, ops.cast(ops.constant(new float[] {1, 0, 1}, 3, 1),
          DType.INT64), 1);
      assertArrayEquals(new float[] {1, 10, 21}, picked.toFloatArray());
    }
  }

  @Test
  void packedParametersAreZeroCopyViewsInWeightOrder() {
    Tensor v1 = b.variable(new float[] {1, 2, 3, 4}, new int[] {2, 2}, true);
    Tensor v2 = b.variable(new float[] {5, 6}, new int[] {2}, true);
    ParameterBlock block = b.pack(List.of(v1, v2));
    assertEquals(6, block.size());
    float[] flat = new float[6];
    block.parameters().get(0, flat);
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, flat);
    block.parameters().put(4, 50f);
    assertArrayEquals(new float[] {50, 6}, v2.toFloatArray(), "writes reach the variable");
    try (Scope s = b.scope(true)) {
      block.zeroGradients();
      Tensor loss = ops.add(ops.sum(ops.multiply(v1, v1)), ops.sum(v2));
      b.backward(loss);
    }
    float[] g = new float[6];
    block.gradients().get(0, g);
    assertArrayEquals(new float[] {2, 4, 6, 8, 1, 1}, g, "d/dv of sum(v1^2) + sum(v2)");
  }

  @Test
  void noGradScopeBuildsNoTape() {
    Tensor v = b.variable(new float[] {3}, new int[] {1}, true);
    b.pack(List.of(v));
    try (Scope s = b.scope(false)) {
      Tensor y = ops.multiply(v, v);
      assertThrows(RuntimeException.class, () -> b.backward(ops.sum(y)));
    }
  }

  @Test
  void blasThreadsSettingIsReadAndCheckedAndAppliedWithTheThreads() {
    String key = TorchBackend.BLAS_THREADS_PROP_NAME;
    String before = System.getProperty(key);
    int threads = b.threads();
    try {
      System.clearProperty(key);
      assertEquals(1, TorchBackend.configuredBlasThreads(4)); // default: one BLAS thread
      System.setProperty(key, "threads");
      assertEquals(4, TorchBackend.configuredBlasThreads(4));
      System.setProperty(key, "3");
      assertEquals(3, TorchBackend.configuredBlasThreads(4));
      System.setProperty(key, "0");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> TorchBackend.configuredBlasThreads(4));
      assertTrue(e.getMessage().contains("-Dsparkeras.blasThreads")
          && e.getMessage().contains("'threads'") && e.getMessage().contains("found '0'"),
          e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> b.setThreads(threads)); // nothing set
      System.setProperty(key, "threads");
      b.setThreads(threads); // accepted; products then run on `threads` BLAS threads
      assertEquals(threads, b.threads());
    } finally {
      if (before == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, before);
      }
      b.setThreads(threads);
    }
  }
}
