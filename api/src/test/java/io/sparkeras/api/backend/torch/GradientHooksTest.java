package io.sparkeras.api.backend.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.backend.ParameterBlock;
import io.sparkeras.api.data.Batch;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.layers.merging.Add;
import io.sparkeras.api.layers.normalization.BatchNormalization;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.optimizers.SGD;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What a distributed worker relies on when it pushes gradients while backward runs: every range
 * reported final holds, at the moment of the report, exactly the values the whole backward pass
 * ends with.
 */
class GradientHooksTest {

  /** One report: the offset and a copy of the gradients from it to the end, taken right then. */
  private record Report(int from, float[] tail) {}

  private static List<Report> backwardWithReports(Model m, Batch b) {
    ParameterBlock pb = m.parameterBlock();
    FloatBuffer g = pb.gradients();
    List<Report> reports = new ArrayList<>();
    assertTrue(pb.onGradientsReady(from -> {
      float[] tail = new float[pb.size() - from];
      g.get(from, tail);
      reports.add(new Report(from, tail));
    }));
    try {
      m.computeGradients(b);
    } finally {
      pb.onGradientsReady(null);
    }
    return reports;
  }

  private static void assertReportsAreFinal(Model m, List<Report> reports) {
    ParameterBlock pb = m.parameterBlock();
    float[] last = new float[pb.size()];
    pb.gradients().get(0, last);
    assertTrue(reports.size() >= 2, "reports while backward ran: " + reports.size());
    int previous = pb.size() + 1;
    for (Report r : reports) {
      assertTrue(r.from > 0 && r.from < previous, "offsets fall: " + r.from + " after " + previous);
      previous = r.from;
      assertArrayEquals(Arrays.copyOfRange(last, r.from, last.length), r.tail,
          "the gradients from " + r.from + " on changed after they were reported final");
    }
    float[] first = reports.get(0).tail;
    assertTrue(!Arrays.equals(first, new float[first.length]),
        "the first report carries real gradients, not the zeros of a fresh pass");
  }

  private static Batch batch(int rows, int features, int outputs, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[rows * features];
    float[] y = new float[rows * outputs];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) r.nextGaussian();
    }
    return Batch.of(NDArray.of(x, rows, features), NDArray.of(y, rows, outputs));
  }

  @Test
  void sequentialReportsFromTheLastLayerBackAndEveryReportHolds() {
    Sparkeras.setRandomSeed(3);
    // batch normalization's moving statistics take no gradient: final from the start
    Sequential m = new Sequential(Input.of(12), new Dense(16).activation("relu"),
        new BatchNormalization(), new Dense(8).activation("tanh"), new Dense(3));
    m.compile(new SGD(0.1), Losses.mse());
    for (int pass = 0; pass < 2; pass++) {  // the second pass starts from zeroed gradients again
      List<Report> reports = backwardWithReports(m, batch(32, 12, 3, 40 + pass));
      assertReportsAreFinal(m, reports);
    }
  }

  @Test
  void aSkipConnectionAndASharedLayerHoldTheirReportsBack() {
    Sparkeras.setRandomSeed(5);
    KerasTensor in = Input.of(10);
    Dense shared = new Dense(10).activation("tanh");
    KerasTensor h = shared.apply(in);
    KerasTensor twice = shared.apply(new Dense(10).apply(h));
    KerasTensor out = new Dense(2).apply(new Add().apply(h, twice));
    Model m = new Model(List.of(in), List.of(out));
    m.compile(new SGD(0.1), Losses.mse());
    assertReportsAreFinal(m, backwardWithReports(m, batch(16, 10, 2, 7)));
  }

  @Test
  void aFailingListenerFailsTheStepAfterBackwardAndStopsReporting() {
    Sequential m = new Sequential(Input.of(4), new Dense(4), new Dense(2));
    m.compile(new SGD(0.1), Losses.mse());
    ParameterBlock pb = m.parameterBlock();
    IllegalStateException boom = new IllegalStateException("push failed");
    int[] calls = {0};
    pb.onGradientsReady(from -> {
      calls[0]++;
      throw boom;
    });
    try {
      assertSame(boom, assertThrows(IllegalStateException.class,
          () -> m.computeGradients(batch(8, 4, 2, 1))));
      assertEquals(1, calls[0], "no report after the listener failed");
    } finally {
      pb.onGradientsReady(null);
    }
    // without a listener the step runs as before
    m.computeGradients(batch(8, 4, 2, 2));
    assertEquals(1, calls[0]);
  }
}
