package io.sparkeras.backend.tensorflow;

import static io.sparkeras.backend.tensorflow.TensorFlowTrainingTest.on;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.convolutional.Conv2D;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.layers.normalization.BatchNormalization;
import io.sparkeras.api.layers.reshaping.Flatten;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.optimizers.Adam;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A model trained a few steps on one backend and saved as {@code .keras} (weights, moving
 * statistics and Adam's state) continues on the other backend exactly as it continues where it
 * was trained: the same weights after the same further batches (float tolerance), both ways.
 */
class CrossBackendContinuationTest {
  private static final FitOptions STEPS = FitOptions.epochs(2).batchSize(10).shuffle(false)
      .verbose(0);

  /** 40 random 6x6 single-channel images, labels 0..2. */
  private static NDArray[] data() {
    SplittableRandom r = new SplittableRandom(21);
    float[] x = new float[40 * 36];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    int[] y = new int[40];
    for (int i = 0; i < y.length; i++) {
      y[i] = r.nextInt(3);
    }
    return new NDArray[] {NDArray.of(x, 40, 6, 6, 1), NDArray.ofLabels(y)};
  }

  private static Model model() {
    Sparkeras.setRandomSeed(13);
    Model m = new Sequential(Input.of(6, 6, 1), new Conv2D(3, 3).activation("relu"),
        new BatchNormalization(), new Flatten(), new Dense(8).activation("tanh"),
        new Dense(3).activation("softmax"));
    m.compile(new Adam(0.01), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
    return m;
  }

  private static byte[] saved(Model m) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      m.save(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static Model loaded(byte[] file) {
    try {
      return Model.load(new ByteArrayInputStream(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void continuesAlike(String first, String second) {
    NDArray[] d = data();
    Model[] trained = new Model[1];
    byte[] file = on(first, () -> {
      trained[0] = model();
      trained[0].fit(d[0], d[1], STEPS);
      return saved(trained[0]);
    });
    List<float[]> expected = on(first, () -> {
      trained[0].fit(d[0], d[1], STEPS);
      return trained[0].getWeights();
    });
    List<float[]> actual = on(second, () -> {
      Model m = loaded(file);
      m.fit(d[0], d[1], STEPS);
      return m.getWeights();
    });
    assertEquals(expected.size(), actual.size(), "weights");
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), 2e-4f,
          "weight " + i + " after continuing on " + second + " (trained on " + first + ")");
    }
  }

  @Test
  void trainedOnTorchContinuesOnTensorFlowAsOnTorch() {
    continuesAlike("torch", "tensorflow");
  }

  @Test
  void trainedOnTensorFlowContinuesOnTorchAsOnTensorFlow() {
    continuesAlike("tensorflow", "torch");
  }
}
