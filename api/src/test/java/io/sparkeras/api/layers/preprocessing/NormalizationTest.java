package io.sparkeras.api.layers.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.data.NDArray;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Normalization against real Keras (reference: make_preprocessing.py, Keras's numpy adapt). */
class NormalizationTest {

  @Test
  void adaptAndOutputsMatchKeras() {
    KerasPreprocessingCases.Case c = KerasPreprocessingCases.get("normalization_adapt");
    Normalization n = (Normalization) c.layer();
    KerasPreprocessingCases.Array data = c.adaptData();
    n.adapt(NDArray.of(data.floats(), data.shape()));
    float[] kerasMean = KerasPreprocessingCases.Array.of(c.state().get("mean")).floats();
    float[] kerasVar = KerasPreprocessingCases.Array.of(c.state().get("variance")).floats();
    for (int i = 0; i < 3; i++) {
      // Keras sums float32 in float32 (NumPy pairwise); ours is exact, then rounded
      assertEquals(kerasMean[i], n.mean()[i], 1e-6 * Math.abs(kerasMean[i]) + 1e-7, "mean " + i);
      assertEquals(kerasVar[i], n.variance()[i], 1e-4 * kerasVar[i], "variance " + i);
    }
    c.assertConfig(n);
    // column 2 has std 0.01 around -3: Keras's float32 mean error is amplified 100 times, so
    // the outputs are compared with Keras's own statistics
    n.setStatistics(kerasMean, kerasVar, 0);
    c.assertOutputs(c.encode(n, false), 1e-6);
  }

  @Test
  void givenStatisticsAndInvertMatchKeras() {
    for (String name : List.of("normalization_given", "normalization_invert")) {
      KerasPreprocessingCases.Case c = KerasPreprocessingCases.get(name);
      Normalization n = (Normalization) c.layer();
      n.ensureBuilt(List.of(new int[] {c.input().shape()[1]}));
      c.assertOutputs(c.encode(n, false), 1e-6);
      c.assertConfig(n);
    }
  }

  @Test
  void axisNoneKeepsOneStatistic() {
    KerasPreprocessingCases.Case c = KerasPreprocessingCases.get("normalization_axis_none");
    Normalization n = (Normalization) c.layer();
    KerasPreprocessingCases.Array data = c.adaptData();
    n.adapt(NDArray.of(data.floats(), data.shape()));
    assertEquals(1, n.mean().length);
    float kerasMean = KerasPreprocessingCases.Array.of(c.state().get("mean")).floats()[0];
    assertEquals(kerasMean, n.mean()[0], 1e-6);
    float kerasVar = KerasPreprocessingCases.Array.of(c.state().get("variance")).floats()[0];
    assertEquals(kerasVar, n.variance()[0], 1e-5 * kerasVar);
    n.setStatistics(new float[] {kerasMean}, new float[] {kerasVar}, 0);
    c.assertOutputs(c.encode(n, false), 1e-6);
  }

  @Test
  void mergedStatesEqualOneStateExactly() throws IOException {
    // the Spark adapt merges one state per partition: any split gives the same float32 result
    SplittableRandom r = new SplittableRandom(3);
    float[][] rows = new float[10_000][2];
    for (float[] row : rows) {
      row[0] = (float) (1e4 + r.nextGaussian());
      row[1] = (float) Math.exp(3 * r.nextGaussian());
    }
    Normalization whole = new Normalization();
    whole.adapt(rows);
    Normalization split = new Normalization();
    AdaptState total = split.newAdaptState();
    HostValue v = new HostValue(HostValue.Kind.FLOAT);
    for (int p = 0; p < 7; p++) {
      AdaptState part = split.newAdaptState();
      for (int i = p; i < rows.length; i += 7) {
        v.reset();
        v.addFloat(rows[i][0]);
        v.addFloat(rows[i][1]);
        part.update(v);
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      part.write(new DataOutputStream(bytes));
      total.merge(split.readAdaptState(new DataInputStream(
          new ByteArrayInputStream(bytes.toByteArray()))));
    }
    split.finishAdapt(total);
    assertArrayEquals(whole.mean(), split.mean());
    assertArrayEquals(whole.variance(), split.variance());
    double exactMean = 0;
    for (float[] row : rows) {
      exactMean += row[0];
    }
    assertEquals(exactMean / rows.length, whole.mean()[0], 1e-3);
    assertTrue(Math.abs(whole.variance()[0] - 1) < 0.05, "variance of N(1e4, 1): "
        + whole.variance()[0]);
  }

  @Test
  void badInputSaysWhatWasExpected() {
    Normalization n = new Normalization();
    assertThrows(IllegalStateException.class, () -> n.encodeAll((Object) new float[] {1f}));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Normalization().axis(0).adapt(new float[][] {{1f}, {2f}}));
    assertTrue(e.getMessage().contains("axis 0"), e.getMessage());
    Normalization given = new Normalization().mean(1, 2).variance(1, 1);
    IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
        () -> given.ensureBuilt(List.of(new int[] {3})));
    assertTrue(e2.getMessage().contains("mean has 2 values"), e2.getMessage());
  }
}
