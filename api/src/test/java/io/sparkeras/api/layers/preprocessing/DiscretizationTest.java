package io.sparkeras.api.layers.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Discretization: outputs and adapt against real Keras (make_preprocessing.py runs Keras's own
 * numpy summary code) and Keras's docstring example; the merged-summary error against exact
 * quantiles.
 */
class DiscretizationTest {

  @Test
  void boundariesMatchKeras() {
    for (String name : List.of("discretization_boundaries", "discretization_one_hot")) {
      KerasPreprocessingCases.Case c = KerasPreprocessingCases.get(name);
      PreprocessingLayer d = c.layer();
      c.assertOutputs(c.encode(d, false), 0);
      c.assertConfig(d);
    }
  }

  @Test
  void docstringAdaptExample() {
    // keras/src/layers/preprocessing/discretization.py docstring: num_bins=4, epsilon=0.01
    float[][] x = {{-1.5f, 1.0f, 3.4f, .5f}, {0.0f, 3.0f, 1.3f, 0.0f}};
    Discretization d = new Discretization(4).epsilon(0.01);
    d.adapt(x); // the summary takes every value, like Keras flattening the array
    List<HostValue> out = d.encodeAll((Object) x);
    assertArrayEquals(new long[] {0, 2, 3, 2}, Arrays.copyOf(out.get(0).ints(), 4));
    assertArrayEquals(new long[] {1, 3, 3, 1}, Arrays.copyOf(out.get(1).ints(), 4));
  }

  @Test
  void adaptMatchesKeras() {
    for (String name : List.of("discretization_adapt_4", "discretization_adapt_16",
        "discretization_adapt_3")) {
      KerasPreprocessingCases.Case c = KerasPreprocessingCases.get(name);
      Map<String, Object> config = c.config();
      config.put("bin_boundaries", null);
      Discretization d = (Discretization) c.layer(config);
      d.adapt(c.adaptData().floats());
      assertBoundaries(c, d.binBoundaries());
      c.assertOutputs(c.encode(d, false), 0);
      c.assertConfig(d);
    }
  }

  @Test
  void batchedAdaptMatchesKerasMergingOneSummaryPerBatch() {
    KerasPreprocessingCases.Case c = KerasPreprocessingCases.get("discretization_adapt_batches");
    float[] data = c.adaptData().floats();
    QuantileSummary s = new QuantileSummary(0.01, 1000); // Keras's batches of 1000
    HostValue v = new HostValue(HostValue.Kind.FLOAT);
    for (float x : data) {
      v.reset();
      v.addFloat(x);
      s.update(v);
    }
    Discretization d = new Discretization(8);
    d.finishAdapt(s);
    assertBoundaries(c, d.binBoundaries());
  }

  private static void assertBoundaries(KerasPreprocessingCases.Case c, double[] ours) {
    double[] keras = c.state().get("bin_boundaries").isArray()
        ? toDoubles(c.state().get("bin_boundaries")) : null;
    assertEquals(keras.length, ours.length, c.name() + ": boundaries " + Arrays.toString(ours));
    for (int i = 0; i < keras.length; i++) {
      // both float32 from the same float32/float64 steps; a last-bit difference is allowed
      assertEquals(keras[i], ours[i], 1e-6 * Math.max(1, Math.abs(keras[i])),
          c.name() + ": boundary " + i);
    }
  }

  private static double[] toDoubles(com.fasterxml.jackson.databind.JsonNode a) {
    double[] d = new double[a.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = a.get(i).asDouble();
    }
    return d;
  }

  @Test
  void mergedPartitionSummariesStayWithinTheStatedError() {
    // Spark adapt: chunks of SPARK_CHUNK values per partition, partition summaries merged
    SplittableRandom r = new SplittableRandom(11);
    int n = 400_000;
    float[] all = new float[n];
    for (int i = 0; i < n; i++) {
      all[i] = (float) Math.exp(r.nextGaussian());
    }
    Discretization d = new Discretization(16);
    QuantileSummary total = null;
    HostValue v = new HostValue(HostValue.Kind.FLOAT);
    for (int p = 0; p < 4; p++) {
      QuantileSummary part = (QuantileSummary) d.newChunkedAdaptState();
      for (int i = p; i < n; i += 4) {
        v.reset();
        v.addFloat(all[i]);
        part.update(v);
      }
      if (total == null) {
        total = part;
      } else {
        total.merge(part);
      }
    }
    d.finishAdapt(total);
    float[] sorted = all.clone();
    Arrays.sort(sorted);
    double[] b = d.binBoundaries();
    assertEquals(15, b.length);
    for (int i = 0; i < b.length; i++) {
      double target = (i + 1) / 16.0;
      int rank = lowerBound(sorted, (float) b[i]);
      double err = Math.abs((double) rank / n - target);
      assertTrue(err <= 0.01, "boundary " + i + " at rank " + rank + " (" + ((double) rank / n)
          + "), wanted quantile " + target + ": error " + err + " > epsilon 0.01");
    }
  }

  private static int lowerBound(float[] a, float x) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
