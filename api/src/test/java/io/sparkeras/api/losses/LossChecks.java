package io.sparkeras.api.losses;

import static io.sparkeras.api.backend.Backends.ops;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkeras.api.backend.Backend;
import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.ParameterBlock;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Registry;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Test helpers for losses: evaluate through the backend, take gradients with respect to the
 * prediction, compare against central finite differences, and check the config round trip.
 *
 * <pre>{@code float[] l = LossChecks.perSample(new MeanSquaredError(), yTrue, shape, yPred, shape); }</pre>
 */
final class LossChecks {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LossChecks() {}

  /** {@code loss.call} on constant tensors, copied to the host. */
  static float[] perSample(Loss loss, float[] yTrue, int[] trueShape, float[] yPred,
      int[] predShape) {
    try (Scope s = Backends.current().scope(false)) {
      Tensor out = loss.call(ops().constant(yTrue, trueShape), ops().constant(yPred, predShape));
      assertEquals(1, out.rank(), loss.name() + ": call must give one value per sample");
      assertEquals(trueShape[0], out.dim(0), loss.name() + ": batch size of call()");
      return out.toFloatArray();
    }
  }

  /** {@code loss.compute} (the batch mean) on constant tensors. */
  static double batchLoss(Loss loss, float[] yTrue, int[] trueShape, float[] yPred,
      int[] predShape) {
    try (Scope s = Backends.current().scope(false)) {
      return loss.compute(ops().constant(yTrue, trueShape), ops().constant(yPred, predShape))
          .item();
    }
  }

  /** d compute(yTrue, yPred) / d yPred, back-propagated by the backend into a packed variable. */
  static float[] gradient(Loss loss, float[] yTrue, int[] trueShape, float[] yPred,
      int[] predShape) {
    Backend b = Backends.current();
    Tensor v = b.variable(yPred, predShape, true);
    ParameterBlock block = b.pack(List.of(v));
    try (Scope s = b.scope(true)) {
      block.zeroGradients();
      Tensor l = loss.compute(ops().constant(yTrue, trueShape), v);
      b.backward(l);
    }
    block.gradientsToHost();
    float[] g = new float[block.size()];
    block.gradients().get(0, g);
    return g;
  }

  /** Central finite differences of the batch loss, each coordinate moved by {@code eps}. */
  static double[] numericGradient(Loss loss, float[] yTrue, int[] trueShape, float[] yPred,
      int[] predShape, double eps) {
    double[] g = new double[yPred.length];
    for (int i = 0; i < yPred.length; i++) {
      float[] plus = yPred.clone();
      float[] minus = yPred.clone();
      plus[i] = (float) (yPred[i] + eps);
      minus[i] = (float) (yPred[i] - eps);
      double h = (double) plus[i] - minus[i];
      g[i] = (batchLoss(loss, yTrue, trueShape, plus, predShape)
          - batchLoss(loss, yTrue, trueShape, minus, predShape)) / h;
    }
    return g;
  }

  /** Analytic gradients are finite and agree with finite differences. */
  static void assertGradientMatches(Loss loss, float[] yTrue, int[] trueShape, float[] yPred,
      int[] predShape, double eps, double tol) {
    float[] analytic = gradient(loss, yTrue, trueShape, yPred, predShape);
    double[] numeric = numericGradient(loss, yTrue, trueShape, yPred, predShape, eps);
    assertEquals(yPred.length, analytic.length);
    for (int i = 0; i < analytic.length; i++) {
      assertTrue(Float.isFinite(analytic[i]), loss.name() + ": gradient " + i + " is "
          + analytic[i]);
      assertEquals(numeric[i], analytic[i], tol + tol * Math.abs(numeric[i]),
          loss.name() + ": gradient entry " + i);
    }
  }

  /** Registry serialize -> JSON -> deserialize -> serialize gives the same JSON. */
  static Loss assertConfigRoundTrip(Loss loss) {
    try {
      Map<String, Object> first = Loss.REGISTRY.serialize(loss);
      String json = JSON.writeValueAsString(first);
      @SuppressWarnings("unchecked")
      Map<String, Object> parsed = JSON.readValue(json, Map.class);
      Loss copy = Loss.REGISTRY.deserialize(parsed);
      assertEquals(loss.getClass(), copy.getClass());
      String again = JSON.writeValueAsString(Loss.REGISTRY.serialize(copy));
      assertEquals(JSON.readTree(json), JSON.readTree(again), loss.name() + ": config changed");
      return copy;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static void assertClose(double[] expected, float[] actual, double tol, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tol, what + ": entry " + i);
    }
  }
}
